"""The one helper every view, API endpoint and service uses to ask the policy.

Permissions are `rules` predicates declared in each app's policy.py. A forbidden object answers
404, so that its existence does not leak.
"""

from __future__ import annotations

from typing import Any, TypeVar

import rules
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def can(user: Any, permission: str, obj: Any = None) -> bool:
    # Ask the rules registry directly: no superuser bypass and no group permissions, so the
    # policy modules are the only place that decides who sees client data.
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(rules.has_perm(permission, user, obj))


def authorize(user: Any, permission: str, obj: Any = None) -> None:
    """Raise Http404 unless the user has the permission (on the object)."""
    if not can(user, permission, obj):
        raise Http404


def get_for_user_or_404(
    queryset: models.QuerySet[M], *, user: Any, permission: str, **lookup: Any
) -> M:
    try:
        obj = queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    authorize(user, permission, obj)
    return obj
