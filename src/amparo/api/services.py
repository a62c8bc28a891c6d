"""Writes of the API app: creating, using and revoking tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amparo.api.models import ApiToken
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent

TOKEN_PREFIX = "amp_"
# How stale last_used_at may get: one write a minute per token, not one per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def api_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, name: str, created_by: Any = None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with the secret, which is never stored or shown
    again (secrets.token_urlsafe(32): 256 random bits)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        token_hash=api_token_hash(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    # Who gave whom machine access, and when (the prefix, never the secret).
    audit_record(
        actor=created_by,
        action=AuditEvent.Action.API_TOKEN_CREATED,
        target=token,
        data={"user_id": user.pk, "prefix": token.prefix},
    )
    return token, secret


def api_token_revoke(*, token: ApiToken, actor: Any = None) -> ApiToken:
    """Revoke the token (at once: the next request with it is refused). Idempotent."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
        if revoked:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.API_TOKEN_REVOKED,
                target=token,
                data={"user_id": token.user_id, "prefix": token.prefix},
            )
    return token


def api_token_mark_used(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    token.last_used_at = now
