"""What the services share: limits, the audit record, locking, and the two checks that every
write makes (the mentorship is active; the actor is its mentor or its mentee)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.mentoring.models import Mentorship

MAX_MESSAGE_LENGTH = 10_000
MAX_COMMENT_LENGTH = 5_000
MAX_NOTES_LENGTH = 10_000
#: How far ahead a due date may be set (a typo such as 2062 is caught).
MAX_DUE_YEARS = 5
EARLIEST_DATE = dt.date(2000, 1, 1)


def _audit(*, actor: Any, mentorship: Mentorship, what: str, **data: Any) -> None:
    # Audit actions are core's list; mentoring work is recorded as a change to the case, with
    # ids only (never text), so the case's history shows it.
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=mentorship.case,
        data={"mentoring": what, "mentorship": mentorship.pk, **data},
    )


def _lock(mentorship: Mentorship) -> Mentorship:
    # Lock the mentorship row only (not the case: the cases app may hold it in this transaction).
    return (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=mentorship.pk)
    )


def _require_active(mentorship: Mentorship) -> None:
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise ValidationError(_("This mentorship is closed: nothing more can be added to it."))


def _require_participant(mentorship: Mentorship, user: Any) -> None:
    if user.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise ValidationError(_("Only the mentor and the mentee of this mentorship can do this."))
