from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from amparo.library.digest import library_digest_send


# Huey schedules in UTC: after the board digest (minute 15) and the deadline reminders
# (minute 30), so the e-mails do not race.
@db_periodic_task(crontab(hour=str(settings.AMPARO_DIGEST_HOUR_UTC), minute="40"))
def send_library_digest() -> int:
    return library_digest_send()


@db_task()
def send_library_digest_now() -> int:
    """The same job, queued on demand (e.g. from the admin or a test)."""
    return library_digest_send()
