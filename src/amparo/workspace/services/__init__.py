"""Writes of the case workspace. Import the services from here.

Each service validates (a ValidationError names the field and says what to fix, in the user's
language), writes its rows and the audit event in one transaction, and queues e-mails with
`transaction.on_commit`. Hearings, deadlines and decisions are written by the deadlines app's
services (`hearing_add`, `hearing_reschedule`, `decision_record`); the services here wrap them
with what the workspace adds: the list of what moved and who is told, outcomes, the log, hours.
"""

from amparo.workspace.services.documents import (
    MAX_DOCUMENT_BYTES,
    case_document_create,
    case_document_download_record,
    case_document_version_add,
    document_comment_add,
    document_file_check,
)
from amparo.workspace.services.hearings import (
    MovedDate,
    Rescheduled,
    hearing_outcome_record,
    hearing_reschedule_and_notify,
    hearing_schedule,
)
from amparo.workspace.services.log import client_contact_log, hours_delete, hours_log
from amparo.workspace.services.outcome import (
    APPEALABLE_OUTCOMES,
    case_close,
    case_outcome_record,
    outcome_choices_for,
    outcome_is_appealable,
)
from amparo.workspace.services.status import status_request_answer, status_request_send
from amparo.workspace.services.withdrawal import (
    withdrawal_request_create,
    withdrawal_request_decide,
)

__all__ = [
    "APPEALABLE_OUTCOMES",
    "MAX_DOCUMENT_BYTES",
    "MovedDate",
    "Rescheduled",
    "case_close",
    "case_document_create",
    "case_document_download_record",
    "case_document_version_add",
    "case_outcome_record",
    "client_contact_log",
    "document_comment_add",
    "document_file_check",
    "hearing_outcome_record",
    "hearing_reschedule_and_notify",
    "hearing_schedule",
    "hours_delete",
    "hours_log",
    "outcome_choices_for",
    "outcome_is_appealable",
    "status_request_answer",
    "status_request_send",
    "withdrawal_request_create",
    "withdrawal_request_decide",
]
