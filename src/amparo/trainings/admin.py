"""The catalogue (courses, modules, quizzes) and the gates are kept here by program staff.

Who may use these pages is the trainings policy's call ("trainings.manage_catalogue": the
coordinators and program admins), so the admin asks it rather than model permissions. Completions,
certificates and registrations are written by the services (audited) and shown read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amparo.core.policy import can
from amparo.trainings.models import (
    Certificate,
    Choice,
    Course,
    CourseCompletion,
    Gate,
    LiveSession,
    Module,
    Question,
    Registration,
)

# Links typed without a scheme are taken as https (Django 6's default).
URL_FIELDS_HTTPS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class PolicyAdmin(admin.ModelAdmin):
    """Program staff manage the catalogue; nobody else sees it."""

    formfield_overrides = URL_FIELDS_HTTPS

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff and can(request.user, "trainings.manage_catalogue"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class ReadOnlyPolicyAdmin(PolicyAdmin):
    """Records written by the services: visible to program staff, changed only in the app."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PolicyInline:
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = (
        URL_FIELDS_HTTPS
    )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff and can(request.user, "trainings.manage_catalogue"))

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class ModuleInline(PolicyInline, admin.TabularInline):
    model = Module
    extra = 0
    fields = ["position", "title_en", "title_es", "video_url", "quiz_pass_mark"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(PolicyAdmin):
    list_display = ["title_en", "kind", "valid_for_months", "position", "active"]
    list_filter = ["kind", "active"]
    list_editable = ["position", "active"]
    search_fields = ["title_en", "title_es"]
    inlines = [ModuleInline]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # Only courses completed module by module have modules.
        return [ModuleInline] if obj is not None and obj.has_modules else []


class QuestionInline(PolicyInline, admin.StackedInline):
    model = Question
    extra = 0
    fields = ["position", "text_en", "text_es"]
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(PolicyAdmin):
    list_display = ["title_en", "course", "position", "quiz_pass_mark"]
    list_filter = ["course"]
    list_select_related = ["course"]
    search_fields = ["title_en", "title_es"]
    inlines = [QuestionInline]


class ChoiceFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if len(kept) < 2:
            raise ValidationError(_("A question needs at least two answers."))
        if not any(data.get("is_correct") for data in kept):
            raise ValidationError(_("Mark the right answer."))


class ChoiceInline(PolicyInline, admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 3
    fields = ["position", "text_en", "text_es", "is_correct"]


@admin.register(Question)
class QuestionAdmin(PolicyAdmin):
    list_display = ["text_en", "module", "position"]
    list_filter = ["module__course"]
    list_select_related = ["module__course"]
    inlines = [ChoiceInline]


@admin.register(Gate)
class GateAdmin(PolicyAdmin):
    list_display = ["action", "required_list"]
    filter_horizontal = ["required_courses"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("required_courses")

    @admin.display(description=_("required courses"))
    def required_list(self, gate: Gate) -> str:
        return ", ".join(course.title_en for course in gate.required_courses.all())


@admin.register(LiveSession)
class LiveSessionAdmin(ReadOnlyPolicyAdmin):
    list_display = ["course", "starts_at", "time_zone", "capacity"]
    list_filter = ["course"]
    list_select_related = ["course"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyPolicyAdmin):
    list_display = ["session", "user", "status", "attended", "created_at"]
    list_filter = ["status", "attended"]
    list_select_related = ["session__course", "user"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(CourseCompletion)
class CourseCompletionAdmin(ReadOnlyPolicyAdmin):
    list_display = ["user", "course", "completed_on", "source"]
    list_filter = ["course", "source"]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyPolicyAdmin):
    list_display = ["user", "course", "completed_on", "status", "reviewed_at"]
    list_filter = ["status", "course"]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "user__full_name"]
    # The file is opened through the permission-checked page, never a storage URL.
    exclude = ["file"]
