"""The background-job runner executes a real job: the daily digest e-mail."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from amparo.accounts.digest import digest_send_daily
from amparo.accounts.tasks import send_daily_digest, send_daily_digest_now
from tests.factories import HearingFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queued_huey():
    """Huey on its configured SQLite storage (not immediate mode), emptied before and after."""
    HUEY.immediate = False
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True


# A worker closes stale connections around each job (huey's db_task), as a real consumer does;
# inside a test transaction that would close the test's own connection, hence transaction=True.
@pytest.mark.django_db(transaction=True)
def test_job_runner_executes_the_digest_from_its_queue(personas, queued_huey):
    HearingFactory(case=personas.placed_case, starts_at=timezone.now() + datetime.timedelta(days=3))
    send_daily_digest_now()
    assert queued_huey.pending_count() == 1
    assert mail.outbox == []  # queued, not run inline

    task = queued_huey.dequeue()  # what a consumer worker does
    queued_huey.execute(task)

    assert queued_huey.pending_count() == 0
    recipients = {message.to[0] for message in mail.outbox}
    assert personas.attorney.email in recipients
    assert personas.mentor.email in recipients


def test_job_runner_schedules_the_digest_daily():
    assert send_daily_digest.task_class.validate_datetime is not None
    morning = datetime.datetime(2026, 11, 23, 14, 0)
    assert send_daily_digest.task_class().validate_datetime(morning)
    assert not send_daily_digest.task_class().validate_datetime(morning.replace(hour=15))


def test_digest_names_cases_by_code_never_the_client(personas):
    HearingFactory(case=personas.placed_case, starts_at=timezone.now() + datetime.timedelta(days=3))
    digest_send_daily(now=timezone.now())
    message = next(m for m in mail.outbox if m.to == [personas.attorney.email])
    assert personas.placed_case.code in message.body
    for text in (message.subject, message.body):
        assert personas.placed_case.client.family_names not in text
        assert "asylum" not in text.lower()


def test_digest_in_the_recipients_language(personas):
    personas.attorney.language = "es"
    personas.attorney.save()
    HearingFactory(case=personas.placed_case, starts_at=timezone.now() + datetime.timedelta(days=3))
    digest_send_daily(now=timezone.now())
    message = next(m for m in mail.outbox if m.to == [personas.attorney.email])
    assert message.subject.startswith("Su resumen de Amparo")
    assert "Audiencias en los próximos 7 días" in message.body


def test_digest_skips_people_with_nothing_to_report(personas):
    # No hearing this week: only the coordinator hears (one attorney awaits verification).
    assert digest_send_daily(now=timezone.now()) == 1
    assert mail.outbox[0].to == [personas.coordinator.email]
    assert "1 attorney is waiting for verification." in mail.outbox[0].body


def _redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="Redis is not reachable at 127.0.0.1:6379")
def test_redis_url_switches_cache_and_job_queue_to_redis():
    script = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import cache
from huey.contrib.djhuey import HUEY
HUEY.flush()
cache.set("amparo-test-key", "ok", 30)
@HUEY.task()
def add(a, b):
    return a + b
add(2, 3)
pending = HUEY.pending_count()
result = HUEY.execute(HUEY.dequeue())
HUEY.flush()
print(json.dumps({"huey": type(HUEY).__name__, "cache": settings.CACHES["default"]["BACKEND"],
                  "cached": cache.get("amparo-test-key"), "pending": pending, "result": result,
                  "sessions": settings.SESSION_ENGINE}))
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "amparo.config.settings",
        "DJANGO_DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "PYTHONPATH": str(ROOT / "src"),
    }
    output = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    facts = json.loads(output.strip().splitlines()[-1])
    assert facts == {
        "huey": "RedisHuey",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "cached": "ok",
        "pending": 1,
        "result": 5,
        "sessions": "django.contrib.sessions.backends.cache",
    }
