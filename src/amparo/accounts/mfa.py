"""Who must enrol two-factor authentication, and whether they have."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings

from amparo.accounts.models import TWO_FACTOR_ROLES, Role


def two_factor_required(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_demo and settings.AMPARO_DEMO_SKIPS_2FA:
        return False
    if user.role in TWO_FACTOR_ROLES or user.is_superuser:
        return True
    return bool(user.role == Role.ATTORNEY and settings.AMPARO_REQUIRE_2FA_FOR_ATTORNEYS)


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def two_factor_satisfied(user: Any) -> bool:
    """True when the user may see client data as far as two-factor enrolment is concerned."""
    if not two_factor_required(user):
        return True
    cached = getattr(user, "_amparo_has_totp", None)
    if cached is None:
        cached = has_totp(user)
        user._amparo_has_totp = cached
    return bool(cached)
