from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from amparo.conflicts.models import ConflictHit


@admin.register(ConflictHit)
class ConflictHitAdmin(admin.ModelAdmin):
    """Read-only, and without names or notes: hits are resolved on the case's conflict page,
    which records the decision on the case timeline and in the audit log."""

    list_display = ["case", "subject_label", "matched_label", "score", "status", "created_at"]
    list_filter = ["status", "subject_type", "matched_type"]
    search_fields = ["case__code"]
    list_select_related = ["case"]
    readonly_fields = [
        "case",
        "subject_type",
        "subject_id",
        "subject_label",
        "matched_type",
        "matched_id",
        "matched_entry",
        "matched_label",
        "matched_case",
        "matched_attorney",
        "score",
        "why_en",
        "why_es",
        "status",
        "resolved_by",
        "resolved_at",
        "created_at",
    ]
    exclude = ["note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
