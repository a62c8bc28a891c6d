"""Reads of the ongoing mentorship. Lists load their rows in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from amparo.accounts.models import Role, User
from amparo.core.policy import get_for_user_or_404
from amparo.mentoring.models import Mentorship
from amparo.mentoring_work.domain.pay import amount_for, hours_from_minutes, month_end
from amparo.mentoring_work.models import (
    Draft,
    DraftComment,
    FundingSource,
    MentorshipFeedback,
    MentorStatement,
    Message,
    PlanMilestone,
    TimeEntry,
)
from amparo.mentoring_work.policy import WORKSPACE_STATUSES
from amparo.people.models import MentorProfile

_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _mentorships() -> QuerySet[Mentorship]:
    return Mentorship.objects.filter(status__in=WORKSPACE_STATUSES).select_related(
        "case", "mentor", "mentee"
    )


def mentorship_get_for_user(
    *, viewer: Any, pk: int, permission: str = "mentoring_work.view_mentorship"
) -> Mentorship:
    return get_for_user_or_404(_mentorships(), user=viewer, permission=permission, pk=pk)


def milestone_get_for_user(*, viewer: Any, pk: int, permission: str) -> PlanMilestone:
    queryset = PlanMilestone.objects.select_related(
        "mentorship", "mentorship__case", "mentorship__mentor", "mentorship__mentee"
    ).filter(mentorship__status__in=WORKSPACE_STATUSES)
    return get_for_user_or_404(queryset, user=viewer, permission=permission, pk=pk)


def draft_get_for_user(*, viewer: Any, pk: int, permission: str) -> Draft:
    queryset = Draft.objects.select_related(
        "milestone",
        "milestone__mentorship",
        "milestone__mentorship__case",
        "milestone__mentorship__mentor",
        "milestone__mentorship__mentee",
        "uploaded_by",
    ).filter(milestone__mentorship__status__in=WORKSPACE_STATUSES)
    return get_for_user_or_404(queryset, user=viewer, permission=permission, pk=pk)


def time_entry_get_for_user(*, viewer: Any, pk: int, permission: str) -> TimeEntry:
    queryset = TimeEntry.objects.select_related("mentorship", "mentorship__case")
    return get_for_user_or_404(queryset, user=viewer, permission=permission, pk=pk)


# --- lists of mentorships ----------------------------------------------------------------------


def mentorship_list_for_user(
    *, viewer: Any, now: dt.datetime | None = None
) -> QuerySet[Mentorship]:
    """The mentorships the viewer works on (staff: all), with overdue counts, in one query."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    queryset = _mentorships()
    if viewer.role not in (Role.PROGRAM_ADMIN, Role.COORDINATOR):
        queryset = queryset.filter(Q(mentor=viewer) | Q(mentee=viewer))
    overdue_milestones = PlanMilestone.objects.filter(
        mentorship=OuterRef("pk"),
        status__in=PlanMilestone.OPEN_STATUSES,
        due_date__lt=today,
    )
    overdue_messages = Message.objects.filter(
        mentorship=OuterRef("pk"), response_due_at__lte=now, answered_at__isnull=True
    )
    return queryset.annotate(
        has_overdue_milestone=Exists(overdue_milestones),
        has_overdue_message=Exists(overdue_messages),
    ).order_by("status", "case__code", "pk")


# --- the workspace ------------------------------------------------------------------------------


def plan_milestone_list(*, mentorship: Mentorship) -> list[PlanMilestone]:
    """Milestones with every draft version and its comments: four queries in all."""
    comments = DraftComment.objects.select_related("author").order_by("created_at", "id")
    drafts = (
        Draft.objects.select_related("uploaded_by", "reviewed_by")
        .prefetch_related(Prefetch("comments", queryset=comments))
        .order_by("-number")
    )
    return list(
        mentorship.plan_milestones.prefetch_related(Prefetch("drafts", queryset=drafts)).order_by(
            "order", "id"
        )
    )


def message_list(*, mentorship: Mentorship) -> list[Message]:
    return list(mentorship.work_messages.select_related("author").order_by("sent_at", "id"))


def time_entry_list_for_mentorship(*, mentorship: Mentorship) -> QuerySet[TimeEntry]:
    return mentorship.time_entries.select_related("decided_by").order_by("-date", "-id")


@dataclass(frozen=True)
class TimeTotals:
    submitted_minutes: int
    approved_minutes: int

    @property
    def submitted_hours(self) -> Decimal:
        return hours_from_minutes(self.submitted_minutes)

    @property
    def approved_hours(self) -> Decimal:
        return hours_from_minutes(self.approved_minutes)


def time_totals(*, entries: QuerySet[TimeEntry]) -> TimeTotals:
    totals = entries.aggregate(
        submitted=Coalesce(Sum("minutes", filter=Q(status=TimeEntry.Status.SUBMITTED)), 0),
        approved=Coalesce(Sum("minutes", filter=Q(status=TimeEntry.Status.APPROVED)), 0),
    )
    return TimeTotals(submitted_minutes=totals["submitted"], approved_minutes=totals["approved"])


def feedback_for_mentorship(*, mentorship: Mentorship) -> list[MentorshipFeedback]:
    return list(mentorship.feedback.select_related("author").order_by("side"))


# --- admin pages ---------------------------------------------------------------------------------


def time_entry_queue() -> QuerySet[TimeEntry]:
    """Time waiting for approval, oldest first."""
    return (
        TimeEntry.objects.filter(status=TimeEntry.Status.SUBMITTED)
        .select_related("mentor", "mentorship", "mentorship__case")
        .order_by("date", "id")
    )


@dataclass(frozen=True)
class StatementPreview:
    """A mentor's approved time of a month that is not on a statement yet."""

    mentor: Any
    minutes: int
    entries: int
    hourly_rate: Decimal | None

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)

    @property
    def amount(self) -> Decimal | None:
        if self.hourly_rate is None:
            return None
        return amount_for(self.minutes, self.hourly_rate)


def statement_previews(*, month: dt.date) -> list[StatementPreview]:
    """Per mentor, approved entries dated in the month and on no issued statement (two queries)."""
    rows = list(
        TimeEntry.objects.filter(
            status=TimeEntry.Status.APPROVED,
            date__gte=month,
            date__lte=month_end(month),
        )
        .filter(Q(statement__isnull=True) | Q(statement__status=MentorStatement.Status.DRAFT))
        .values("mentor")
        .annotate(minutes=Sum("minutes"), entries=Count("id"))
        .order_by("mentor")
    )
    if not rows:
        return []
    mentors = {
        user.pk: user
        for user in User.objects.filter(pk__in=[row["mentor"] for row in rows]).select_related(
            "mentor_profile"
        )
    }
    previews = []
    for row in rows:
        mentor = mentors[row["mentor"]]
        profile: MentorProfile | None = getattr(mentor, "mentor_profile", None)
        previews.append(
            StatementPreview(
                mentor=mentor,
                minutes=row["minutes"],
                entries=row["entries"],
                hourly_rate=profile.hourly_rate if profile is not None else None,
            )
        )
    return sorted(previews, key=lambda p: (p.mentor.full_name, p.mentor.pk))


def statement_list(*, month: dt.date) -> QuerySet[MentorStatement]:
    return (
        MentorStatement.objects.filter(month=month)
        .select_related("mentor", "charge", "charge__source")
        .annotate(entry_count=Count("entries"))
        .order_by("mentor__full_name", "id")
    )


def statement_get(*, pk: int) -> MentorStatement:
    """Callers ask `mentoring_work.manage_pay` first (statements are not per-object)."""
    statement = (
        MentorStatement.objects.select_related("mentor", "charge", "charge__source")
        .filter(pk=pk)
        .first()
    )
    if statement is None:
        raise Http404
    return statement


def statement_lines(*, statement: MentorStatement) -> list[TimeEntry]:
    return list(
        statement.entries.select_related("mentorship", "mentorship__case").order_by("date", "id")
    )


def funding_source_list() -> QuerySet[FundingSource]:
    """Every source with what was charged to it and what remains (one query)."""
    charged = Coalesce(Sum("charges__amount"), Value(Decimal("0.00")), output_field=_MONEY)
    return (
        FundingSource.objects.annotate(charged=charged)
        .annotate(remaining=ExpressionWrapper(F("amount") - F("charged"), output_field=_MONEY))
        .order_by("-start_date", "name")
    )


def funding_source_balance(*, source: FundingSource) -> Decimal:
    charged = source.charges.aggregate(
        total=Coalesce(Sum("amount"), Value(Decimal("0.00")), output_field=_MONEY)
    )["total"]
    return source.amount - charged


def overdue_milestones(*, today: dt.date) -> QuerySet[PlanMilestone]:
    return (
        PlanMilestone.objects.filter(
            mentorship__status=Mentorship.Status.ACTIVE,
            status__in=PlanMilestone.OPEN_STATUSES,
            due_date__lt=today,
        )
        .select_related(
            "mentorship", "mentorship__case", "mentorship__mentor", "mentorship__mentee"
        )
        .order_by("due_date", "id")
    )


def overdue_messages(*, now: dt.datetime) -> QuerySet[Message]:
    return (
        Message.objects.filter(
            mentorship__status=Mentorship.Status.ACTIVE,
            response_due_at__lte=now,
            answered_at__isnull=True,
        )
        .select_related(
            "mentorship", "mentorship__case", "mentorship__mentor", "mentorship__mentee"
        )
        .order_by("response_due_at", "id")
    )


@dataclass(frozen=True)
class ResponseReport:
    """The response clock over a period, for reports: how many messages, how many answered on
    time, late or not yet, and the average response time of the answered ones."""

    messages: int
    on_time: int
    late: int
    unanswered: int
    average_seconds: float | None

    @property
    def on_time_percent(self) -> int | None:
        answered = self.on_time + self.late
        return round(100 * self.on_time / answered) if answered else None

    @property
    def average_hours(self) -> Decimal | None:
        if self.average_seconds is None:
            return None
        return (Decimal(self.average_seconds) / Decimal(3600)).quantize(Decimal("0.1"))


def response_report(*, since: dt.datetime, until: dt.datetime) -> ResponseReport:
    """Mentors' messages sent in [since, until), whatever the mentorship's status (one query)."""
    row = Message.objects.filter(
        response_due_at__isnull=False, sent_at__gte=since, sent_at__lt=until
    ).aggregate(
        messages=Count("id"),
        on_time=Count("id", filter=Q(answered_on_time=True)),
        late=Count("id", filter=Q(answered_on_time=False)),
        unanswered=Count("id", filter=Q(answered_at__isnull=True)),
        average=Avg("response_seconds"),
    )
    return ResponseReport(
        messages=row["messages"],
        on_time=row["on_time"],
        late=row["late"],
        unanswered=row["unanswered"],
        average_seconds=row["average"],
    )


def feedback_list() -> QuerySet[MentorshipFeedback]:
    return MentorshipFeedback.objects.select_related(
        "author", "mentorship", "mentorship__case", "mentorship__mentor", "mentorship__mentee"
    ).order_by("-created_at", "-id")


def mentorship_current_for_case(*, case: Any) -> Mentorship | None:
    """The case's active mentorship (at most one: a database constraint)."""
    return _mentorships().filter(case=case, status=Mentorship.Status.ACTIVE).order_by("-pk").first()


def message_list_awaiting_reply(*, mentorship: Mentorship) -> list[Message]:
    """Messages to the mentee not answered yet, oldest first (what the workspace shows)."""
    return list(
        Message.objects.filter(
            mentorship=mentorship, response_due_at__isnull=False, answered_at__isnull=True
        )
        .select_related("author")
        .order_by("sent_at", "pk")
    )
