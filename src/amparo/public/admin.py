"""The support page's text and donation link are edited in the admin by program staff.

Subscribers and partner inquiries are not in the admin: they are personal data, seen through
the policy-checked pages (public/views.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from amparo.accounts.models import STAFF_ROLES
from amparo.public.models import SupportPage


def _is_program_staff(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(
        user.is_active and user.is_staff and (user.is_superuser or user.role in STAFF_ROLES)
    )


@admin.register(SupportPage)
class SupportPageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "donation_url", "contact_email", "updated_at"]
    # A donation link typed without a scheme is read as https:// (the only scheme allowed).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["text_en", "text_es", "donation_url"]}),
        (None, {"fields": ["contact_name", "contact_email"]}),
    ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_program_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_program_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_program_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_program_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One page: the first row is the one shown, so a second one is never added.
        return _is_program_staff(request) and not SupportPage.objects.exists()
