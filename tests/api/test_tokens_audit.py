"""Giving and taking away machine access is on the audit log (never the secret)."""

from __future__ import annotations

from amparo.api.services import api_token_create, api_token_revoke
from amparo.core.models import AuditEvent


def test_token_creation_and_revocation_are_audited(personas):
    token, secret = api_token_create(
        user=personas.partner, name="Case system", created_by=personas.coordinator
    )
    created = AuditEvent.objects.get(action="api_token.created")
    assert created.actor == personas.coordinator
    assert secret not in str(created.data) and created.data["prefix"] == token.prefix
    api_token_revoke(token=token, actor=personas.coordinator)
    api_token_revoke(token=token, actor=personas.coordinator)  # idempotent: audited once
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1
