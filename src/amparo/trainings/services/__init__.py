"""Writes of the trainings app: module and quiz completion, certificates and their review, live
sessions, registrations with a waiting list, and attendance. Import the services from here.

Each service validates first and raises ValidationError with messages in the current language,
writes the rows and the audit event in one transaction, and sends e-mail once it commits.
"""

from amparo.trainings.services.certificates import (
    CERTIFICATE_REJECTED,
    CERTIFICATE_UPLOADED,
    CERTIFICATE_VERIFIED,
    certificate_max_megabytes,
    certificate_reject,
    certificate_upload,
    certificate_verify,
)
from amparo.trainings.services.completion import module_complete, quiz_submit
from amparo.trainings.services.sessions import (
    ATTENDANCE_MARKED,
    SESSION_SCHEDULED,
    registration_cancel,
    session_attendance_mark,
    session_register,
    session_schedule,
)

__all__ = [
    "ATTENDANCE_MARKED",
    "CERTIFICATE_REJECTED",
    "CERTIFICATE_UPLOADED",
    "CERTIFICATE_VERIFIED",
    "SESSION_SCHEDULED",
    "certificate_max_megabytes",
    "certificate_reject",
    "certificate_upload",
    "certificate_verify",
    "module_complete",
    "quiz_submit",
    "registration_cancel",
    "session_attendance_mark",
    "session_register",
    "session_schedule",
]
