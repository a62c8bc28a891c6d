from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from amparo.cases.digest import DAILY, WEEKLY, board_digest_send
from amparo.cases.retention import retention_apply


# Huey schedules in UTC: after the deadline flags are refreshed (minute 5) and before the daily
# reminders (minute 30), so the e-mails do not race.
@db_periodic_task(crontab(hour=str(settings.AMPARO_DIGEST_HOUR_UTC), minute="15"))
def send_daily_board_digest() -> int:
    return board_digest_send(frequency=DAILY)


# Mondays (Huey counts Sunday as 0).
@db_periodic_task(crontab(day_of_week="1", hour=str(settings.AMPARO_DIGEST_HOUR_UTC), minute="20"))
def send_weekly_board_digest() -> int:
    return board_digest_send(frequency=WEEKLY)


@db_task()
def send_board_digest_now(frequency: str) -> int:
    """The same job, queued on demand (e.g. from the admin or a test); subscribers who had their
    digest recently are skipped as in the scheduled run."""
    return board_digest_send(frequency=frequency)


# Daily at 09:40 UTC (about 2 a.m. in California): archive closed cases past
# AMPARO_ARCHIVE_AFTER_DAYS, purge those past AMPARO_RETENTION_YEARS (cases/retention.py).
@db_periodic_task(crontab(hour="9", minute="40"))
def apply_retention() -> dict[str, int]:
    run = retention_apply()
    return {
        "unarchived": len(run.unarchived),
        "archived": len(run.archived),
        "purged": len(run.purged),
        "failed": len(run.failed),
    }
