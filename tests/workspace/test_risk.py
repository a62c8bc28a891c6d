"""Early warning (issue 7, point 8): the pure score, the facts read for every placed case in a
fixed number of queries, and the coordinators' "Cases at risk" page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.cases.models import Hearing, Stage
from amparo.core.tools import program_tools_for_user
from amparo.deadlines.models import Milestone
from amparo.mentoring_work.models import Message
from amparo.workspace import selectors
from amparo.workspace.domain.risk import RiskFacts, days_inactive, risk_score
from amparo.workspace.models import StatusRequest, StatusRequestRecipient
from tests.factories import (
    CaseFactory,
    ClientContactFactory,
    HearingFactory,
    MentorshipFactory,
    UserFactory,
)


def facts(**overrides) -> RiskFacts:
    base = {
        "days_to_next_hearing": None,
        "days_since_last_contact": 2,
        "days_since_last_hours": None,
        "days_since_last_document": None,
        "days_since_placed": 100,
        "overdue_milestones": 0,
        "overdue_mentor_messages": 0,
        "unanswered_status_requests": 0,
    }
    base.update(overrides)
    return RiskFacts(**base)


# --- the pure score ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "score", "factors"),
    [
        ({}, 0, []),
        # Active recently: no inactivity, whatever the hearing.
        ({"days_to_next_hearing": 5, "days_since_last_contact": 29}, 0, []),
        # Quiet for 30 days: 15 with no hearing near, 30 within 60 days, 40 within 14 days.
        ({"days_since_last_contact": 30}, 15, ["inactive"]),
        ({"days_since_last_contact": 30, "days_to_next_hearing": 61}, 15, ["inactive"]),
        ({"days_since_last_contact": 30, "days_to_next_hearing": 60}, 30, ["inactive"]),
        ({"days_since_last_contact": 45, "days_to_next_hearing": 14}, 40, ["inactive"]),
        # The most recent activity of any kind counts (hours yesterday: not inactive).
        ({"days_since_last_contact": 90, "days_since_last_hours": 1}, 0, []),
        ({"days_since_last_contact": 90, "days_since_last_document": 40}, 15, ["inactive"]),
        # Nothing ever logged: the days since placement stand in.
        ({"days_since_last_contact": None, "days_since_placed": 10}, 0, []),
        ({"days_since_last_contact": None, "days_since_placed": 31}, 15, ["inactive"]),
        ({"days_since_last_contact": None, "days_since_placed": None}, 0, []),
        # Counts, each capped.
        ({"overdue_milestones": 1}, 8, ["milestones"]),
        ({"overdue_milestones": 9}, 24, ["milestones"]),
        ({"overdue_mentor_messages": 1}, 10, ["mentor_messages"]),
        ({"overdue_mentor_messages": 5}, 20, ["mentor_messages"]),
        ({"unanswered_status_requests": 1}, 8, ["status_requests"]),
        ({"unanswered_status_requests": 3}, 16, ["status_requests"]),
        # Everything at once reaches, and never passes, 100.
        (
            {
                "days_since_last_contact": 60,
                "days_to_next_hearing": 3,
                "overdue_milestones": 10,
                "overdue_mentor_messages": 10,
                "unanswered_status_requests": 10,
            },
            100,
            ["inactive", "milestones", "mentor_messages", "status_requests"],
        ),
    ],
)
def test_risk_score_table(overrides, score, factors):
    risk = risk_score(facts(**overrides))
    assert risk.score == score
    assert [f.factor for f in risk.factors] == factors
    assert sum(f.points for f in risk.factors) >= risk.score
    for factor in risk.factors:
        assert factor.en and factor.es and factor.en != factor.es


def test_factors_explain_in_both_languages():
    risk = risk_score(
        facts(days_since_last_contact=40, days_to_next_hearing=10, overdue_milestones=2)
    )
    inactive, milestones = risk.factors
    assert inactive.en == "No contact, hours or documents for 40 days; hearing in 10 days"
    assert inactive.es.startswith("Sin contacto, horas ni documentos desde hace 40 días")
    assert milestones.en == "2 plan milestones overdue"
    assert "etapas clave" in milestones.es


def test_a_past_hearing_does_not_count_as_near():
    assert risk_score(facts(days_since_last_contact=40, days_to_next_hearing=-3)).score == 15
    assert days_inactive(facts(days_since_last_contact=-2)) == 0


# --- the facts and the page -------------------------------------------------------------------


def _placed(attorney=None, *, days_placed: int = 5, **kwargs):
    attorney = attorney or UserFactory(role="attorney")
    return CaseFactory(
        stage=Stage.PLACED,
        attorney_of_record=attorney,
        placed_at=timezone.now() - dt.timedelta(days=days_placed),
        **kwargs,
    )


@pytest.fixture
def risky(personas):
    """Three placed cases: `quiet` (nothing logged for 90 days, a hearing in 10 days), `late`
    (active, but a milestone and a mentor message overdue), `calm` (active, nothing late); plus
    personas.placed_case, placed recently with nothing logged."""
    now = timezone.now()
    today = timezone.localdate()
    quiet = _placed(days_placed=90, code="AMP-26-9001")
    HearingFactory(case=quiet, starts_at=now + dt.timedelta(days=10))
    # A cancelled hearing tomorrow does not count as the next hearing.
    HearingFactory(
        case=quiet, starts_at=now + dt.timedelta(days=1), status=Hearing.Status.CANCELLED
    )
    late = _placed(days_placed=90, code="AMP-26-9002")
    ClientContactFactory(case=late, contacted_on=today - dt.timedelta(days=3))
    Milestone.objects.create(
        case=late, title_en="Draft", title_es="Borrador", due_date=today - dt.timedelta(days=2)
    )
    Milestone.objects.create(
        case=late,
        title_en="Done",
        title_es="Hecho",
        due_date=today - dt.timedelta(days=2),
        status=Milestone.Status.DONE,
    )
    mentorship = MentorshipFactory(request__case=late)
    Message.objects.create(
        mentorship=mentorship,
        author=mentorship.mentor,
        body="Did you file?",
        response_due_at=now - dt.timedelta(hours=2),
    )
    Message.objects.create(
        mentorship=mentorship,
        author=mentorship.mentor,
        body="Answered already",
        response_due_at=now - dt.timedelta(hours=2),
        answered_at=now - dt.timedelta(hours=3),
    )
    calm = _placed(days_placed=90, code="AMP-26-9003")
    ClientContactFactory(case=calm, contacted_on=today - dt.timedelta(days=1))
    request = StatusRequest.objects.create(sent_by=personas.coordinator, message="Status?")
    StatusRequestRecipient.objects.create(status_request=request, attorney=quiet.attorney_of_record)
    # Cases not placed are not on the list.
    CaseFactory(stage=Stage.READY, code="AMP-26-9004")
    return {"quiet": quiet, "late": late, "calm": calm}


def test_facts_and_ranking(personas, risky):
    rows = selectors.case_risk_list(viewer=personas.coordinator)
    by_code = {row.case.code: row for row in rows}
    assert "AMP-26-9004" not in by_code
    quiet = by_code["AMP-26-9001"]
    assert quiet.facts.days_to_next_hearing == 10
    assert quiet.facts.days_since_last_contact is None
    assert quiet.facts.unanswered_status_requests == 1
    assert quiet.risk.score == 40 + 8
    late = by_code["AMP-26-9002"]
    assert late.facts.overdue_milestones == 1
    assert late.facts.overdue_mentor_messages == 1
    assert late.facts.days_since_last_contact == 3
    assert late.risk.score == 8 + 10
    assert by_code["AMP-26-9003"].risk.score == 0
    assert [row.case.code for row in rows][:2] == ["AMP-26-9001", "AMP-26-9002"]
    scores = [row.risk.score for row in rows]
    assert scores == sorted(scores, reverse=True)


def test_page_lists_riskiest_first_with_reasons(client, personas, risky):
    client.force_login(personas.coordinator)
    response = client.get(reverse("workspace:cases_at_risk"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("AMP-26-9001") < body.index("AMP-26-9002") < body.index("AMP-26-9003")
    assert "No contact, hours or documents for 90 days; hearing in 10 days" in body
    assert "1 plan milestone overdue" in body
    assert "AMP-26-9004" not in body
    # The client's identity is not on the list: case codes only.
    assert risky["quiet"].client.full_name not in body


def test_page_in_spanish(client, personas, risky):
    personas.coordinator.language = "es"
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    body = client.get(
        reverse("workspace:cases_at_risk"), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Sin contacto, horas ni documentos desde hace 90 días" in body


def test_page_is_paginated(client, personas):
    for _ in range(30):
        _placed()
    client.force_login(personas.coordinator)
    first = client.get(reverse("workspace:cases_at_risk"))
    assert len(first.context["items"]) == 25
    second = client.get(reverse("workspace:cases_at_risk"), {"page": 2})
    assert len(second.context["items"]) == 31 - 25


def _make_cases(n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        case = _placed(days_placed=60)
        HearingFactory(case=case, starts_at=timezone.now() + dt.timedelta(days=5 + i))
        ClientContactFactory(case=case, contacted_on=today - dt.timedelta(days=i))
        Milestone.objects.create(
            case=case, title_en="M", title_es="M", due_date=today - dt.timedelta(days=1)
        )


def test_query_count_is_fixed(client, personas, django_assert_max_num_queries):
    client.force_login(personas.coordinator)
    url = reverse("workspace:cases_at_risk")
    _make_cases(3)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    _make_cases(17)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["items"]) == 21


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("program_admin", 200),
        ("attorney", 404),
        ("mentor", 404),
        ("partner", 404),
    ],
)
def test_page_access_by_role(client, personas, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("workspace:cases_at_risk")).status_code == status


def test_signed_out_goes_to_sign_in(client, db):
    response = client.get(reverse("workspace:cases_at_risk"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_linked_from_the_program_tools(personas):
    def urls(user):
        return [tool["url"] for _, tools in program_tools_for_user(user=user) for tool in tools]

    url = reverse("workspace:cases_at_risk")
    assert url in urls(personas.coordinator)
    assert url not in urls(personas.attorney)


def test_a_document_upload_counts_as_activity(personas, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amparo.workspace import services

    services.case_document_create(
        case=case,
        actor=personas.attorney,
        title="Draft",
        kind="draft",
        file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    row = next(
        r for r in selectors.case_risk_list(viewer=personas.coordinator) if r.case.pk == case.pk
    )
    assert row.facts.days_since_last_document == 0
    assert row.facts.days_to_next_hearing is not None
