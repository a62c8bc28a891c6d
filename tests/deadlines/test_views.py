"""The case's deadlines page: who may see and change it, forms, htmx, both languages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from amparo.cases.services import case_place
from amparo.courts.models import ImmigrationCourt
from amparo.deadlines.models import CaseDeadline, Milestone
from amparo.deadlines.services import hearing_add

TODAY = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)
SF = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def placed(personas):
    case = personas.ready_case
    case.court = ImmigrationCourt.objects.get(code="SFR")
    case.last_arrival = dt.date(2025, 6, 1)
    case.save()
    with time_machine.travel(TODAY):
        hearing_add(
            case=case,
            actor=None,
            kind="individual",
            starts_at=dt.datetime(2026, 3, 16, 9, tzinfo=SF),
        )
        case_place(case=case, attorney=personas.attorney, actor=personas.coordinator)
    case.refresh_from_db()
    return case


def url(case):
    return reverse("deadlines:case_deadlines", args=[case.code])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("attorney", 200),
        ("coordinator", 200),
        ("partner", 200),
        ("other_attorney", 404),
        ("other_partner", 404),
        ("mentor", 404),  # not this case's mentor
    ],
)
def test_case_deadlines_page_access(client, personas, placed, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(url(placed)).status_code == status


@time_machine.travel(TODAY)
def test_case_deadlines_page_shows_dates_rules_and_plan(client, personas, placed):
    client.force_login(personas.attorney)
    html = client.get(url(placed)).content.decode()
    assert "Pre-hearing filing deadline" in html
    assert "Feb. 17, 2026" in html and "Feb. 13, 2026" in html
    assert "verify each one against the order" in html
    assert "Case plan" in html and "Mock hearing with the mentor" in html


@time_machine.travel(TODAY)
def test_case_deadlines_page_in_spanish(client, personas, placed):
    personas.attorney.language = "es"
    personas.attorney.save()
    client.force_login(personas.attorney)
    html = client.get(url(placed)).content.decode()
    assert "Fechas límite y plan" in html
    assert "Simulacro de audiencia con el/la mentor/a" in html
    assert "17 de febrero de 2026" in html


@time_machine.travel(TODAY)
def test_add_custom_deadline(client, personas, placed):
    client.force_login(personas.attorney)
    response = client.post(
        url(placed),
        {"action": "add_deadline", "title": "Ask the clinic for records", "date": "2026-02-02"},
    )
    assert response.status_code == 302
    assert CaseDeadline.objects.filter(
        case=placed, source="custom", title="Ask the clinic for records"
    ).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "date": "2026-02-02"}, "This field is required."),
        ({"title": "X", "date": "02/30/2026"}, "Enter a valid date."),
        ({"title": "X", "date": "1850-01-01"}, "Enter a date between 1990 and 2100."),
    ],
)
def test_add_custom_deadline_bad_input_is_explained_and_saves_nothing(
    client, personas, placed, data, message
):
    client.force_login(personas.attorney)
    response = client.post(url(placed), {"action": "add_deadline", **data})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not CaseDeadline.objects.filter(case=placed, source="custom").exists()


def test_add_custom_deadline_error_in_spanish(client, personas, placed):
    personas.attorney.language = "es"
    personas.attorney.save()
    client.force_login(personas.attorney)
    response = client.post(url(placed), {"action": "add_deadline", "title": "", "date": ""})
    assert response.status_code == 422
    assert "Este campo es obligatorio." in response.content.decode()


@time_machine.travel(TODAY)
def test_record_judge_deadline_controls(client, personas, placed):
    client.force_login(personas.attorney)
    hearing = placed.hearings.get()
    response = client.post(
        url(placed), {"action": "judge_deadline", "hearing": hearing.pk, "deadline": "2026-03-02"}
    )
    assert response.status_code == 302
    deadline = CaseDeadline.objects.get(case=placed, rule="ICPM_PREHEARING")
    assert (deadline.date, deadline.source) == (dt.date(2026, 3, 2), "ij_order")


@time_machine.travel(TODAY)
def test_record_judge_deadline_after_hearing_is_refused(client, personas, placed):
    client.force_login(personas.attorney)
    hearing = placed.hearings.get()
    response = client.post(
        url(placed), {"action": "judge_deadline", "hearing": hearing.pk, "deadline": "2026-04-01"}
    )
    assert response.status_code == 422
    assert "cannot be after the hearing" in response.content.decode()


def test_record_judge_deadline_for_another_cases_hearing_is_refused(client, personas, placed):
    from tests.factories import HearingFactory

    foreign = HearingFactory(case=personas.other_org_case)
    client.force_login(personas.attorney)
    response = client.post(
        url(placed), {"action": "judge_deadline", "hearing": foreign.pk, "deadline": "2026-03-02"}
    )
    assert response.status_code == 422
    foreign.refresh_from_db()
    assert foreign.ij_filing_deadline is None


def test_milestone_status_page_and_htmx_fragment(client, personas, placed):
    client.force_login(personas.attorney)
    milestone = placed.milestones.order_by("order").first()
    data = {"action": "milestone_status", "milestone": milestone.pk, "status": "in_progress"}
    assert client.post(url(placed), data).status_code == 302
    data["status"] = "done"
    fragment = client.post(url(placed), data, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html and f'id="milestone-{milestone.pk}"' in html
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE


def test_unknown_action_is_a_clear_400(client, personas, placed):
    client.force_login(personas.attorney)
    response = client.post(url(placed), {"action": "drop_tables"})
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()


@pytest.mark.parametrize("persona", ["program_admin", "partner"])
def test_readers_who_may_not_change_cannot_post(client, personas, placed, persona):
    client.force_login(getattr(personas, persona))
    response = client.post(
        url(placed), {"action": "add_deadline", "title": "X", "date": "2026-02-02"}
    )
    assert response.status_code == 404
    assert not CaseDeadline.objects.filter(case=placed, source="custom").exists()


def test_case_deadlines_page_query_count_is_bounded(
    client, personas, placed, django_assert_max_num_queries
):
    client.force_login(personas.attorney)
    with django_assert_max_num_queries(14):
        assert client.get(url(placed)).status_code == 200
