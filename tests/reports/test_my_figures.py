"""An attorney's and a mentor's own figures (issue 9, item 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from amparo.deadlines.models import CaseDeadline
from amparo.mentoring_work.models import Message, PlanMilestone, TimeEntry
from amparo.workspace.models import HoursEntry
from tests.factories import MentoringRequestFactory, MentorshipFactory

URL = reverse("reports:mine")


def test_attorney_sees_own_cases_hours_and_deadlines_this_week(client, personas):
    case = personas.placed_case
    HoursEntry.objects.create(
        case=case,
        attorney=personas.attorney,
        worked_on=dt.date(2026, 3, 2),
        activity="drafting",
        hours=Decimal("2.5"),
    )
    HoursEntry.objects.create(
        case=case,
        attorney=personas.attorney,
        worked_on=dt.date(2026, 2, 27),
        activity="drafting",
        hours=Decimal("4"),
    )
    CaseDeadline.objects.create(case=case, rule="r1", source="rule", date=dt.date(2026, 3, 18))
    CaseDeadline.objects.create(case=case, rule="r2", source="rule", date=dt.date(2026, 3, 30))
    client.force_login(personas.attorney)
    response = client.get(URL)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["open_cases"], figures["closed_cases"]) == (1, 0)
    assert figures["hours_this_month"] == Decimal("2.5")
    assert [d.rule for d in figures["deadlines_this_week"]] == ["r1"]
    assert case.code in response.content.decode()


def test_mentor_sees_mentees_overdue_items_and_hours_this_month(client, personas):
    mentorship = MentorshipFactory(mentor=personas.mentor)
    other = MentorshipFactory(
        mentor=personas.mentor,
        request=MentoringRequestFactory(attorney=mentorship.mentee, status="matched"),
    )
    PlanMilestone.objects.create(
        mentorship=mentorship,
        title_en="Declaration",
        title_es="Declaración",
        kind="declaration",
        owner="mentee",
        due_date=dt.date(2026, 3, 1),
    )
    Message.objects.create(
        mentorship=other,
        author=personas.mentor,
        body="?",
        sent_at=dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
        response_due_at=dt.datetime(2026, 3, 11, tzinfo=dt.UTC),
    )
    for minutes, status in ((90, "approved"), (30, "submitted")):
        TimeEntry.objects.create(
            mentorship=mentorship,
            mentor=personas.mentor,
            date=dt.date(2026, 3, 3),
            minutes=minutes,
            activity="meeting",
            status=status,
        )
    TimeEntry.objects.create(
        mentorship=mentorship,
        mentor=personas.mentor,
        date=dt.date(2026, 2, 3),
        minutes=60,
        activity="meeting",
        status="approved",
    )
    client.force_login(personas.mentor)
    response = client.get(URL)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["mentees"], figures["mentorships"]) == (1, 2)
    assert (figures["overdue_milestones"], figures["overdue_replies"]) == (1, 1)
    assert figures["approved_hours"] == Decimal("1.5")
    assert figures["submitted_hours"] == Decimal("0.5")


@pytest.mark.parametrize("persona", ["coordinator", "program_admin", "partner"])
def test_my_figures_are_for_volunteers(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(URL).status_code == 404
