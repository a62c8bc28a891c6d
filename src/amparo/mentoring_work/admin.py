from django.contrib import admin

from amparo.mentoring_work.models import (
    FundingSource,
    MentoringPlanTemplate,
    MentoringPlanTemplateStep,
)


class MentoringPlanTemplateStepInline(admin.TabularInline):
    model = MentoringPlanTemplateStep
    extra = 0
    fields = ["order", "title_en", "title_es", "kind", "owner", "anchor", "offset_days"]


@admin.register(MentoringPlanTemplate)
class MentoringPlanTemplateAdmin(admin.ModelAdmin):
    """The plan a mentorship starts from, per case type: steps count from the first meeting or
    from the case's dates (hearings, the pre-hearing filing safe target...)."""

    list_display = ["name_en", "case_type"]
    inlines = [MentoringPlanTemplateStepInline]


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    """Read-only here: sources are added and edited on the mentor-pay pages, which check that
    an amount never drops below what is already charged."""

    list_display = ["name", "kind", "amount", "start_date", "end_date"]
    list_filter = ["kind"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
