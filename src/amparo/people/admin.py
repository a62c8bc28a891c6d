from django.contrib import admin

from amparo.people.models import AttorneyProfile, BarAdmission, MentorProfile, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "state"]
    list_filter = ["kind"]
    search_fields = ["name"]


class BarAdmissionInline(admin.TabularInline):
    model = BarAdmission
    extra = 0


@admin.register(AttorneyProfile)
class AttorneyProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "firm", "verification_status", "capacity", "malpractice_coverage"]
    list_filter = ["verification_status", "experience", "malpractice_coverage"]
    search_fields = ["user__email", "user__full_name", "bar_admissions__bar_number"]
    list_select_related = ["user", "firm"]
    raw_id_fields = ["user", "verified_by"]
    inlines = [BarAdmissionInline]


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "capacity", "hourly_rate", "active"]
    list_filter = ["active"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    filter_horizontal = ["courts"]
