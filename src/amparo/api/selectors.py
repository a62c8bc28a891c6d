"""Reads of the API app."""

from __future__ import annotations

from amparo.api.models import ApiToken
from amparo.api.services import TOKEN_PREFIX, api_token_hash

# A token is the prefix and 43 URL-safe characters; anything much longer is not one of ours.
MAX_SECRET_LENGTH = 200


def api_token_get_active(*, secret: str) -> ApiToken | None:
    """The unrevoked token of an active user with this secret, with the user (and their
    attorney profile, which the policy reads) in the same query; None otherwise."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_SECRET_LENGTH:
        return None
    return (
        ApiToken.objects.select_related("user", "user__attorney_profile")
        .filter(token_hash=api_token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
