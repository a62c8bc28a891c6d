"""Several app servers and job workers share one state: nothing that one process writes and
another must read may live in a single process's memory or on a single machine's disk.

The production settings are built here as a deployment builds them (the settings module read
again with a production environment), once with Redis and object storage, once without."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings as django_settings

REDIS = "redis://redis.internal:6379/0"
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "production-like-secret-key-for-the-scale-test-0123456789",
    "DATABASE_URL": "postgres://amparo@db.internal:5432/amparo",
    "REDIS_URL": REDIS,
    "AMPARO_MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "amparo-uploads",
}
SHARED_CACHE = "django.core.cache.backends.redis.RedisCache"
#: Cache backends that keep their entries in one process's memory or on one machine's disk.
LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def production_settings(monkeypatch: pytest.MonkeyPatch, **overrides: str) -> ModuleType:
    """amparo.config.settings as a process started with this environment builds it."""
    for name in ("REDIS_URL", "HUEY_IMMEDIATE", "AMPARO_MEDIA_STORAGE", "DJANGO_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PRODUCTION, **overrides}.items():
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)
    from amparo.config import settings as module

    return importlib.reload(module)


@pytest.fixture
def reload_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    monkeypatch.undo()  # the suite's environment back before the module is read again
    from amparo.config import settings as module

    importlib.reload(module)


def test_with_redis_every_cache_session_and_job_store_is_shared(monkeypatch, reload_back):
    built = production_settings(monkeypatch)

    for alias, cache in built.CACHES.items():
        assert cache["BACKEND"] == SHARED_CACHE, alias
        assert cache["LOCATION"] == REDIS, alias
    assert built.SESSION_ENGINE in (
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
        "django.contrib.sessions.backends.db",
    )
    assert getattr(built, "SESSION_CACHE_ALIAS", "default") in built.CACHES
    assert built.HUEY["huey_class"] == "huey.RedisHuey"
    assert built.HUEY["url"] == REDIS
    assert not built.HUEY["immediate"]  # a real queue that every worker takes jobs from
    # Uploads in the bucket every server reaches, encrypted; the database on the network.
    assert built.STORAGES["default"]["BACKEND"] == "amparo.core.storage.EncryptedS3Storage"
    assert built.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_lock_out_and_rate_limits_count_in_shared_stores(monkeypatch, reload_back):
    built = production_settings(monkeypatch)

    # django-axes counts failed sign-ins in the database (its default handler), not in memory.
    handler = getattr(built, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler")
    assert handler == "axes.handlers.database.AxesDatabaseHandler"
    # allauth's rate limits, the API's token throttle, the public forms' and /join/'s limits
    # and the import's save lock all use the default cache, which is Redis here.
    assert getattr(built, "ACCOUNT_RATE_LIMITS", None) is not False
    from django.core.cache import cache

    from amparo.api.auth import TokenRateThrottle

    assert TokenRateThrottle.cache is cache


def test_no_configuration_keeps_a_cache_in_one_process_memory(monkeypatch, reload_back):
    for overrides in ({}, {"REDIS_URL": "", "AMPARO_MEDIA_STORAGE": ""}):
        built = production_settings(monkeypatch, **overrides)
        for alias, cache in built.CACHES.items():
            assert cache["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache", alias


def test_without_redis_the_stores_are_this_machine_s_so_one_machine_only(monkeypatch, reload_back):
    """What docs/deploy.md says: without REDIS_URL the job queue is a SQLite file and the
    import progress a directory on this disk, so app servers and workers must share one
    machine; several machines need REDIS_URL."""
    built = production_settings(monkeypatch, REDIS_URL="")
    assert built.HUEY["huey_class"] == "huey.SqliteHuey"
    assert built.CACHES["progress"]["BACKEND"] in LOCAL_CACHES
    assert built.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert built.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.mark.skipif(
    not getattr(django_settings, "TEST_REDIS_URL", ""),
    reason="the suite runs on Redis only with AMPARO_TEST_REDIS_URL (make test-postgres)",
)
def test_the_suite_itself_runs_on_shared_stores_when_given_redis():
    """`make test`'s PostgreSQL run: the settings under test are the several-server ones."""
    for alias, cache in django_settings.CACHES.items():
        assert cache["BACKEND"] == SHARED_CACHE, alias
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"
    from huey import RedisHuey
    from huey.contrib.djhuey import HUEY

    assert isinstance(HUEY, RedisHuey)


def test_two_processes_share_the_cache_entries_they_write(settings: Any):
    """Two cache objects, as two processes hold, see each other's counters and locks."""
    from django.core.cache import caches
    from django.core.cache.backends.base import BaseCache

    config = settings.CACHES["default"]
    if config["BACKEND"] != SHARED_CACHE:
        pytest.skip("the suite runs without Redis (AMPARO_TEST_REDIS_URL not set)")
    backend = caches.create_connection("default")
    other = caches.create_connection("default")
    assert isinstance(backend, BaseCache) and backend is not other
    assert backend.add("scale:lock", 1, 30)
    assert not other.add("scale:lock", 1, 30)  # the lock is taken for every server
    backend.set("scale:count", 0, 30)
    other.incr("scale:count")
    assert backend.get("scale:count") == 1
