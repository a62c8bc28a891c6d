from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from amparo.cases.models import Case, Hearing
from amparo.deadlines.services import case_deadlines_recompute


class HearingInline(admin.TabularInline):
    model = Hearing
    extra = 0
    fields = ["kind", "starts_at", "status", "ruling_requested", "ij_filing_deadline"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Case facts only: client identity is shown in the audited case file, never in the admin."""

    list_display = [
        "code",
        "case_type",
        "stage",
        "court",
        "detained",
        "placing_organization",
        "attorney_of_record",
    ]
    list_filter = ["case_type", "stage", "detained"]
    search_fields = ["code"]
    list_select_related = ["court", "placing_organization", "attorney_of_record"]
    raw_id_fields = ["client", "attorney_of_record", "mentor"]
    # Set by the services that create and place cases, never typed in.
    readonly_fields = ["code", "created_by", "created_at", "updated_at"]
    autocomplete_fields = ["court"]
    inlines = [HearingInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cases are created through intake, which encrypts and audits

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Facts edited here (dates, hearings) must move the deadlines as the services do.
        super().save_related(request, form, formsets, change)
        case_deadlines_recompute(case=form.instance)
