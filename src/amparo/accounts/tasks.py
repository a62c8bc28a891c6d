from importlib import import_module

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from amparo.accounts.digest import digest_send_daily


# Huey schedules in UTC; the default hour (14:00 UTC) is early morning in U.S. time zones.
@db_periodic_task(crontab(hour=str(settings.AMPARO_DIGEST_HOUR_UTC), minute="0"))
def send_daily_digest() -> int:
    return digest_send_daily()


@db_task()
def send_daily_digest_now() -> int:
    """The same job, queued on demand (e.g. from the admin or a test)."""
    return digest_send_daily()


# Nightly (UTC): the session store's expired rows. Redis expires its own keys; the database does
# not (Django's clearsessions, as a job). allauth's list of a person's sessions tidies itself.
@db_periodic_task(crontab(hour="3", minute="17"))
def clear_expired_sessions() -> None:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
