"""Role predicates shared by every app's policy module."""

from __future__ import annotations

from typing import Any

import rules

from amparo.accounts.mfa import two_factor_satisfied
from amparo.accounts.models import Role


@rules.predicate
def is_coordinator(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.COORDINATOR)


@rules.predicate
def is_program_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.PROGRAM_ADMIN)


@rules.predicate
def is_attorney(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.ATTORNEY)


@rules.predicate
def is_mentor(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.MENTOR)


@rules.predicate
def is_partner(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.PARTNER and user.organization_id)


@rules.predicate
def two_factor_ok(user: Any) -> bool:
    """Defence in depth beside the middleware: no client data before required 2FA enrolment."""
    return two_factor_satisfied(user)


@rules.predicate
def is_verified_attorney(user: Any) -> bool:
    if not (user.is_authenticated and user.role == Role.ATTORNEY):
        return False
    profile = getattr(user, "attorney_profile", None)
    return bool(profile is not None and profile.is_verified)


is_program_staff = is_coordinator | is_program_admin
