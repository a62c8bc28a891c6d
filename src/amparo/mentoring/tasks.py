from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from amparo.mentoring.services import mentoring_requests_eligibility_refresh_open


# Before the program admins start their day (Huey schedules in UTC): the queue's "requirements"
# column follows completed trainings, verifications and moved hearings.
@db_periodic_task(crontab(hour=str(settings.AMPARO_DIGEST_HOUR_UTC), minute="15"))
def refresh_open_request_eligibility() -> int:
    return mentoring_requests_eligibility_refresh_open()
