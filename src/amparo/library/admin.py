from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from amparo.library.models import (
    Document,
    DocumentCaseType,
    DocumentDownload,
    DocumentVersion,
    Notification,
    StrategyNote,
    StrategyNoteRevision,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_es"]
    search_fields = ["code", "name_en", "name_es"]


class DocumentCaseTypeInline(admin.TabularInline):
    model = DocumentCaseType
    extra = 0


class DocumentVersionInline(admin.TabularInline):
    """Versions are published through the library's pages, which check the file and notify."""

    model = DocumentVersion
    extra = 0
    fields = [
        "number",
        "original_name",
        "file_type",
        "size",
        "notes",
        "uploaded_by",
        "published_at",
    ]
    readonly_fields = [
        "number",
        "original_name",
        "file_type",
        "size",
        "notes",
        "uploaded_by",
        "published_at",
    ]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "language", "country", "updated_at"]
    list_filter = ["kind", "language"]
    search_fields = ["title_en", "title_es"]
    filter_horizontal = ["topics"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [DocumentCaseTypeInline, DocumentVersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # through the library's upload page, which checks the file


@admin.register(DocumentDownload)
class DocumentDownloadAdmin(admin.ModelAdmin):
    list_display = ["downloaded_at", "user", "version"]
    list_select_related = ["user", "version__document"]
    raw_id_fields = ["user", "version"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "read_at", "emailed_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "version"]


class StrategyNoteRevisionInline(admin.TabularInline):
    model = StrategyNoteRevision
    extra = 0
    fields = ["number", "title_en", "title_es", "edited_by", "edited_at"]
    readonly_fields = ["number", "title_en", "title_es", "edited_by", "edited_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StrategyNote)
class StrategyNoteAdmin(admin.ModelAdmin):
    """Edited on the library's pages, which keep each revision; the admin only reads."""

    list_display = ["__str__", "case_type", "milestone_item", "updated_at", "updated_by"]
    list_filter = ["case_type"]
    inlines = [StrategyNoteRevisionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
