from django.contrib import admin

from amparo.deadlines.models import (
    CaseDeadline,
    CaseFlag,
    ExtraClosure,
    MilestoneTemplate,
    MilestoneTemplateItem,
)


@admin.register(ExtraClosure)
class ExtraClosureAdmin(admin.ModelAdmin):
    """Days the courts or USCIS were closed beyond federal holidays (raise POSSIBLE_CLOSURE)."""

    list_display = ["date", "reason"]
    search_fields = ["reason"]


class MilestoneTemplateItemInline(admin.TabularInline):
    model = MilestoneTemplateItem
    extra = 0
    fields = ["order", "title_en", "title_es", "anchor", "offset_days", "owner_role"]


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(admin.ModelAdmin):
    list_display = ["name_en", "case_type"]
    inlines = [MilestoneTemplateItemInline]


@admin.register(CaseDeadline)
class CaseDeadlineAdmin(admin.ModelAdmin):
    """Read-only: computed deadlines are derived from the case's facts."""

    list_display = ["case", "rule", "date", "safe_target", "source"]
    list_filter = ["rule", "source"]
    search_fields = ["case__code"]
    list_select_related = ["case"]
    date_hierarchy = "date"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(CaseFlag)
class CaseFlagAdmin(admin.ModelAdmin):
    list_display = ["case", "code", "applies_to", "created_at"]
    list_filter = ["code"]
    search_fields = ["case__code"]
    list_select_related = ["case"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
