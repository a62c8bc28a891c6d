"""GET /health/: whether this app server can serve (for a load balancer and for monitoring).

It answers 200 when the database answers a query and the shared cache (Redis in a network: also
the sessions and the rate limits) stores and returns a value, else 503, naming the part that
failed but no detail of why (the reason goes to the server log). Public and cheap: no session,
no user, nothing about any case; never cached by a proxy.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("the database did not answer SELECT 1")


def _cache() -> None:
    # A key of its own for each check, so that two servers checking at once never read each
    # other's value; it expires by itself.
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, OK, timeout=10)
    try:
        if cache.get(key) != OK:
            raise RuntimeError("the cache did not return the value it was given")
    finally:
        cache.delete(key)


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache}


def health_checks_run() -> dict[str, str]:
    """Run every check: {"database": "ok", "cache": "unavailable"}."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # Whatever broke, the answer is "unavailable"; the log says why.
            logger.warning("health check %s failed", name, exc_info=True)
            results[name] = UNAVAILABLE
        else:
            results[name] = OK
    return results


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks = health_checks_run()
    healthy = all(result == OK for result in checks.values())
    return JsonResponse(
        {"status": OK if healthy else UNAVAILABLE, "checks": checks}, status=200 if healthy else 503
    )
