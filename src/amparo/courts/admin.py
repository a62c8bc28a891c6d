from django.contrib import admin

from amparo.courts.models import DetentionFacility, ImmigrationCourt


@admin.register(ImmigrationCourt)
class ImmigrationCourtAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "city", "state", "time_zone", "detained_docket", "active"]
    list_filter = ["state", "detained_docket", "active"]
    search_fields = ["name", "code", "city"]


@admin.register(DetentionFacility)
class DetentionFacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "state", "court"]
    list_filter = ["state"]
    search_fields = ["name", "city"]
    autocomplete_fields = ["court"]
