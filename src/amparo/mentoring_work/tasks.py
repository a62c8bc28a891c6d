from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from amparo.mentoring_work.services import (
    mentorships_close_for_closed_cases,
    overdue_flag,
    plan_due_dates_refresh_active,
)


def mentoring_daily_run() -> dict[str, int]:
    """Close the mentorships of cases that closed, move due dates that follow the case's dates,
    then flag (once each) overdue milestones and messages unanswered past the clock."""
    closed = mentorships_close_for_closed_cases()
    moved = plan_due_dates_refresh_active()
    run = overdue_flag()
    return {
        "closed": closed,
        "due_dates_moved": moved,
        "milestones_flagged": run.milestones,
        "messages_flagged": run.messages,
        "emails": run.emails,
    }


# Huey schedules in UTC; after the deadline recomputation (:05) and before the reminders (:30),
# so that due dates counted from the case's deadlines are current when flagged.
@db_periodic_task(crontab(hour=str(settings.AMPARO_DIGEST_HOUR_UTC), minute="20"))
def mentoring_daily() -> dict[str, int]:
    return mentoring_daily_run()


@db_task()
def mentoring_daily_now() -> dict[str, int]:
    """The same job, queued on demand (from a shell or a test)."""
    return mentoring_daily_run()
