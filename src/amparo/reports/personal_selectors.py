"""A volunteer's own figures: an attorney's cases, hours and deadlines this week; a mentor's
mentees, their overdue items and hours this month. Aggregates only, on the user's own rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from amparo.cases.models import Case, Stage
from amparo.deadlines.selectors import deadline_list_upcoming_for_user
from amparo.mentoring.models import Mentorship
from amparo.mentoring_work.models import TimeEntry
from amparo.mentoring_work.selectors import overdue_messages, overdue_milestones
from amparo.workspace.models import HoursEntry


def _month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


def attorney_figures(*, user: Any, today: dt.date) -> dict[str, Any]:
    cases = Case.objects.filter(attorney_of_record=user).aggregate(
        open=Count("id", filter=Q(stage=Stage.PLACED)),
        closed=Count("id", filter=Q(stage=Stage.CLOSED)),
    )
    hours = HoursEntry.objects.filter(
        attorney=user, worked_on__gte=_month_start(today), worked_on__lte=today
    ).aggregate(hours=Sum("hours"))["hours"] or Decimal("0")
    deadlines = list(deadline_list_upcoming_for_user(user=user, today=today, days=7))
    return {
        "open_cases": cases["open"],
        "closed_cases": cases["closed"],
        "hours_this_month": hours,
        "deadlines_this_week": deadlines,
    }


def mentor_figures(*, user: Any, today: dt.date, now: dt.datetime) -> dict[str, Any]:
    mentees = Mentorship.objects.filter(mentor=user, status=Mentorship.Status.ACTIVE).aggregate(
        mentorships=Count("id"), mentees=Count("mentee", distinct=True)
    )
    minutes = TimeEntry.objects.filter(
        mentor=user, date__gte=_month_start(today), date__lte=today
    ).aggregate(
        approved=Sum("minutes", filter=Q(status=TimeEntry.Status.APPROVED)),
        submitted=Sum("minutes", filter=Q(status=TimeEntry.Status.SUBMITTED)),
    )
    return {
        "mentorships": mentees["mentorships"],
        "mentees": mentees["mentees"],
        "overdue_milestones": overdue_milestones(today=today)
        .filter(mentorship__mentor=user)
        .count(),
        "overdue_replies": overdue_messages(now=now).filter(mentorship__mentor=user).count(),
        "approved_hours": Decimal(minutes["approved"] or 0) / 60,
        "submitted_hours": Decimal(minutes["submitted"] or 0) / 60,
    }
