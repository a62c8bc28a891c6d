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
