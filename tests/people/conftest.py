"""The volunteer-network tests count sign-ups in a clean in-memory cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _local_cache(settings: Any) -> None:
    """The sign-up rate limit counts in the cache: a private in-memory one per test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "people-tests",
        }
    }
    cache.clear()
