"""The program's mentee requirements and the versioned mentoring agreement are kept here by
program staff ("mentoring.manage"). Requests, mentorships, signatures and overrides are written by
the services (audited) and shown read-only.

An agreement version that someone signed is frozen: its texts become read-only, so the SHA-256
kept with each signature always matches the text shown on the printable copy. Changes are a new
version.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amparo.core.policy import can
from amparo.mentoring.models import (
    AgreementSignature,
    EligibilityOverride,
    EligibilityRequirement,
    MentoringAgreement,
    MentoringMeeting,
    MentoringRequest,
    Mentorship,
)


class PolicyAdmin(admin.ModelAdmin):
    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff and can(request.user, "mentoring.manage"))

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


class ReadOnlyAdmin(PolicyAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EligibilityRequirement)
class EligibilityRequirementAdmin(PolicyAdmin):
    list_display = ("__str__", "kind", "course", "min_days", "position", "active")
    list_editable = ("position", "active")
    list_filter = ("kind", "active")
    fieldsets = (
        (None, {"fields": ("kind", "active", "position")}),
        (_("Settings of the kind"), {"fields": ("course", "case_types", "min_days")}),
        (
            _("Wording (optional)"),
            {"fields": ("label_en", "label_es", "how_to_fix_en", "how_to_fix_es")},
        ),
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Overrides point at requirements: switch one off (active) rather than delete it.
        return self._allowed(request) and (obj is None or not obj.overrides.exists())


@admin.register(MentoringAgreement)
class MentoringAgreementAdmin(PolicyAdmin):
    list_display = ("version", "published_at", "signature_count")
    ordering = ("-version",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[MentoringAgreement]:
        return super().get_queryset(request).annotate(n_signatures=Count("signatures"))

    @admin.display(description=_("signatures"))
    def signature_count(self, obj: Any) -> int:
        return int(getattr(obj, "n_signatures", 0))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.signatures.exists():
            return ("version", "text_en", "text_es", "published_at")
        return ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and (obj is None or not obj.signatures.exists())


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(ReadOnlyAdmin):
    list_display = ("mentee", "agreement", "language", "signed_at", "ip_address")
    list_select_related = ("mentee", "agreement")
    readonly_fields = (
        "agreement",
        "mentee",
        "mentorship",
        "request",
        "typed_name",
        "language",
        "sha256",
        "signed_at",
        "ip_address",
        "user_agent",
    )


@admin.register(MentoringRequest)
class MentoringRequestAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "case", "attorney", "status", "eligibility_ok", "created_at")
    list_filter = ("status", "source", "eligibility_ok")
    list_select_related = ("case", "attorney")
    exclude = ("help_wanted",)


@admin.register(Mentorship)
class MentorshipAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "case", "mentor", "mentee", "status", "score", "started_at")
    list_filter = ("status",)
    list_select_related = ("case", "mentor", "mentee")


@admin.register(EligibilityOverride)
class EligibilityOverrideAdmin(ReadOnlyAdmin):
    list_display = ("request", "requirement", "by", "created_at")
    list_select_related = ("request", "requirement", "by")


@admin.register(MentoringMeeting)
class MentoringMeetingAdmin(ReadOnlyAdmin):
    list_display = ("mentorship", "starts_at", "mode", "is_first", "held_logged_at")
    list_select_related = ("mentorship",)
    exclude = ("notes",)
