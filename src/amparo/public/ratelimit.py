"""Per-address rate limits for the public forms, counted in the cache (as /join/ does, see
amparo.people.views): spam and abuse are slowed down without a third-party captcha.

The cache key holds a keyed hash of the address, not the address itself, so the cache (a
database table without Redis) keeps no visitor's IP address.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from amparo.core.crypto import blind_index


def rate_limit_exceeded(
    request: HttpRequest, *, scope: str, limit: int, window_seconds: int
) -> bool:
    """Count this submission against the visitor's address; True once it is over the limit.

    REMOTE_ADDR only: X-Forwarded-For is set by clients (see amparo.core.audit)."""
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    key = f"public:{scope}:{blind_index(address, purpose='rate_limit')[:32]}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count > limit
