"""Demo data for the ongoing mentorship (called by `manage.py demo_data`, after the mentoring
seed): on the active mentorship between the demo mentor and the demo attorney, the plan written
at a first meeting, a draft declaration with the mentor's comment, messages (one answered, one
past the 2-business-day clock), time entries (some approved), a grant, and last month's statement
issued against it. Rows are written directly where a service would e-mail real addresses.
Nothing here is a real person's data."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from amparo.deadlines.domain.business_days import us_federal_calendar
from amparo.library.demo import tiny_pdf
from amparo.mentoring.models import Mentorship
from amparo.mentoring_work.domain.pay import previous_month
from amparo.mentoring_work.domain.response_clock import response_clock, response_seconds
from amparo.mentoring_work.models import (
    Draft,
    DraftComment,
    FundingSource,
    MentoringPlan,
    Message,
    MilestoneKind,
    PlanMilestone,
    TimeActivity,
    TimeEntry,
)
from amparo.mentoring_work.pay import statement_issue, statements_prepare
from amparo.mentoring_work.services import plan_create_at_first_meeting
from amparo.people.models import MentorProfile

MENTOR_EMAIL = "mentor@demo.amparo.org"
MENTEE_EMAIL = "attorney@demo.amparo.org"


def _message(mentorship: Mentorship, author: Any, body: str, sent_at: dt.datetime) -> Message:
    message = Message(mentorship=mentorship, author=author, body=body, sent_at=sent_at)
    if author.pk == mentorship.mentor_id:
        clock = response_clock(
            sent_at, zone=timezone.get_default_timezone(), calendar=us_federal_calendar()
        )
        message.response_due_at = clock.runs_out_at
    message.save()
    return message


def mentoring_work_demo_seed(*, program_admin: Any) -> bool:
    """Fill the demo mentorship; does nothing (returns False) when the mentoring seed made none."""
    mentorship = (
        Mentorship.objects.filter(
            mentor__email=MENTOR_EMAIL,
            mentee__email=MENTEE_EMAIL,
            status=Mentorship.Status.ACTIVE,
        )
        .select_related("case", "mentor", "mentee")
        .first()
    )
    if mentorship is None or MentoringPlan.objects.filter(mentorship=mentorship).exists():
        return False
    mentor, mentee = mentorship.mentor, mentorship.mentee
    now = timezone.now()
    today = timezone.localdate()

    plan_create_at_first_meeting(
        mentorship=mentorship,
        actor=mentor,
        met_at=now - dt.timedelta(days=12),
        mode=MentoringPlan.MeetingMode.VIDEO,
        notes="Agreed the theory of the case and the order of the drafts.",
    )
    milestones = list(mentorship.plan_milestones.order_by("order"))
    declaration = next(
        (m for m in milestones if m.kind == MilestoneKind.DECLARATION),
        milestones[0] if milestones else None,
    )
    if declaration is not None:
        content = tiny_pdf(
            ["DEMO - fictional draft declaration", "Version 1, for the mentor's review."]
        )
        draft = Draft(
            milestone=declaration,
            number=1,
            original_name="declaration-draft-v1.pdf",
            file_type="pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            note="First full draft; the chronology section still needs dates.",
            uploaded_by=mentee,
            uploaded_at=now - dt.timedelta(days=4),
        )
        draft.file.save("draft.pdf", ContentFile(content), save=False)
        draft.save()
        DraftComment.objects.create(
            draft=draft,
            author=mentor,
            body="Good start. Tie each incident to the protected ground, and add the dates.",
            created_at=now - dt.timedelta(days=3),
        )
        declaration.status = PlanMilestone.Status.IN_PROGRESS
        declaration.save(update_fields=["status", "updated_at"])
    # Overdue on purpose: the first open milestone with a date (if any), moved into the past.
    late = next((m for m in milestones if m.due_date and m.is_open and m is not declaration), None)
    if late is not None:
        late.due_date = today - dt.timedelta(days=3)
        late.due_date_set_by_hand = True
        late.save(update_fields=["due_date", "due_date_set_by_hand", "updated_at"])

    first = _message(
        mentorship,
        mentor,
        "Could you send the client's arrival timeline before we meet on Thursday?",
        now - dt.timedelta(days=9),
    )
    answer = _message(
        mentorship, mentee, "Yes, attached to the declaration draft.", now - dt.timedelta(days=8)
    )
    first.answered_at = answer.sent_at
    first.answered_by = answer
    first.response_seconds = response_seconds(first.sent_at, answer.sent_at)
    first.answered_on_time = first.response_due_at is not None and (
        answer.sent_at < first.response_due_at
    )
    first.save()
    # Waiting past the clock: the dashboard and the daily job flag it.
    _message(
        mentorship,
        mentor,
        "Please confirm whether the expert declaration was requested.",
        now - dt.timedelta(days=6),
    )

    last_month = previous_month(today)
    if not MentorProfile.objects.filter(user=mentor).exists():
        MentorProfile.objects.create(user=mentor, hourly_rate=Decimal("95.00"))
    for day, minutes, activity, approved in [
        (3, 60, TimeActivity.MEETING, True),
        (10, 45, TimeActivity.DRAFT_REVIEW, True),
        (17, 30, TimeActivity.MESSAGES, True),
        (24, 90, TimeActivity.HEARING_PREPARATION, False),
    ]:
        TimeEntry.objects.create(
            mentorship=mentorship,
            mentor=mentor,
            date=last_month.replace(day=day),
            minutes=minutes,
            activity=activity,
            status=TimeEntry.Status.APPROVED if approved else TimeEntry.Status.SUBMITTED,
            decided_by=program_admin if approved else None,
            decided_at=now if approved else None,
        )
    TimeEntry.objects.create(
        mentorship=mentorship,
        mentor=mentor,
        date=today - dt.timedelta(days=3) if today.day > 3 else today,
        minutes=50,
        activity=TimeActivity.DRAFT_REVIEW,
    )
    grant = FundingSource.objects.create(
        name="Immigrant Justice Fund grant (demo)",
        kind=FundingSource.Kind.GRANT,
        amount=Decimal("25000.00"),
        start_date=today.replace(month=1, day=1)
        if today.month > 1
        else last_month.replace(month=1),
        notes="Fictional grant for the demo.",
    )
    FundingSource.objects.create(
        name="Spring appeal donations (demo)",
        kind=FundingSource.Kind.DONATION,
        amount=Decimal("1200.00"),
        start_date=last_month,
    )
    prepared = statements_prepare(month=last_month, actor=program_admin)
    for statement in prepared.statements:
        statement_issue(statement=statement, source=grant, actor=program_admin)
    return True
