"""Reads about a person's own account: their sign-in sessions, their second factor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.usersessions.models import UserSession

from amparo.accounts.mfa import has_totp, two_factor_required


@dataclass(frozen=True)
class AccountSecurity:
    has_totp: bool
    two_factor_required: bool
    has_password: bool
    sessions: list[UserSession]


def user_session_list(*, user: Any) -> list[UserSession]:
    """The user's live sessions, oldest first (allauth drops the ones that ended on the way)."""
    return sorted(UserSession.objects.purge_and_list(user), key=lambda s: s.created_at)


def account_security_for_user(*, user: Any) -> AccountSecurity:
    return AccountSecurity(
        has_totp=has_totp(user),
        two_factor_required=two_factor_required(user),
        has_password=user.has_usable_password(),
        sessions=user_session_list(user=user),
    )
