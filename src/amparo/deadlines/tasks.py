from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from amparo.deadlines.reminders import reminders_send_daily
from amparo.deadlines.services import case_deadlines_recompute_open


# Huey schedules in UTC; half an hour after the daily digest, so the two e-mails do not race.
@db_periodic_task(crontab(hour=str(settings.AMPARO_DIGEST_HOUR_UTC), minute="30"))
def send_daily_reminders() -> int:
    return reminders_send_daily()


@db_task()
def send_daily_reminders_now() -> int:
    """The same job, queued on demand (e.g. from the admin or a test)."""
    return reminders_send_daily()


# Before the reminders go out: flags that depend on today's date are refreshed on every open case.
@db_periodic_task(crontab(hour=str(settings.AMPARO_DIGEST_HOUR_UTC), minute="5"))
def recompute_open_case_deadlines() -> int:
    return case_deadlines_recompute_open()
