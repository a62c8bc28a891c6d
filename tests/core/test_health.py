"""GET /health/: 200 when the database and the shared cache answer, 503 naming the part that does
not (tried for real: a cache on a closed port), and nothing else about the server."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_healthy_server_answers_200_without_a_session(client: Any):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def test_health_leaves_nothing_in_the_cache(client: Any):
    client.get(reverse("health"))
    cache = caches["default"]
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):  # Redis
        keys = list(cache._cache.get_client().scan_iter(match="*health:*"))
        assert keys == []


def test_unreachable_cache_answers_503_and_names_it(client: Any, caplog: Any):
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=broken):
        caches.close_all()
        response = client.get(reverse("health"))
    caches.close_all()
    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "unavailable", "checks": {"database": "ok", "cache": "unavailable"}}
    # Why it failed stays in the server's log, never in the public answer.
    assert "Connection" not in response.content.decode()
    assert any("health check cache failed" in record.getMessage() for record in caplog.records)


def test_health_answers_get_and_head_only(client: Any):
    assert client.head(reverse("health")).status_code == 200
    assert client.post(reverse("health")).status_code == 405
