"""Writing the audit log. Services call `audit_record` inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from amparo.core.models import AuditEvent


def _client_address(request: HttpRequest | None) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    # REMOTE_ADDR only: X-Forwarded-For is set by clients and cannot be trusted without a proxy
    # that overwrites it (configure the proxy to set REMOTE_ADDR instead, see docs/deploy.md).
    address = request.META.get("REMOTE_ADDR") or None
    agent = str(request.META.get("HTTP_USER_AGENT", ""))[:300]
    return address, agent


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    address, agent = _client_address(request)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        ip_address=address,
        user_agent=agent,
        data=data or {},
    )
