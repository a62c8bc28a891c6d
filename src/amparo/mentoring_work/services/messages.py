"""Messages between mentor and mentee with the mentee's response clock, and the daily overdue flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.deadlines.domain.business_days import us_federal_calendar
from amparo.mentoring.models import Mentorship
from amparo.mentoring_work import notifications
from amparo.mentoring_work.domain.response_clock import response_clock, response_seconds
from amparo.mentoring_work.models import (
    Message,
    PlanMilestone,
)
from amparo.mentoring_work.services._common import (
    MAX_MESSAGE_LENGTH,
    _audit,
    _lock,
    _require_active,
    _require_participant,
)

# --- messages and the response clock ----------------------------------------------------------


def _clock_calendar() -> Any:
    # The deadline engine's calendar: weekends and federal holidays (holidays.US()). Extra
    # court closures do not stop an e-mail clock, so none are passed.
    return us_federal_calendar()


@transaction.atomic
def message_send(*, mentorship: Mentorship, author: Any, body: str) -> Message:
    """Post a message. From the mentor, it starts the mentee's 2-business-day clock; from the
    mentee, it answers every message of the mentor still waiting (their response times are
    stored for reports). The other side is e-mailed a link to the conversation."""
    mentorship = _lock(mentorship)
    _require_active(mentorship)
    _require_participant(mentorship, author)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {
                "body": _("The message is too long (at most %(max)s characters).")
                % {"max": MAX_MESSAGE_LENGTH}
            }
        )
    now = timezone.now()
    message = Message(mentorship=mentorship, author=author, body=body, sent_at=now)
    if author.pk == mentorship.mentor_id:
        clock = response_clock(
            now, zone=timezone.get_default_timezone(), calendar=_clock_calendar()
        )
        message.response_due_at = clock.runs_out_at
    message.save()
    if author.pk == mentorship.mentee_id:
        waiting = list(
            Message.objects.select_for_update().filter(
                mentorship=mentorship,
                author_id=mentorship.mentor_id,
                response_due_at__isnull=False,
                answered_at__isnull=True,
                sent_at__lte=now,
            )
        )
        for earlier in waiting:
            assert earlier.response_due_at is not None  # filtered above
            earlier.answered_at = now
            earlier.answered_by = message
            earlier.response_seconds = response_seconds(earlier.sent_at, now)
            earlier.answered_on_time = now < earlier.response_due_at
        Message.objects.bulk_update(
            waiting, ["answered_at", "answered_by", "response_seconds", "answered_on_time"]
        )
    _audit(actor=author, mentorship=mentorship, what="message_sent", message=message.pk)
    message_id = message.pk
    transaction.on_commit(lambda: notifications.notify_new_message(message_id=message_id))
    return message


# --- the daily overdue flags -----------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueRun:
    milestones: int
    messages: int
    emails: int


def overdue_flag(*, now: dt.datetime | None = None) -> OverdueRun:
    """Flag, once each, the open milestones of active mentorships past their due date (to the
    mentor, the mentee and the program admins) and the mentor's messages unanswered past the
    2-business-day clock (to the mentor and the program admins); record the flag time."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    related = ("mentorship", "mentorship__case", "mentorship__mentor", "mentorship__mentee")
    with transaction.atomic():
        milestones = list(
            PlanMilestone.objects.select_for_update(of=("self",))
            .filter(
                mentorship__status=Mentorship.Status.ACTIVE,
                status__in=PlanMilestone.OPEN_STATUSES,
                due_date__lt=today,
                overdue_flagged_at__isnull=True,
            )
            .select_related(*related)
            .order_by("due_date", "id")
        )
        messages = list(
            Message.objects.select_for_update(of=("self",))
            .filter(
                mentorship__status=Mentorship.Status.ACTIVE,
                response_due_at__lte=now,
                answered_at__isnull=True,
                overdue_flagged_at__isnull=True,
            )
            .select_related(*related)
            .order_by("response_due_at", "id")
        )
        PlanMilestone.objects.filter(pk__in=[m.pk for m in milestones]).update(
            overdue_flagged_at=now
        )
        Message.objects.filter(pk__in=[m.pk for m in messages]).update(overdue_flagged_at=now)
    emails = 0
    if milestones or messages:
        emails = notifications.notify_overdue(milestones=milestones, messages=messages)
    return OverdueRun(milestones=len(milestones), messages=len(messages), emails=emails)
