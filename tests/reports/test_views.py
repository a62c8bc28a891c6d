"""The dashboard page, its charts and CSV exports: who may open them, what the CSVs hold, and a
number of queries that does not grow with the number of cases."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from amparo.cases.models import Stage
from tests.factories import CaseFactory, ClientFactory

URL = reverse("reports:dashboard")
EXPORT = reverse("reports:export")


def _query(program, **extra):
    params = {
        "start": "2026-01-01",
        "end": "2026-03-31",
        "case_type": "",
        "court": "",
        "partner": program.partner.pk,
    }
    params.update(extra)
    return params


def _csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("persona", ["coordinator", "program_admin"])
def test_staff_open_the_dashboard(client, personas, program, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(URL, _query(program))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    assert 'id="chart-placements-title"' in html
    assert 'id="chart-outcomes-title"' in html
    assert "<desc" in html
    assert response.context["data"].people["total"] == 8


def test_dashboard_defaults_to_this_year(client, personas):
    client.force_login(personas.coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    filters = response.context["data"].filters
    assert (filters.start.isoformat(), filters.end.isoformat()) == ("2026-01-01", "2026-03-15")


@pytest.mark.parametrize(
    "persona", ["attorney", "unverified_attorney", "mentor", "partner", "other_partner"]
)
def test_others_are_refused(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(URL).status_code == 404
    assert client.get(EXPORT, {"table": "summary"}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    "params",
    [{"start": "2026-04-01", "end": "2026-03-01"}, {"start": "not a date"}, {"court": "999999"}],
)
def test_bad_filters_answer_422_with_an_error(client, personas, program, params):
    client.force_login(personas.coordinator)
    response = client.get(URL, _query(program, **params))
    assert response.status_code == 422
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in (
        response.content.decode()
    )
    export = client.get(EXPORT, _query(program, table="summary", **params))
    assert export.status_code == 422


def test_unknown_table_is_404(client, personas, program):
    client.force_login(personas.coordinator)
    response = client.get(EXPORT, _query(program, table="clients"))
    assert response.status_code == 404


def test_placements_csv(client, personas, program):
    client.force_login(personas.coordinator)
    response = client.get(EXPORT, _query(program, table="placements"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "amparo-placements-2026-01-01-2026-03-31.csv" in response["Content-Disposition"]
    assert _csv(response) == [
        ["Month", "Cases placed"],
        ["January 2026", "1"],
        ["February 2026", "2"],
        ["March 2026", "0"],
    ]


def test_summary_csv_holds_each_figure(client, personas, program):
    client.force_login(personas.program_admin)
    response = client.get(EXPORT, _query(program, table="summary"))
    rows = dict(_csv(response)[1:])
    assert rows["People served"] == "8"
    assert rows["Median days from ready to placement"] == "10.0"
    assert rows["90th percentile days from ready to placement"] == "42.0"
    assert rows["Unplaced cases with a hearing within 30 days"] == "1"
    assert rows["Unplaced cases with a hearing within 60 days"] == "2"
    assert rows["Active attorneys"] == "3"
    assert rows["Trainings completed"] == "2"
    assert rows["Mentor hours (issued statements)"] == "2.0"
    assert rows["Replies on time (%)"] == "66.7"


def test_outcomes_and_stages_csv(client, personas, program):
    client.force_login(personas.coordinator)
    outcomes = _csv(client.get(EXPORT, _query(program, table="outcomes")))
    assert outcomes == [
        ["Case type", "Outcome", "Cases"],
        ["Defensive asylum", "Granted", "1"],
        ["U visa", "U visa waiting list", "1"],
    ]
    stages = _csv(client.get(EXPORT, _query(program, table="stages")))
    assert [row[1] for row in stages[1:]] == ["0", "1", "1", "3", "1"]


def test_funding_csv_is_formula_safe_and_holds_no_client_data(client, personas, program):
    client.force_login(personas.program_admin)
    response = client.get(EXPORT, _query(program, table="funding"))
    rows = _csv(response)
    grant = next(row for row in rows if "Bay Foundation" in row[0])
    assert grant == ["'=Bay Foundation", "Grant", "10000.00", "200.00", "2.0", "2", "1"]
    text = response.content.decode("utf-8-sig")
    for case in program.cases.values():
        assert case.client.family_names not in text
        assert case.code not in text


def _page_queries(client, django_assert_max_num_queries, program, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(URL, _query(program)).status_code == 200


def test_dashboard_queries_do_not_grow_with_cases(
    client, personas, program, django_assert_max_num_queries
):
    client.force_login(personas.coordinator)
    _page_queries(client, django_assert_max_num_queries, program, 30)
    for _ in range(25):
        CaseFactory(
            placing_organization=program.partner,
            stage=Stage.READY,
            client=ClientFactory(),
            court=program.court,
        )
    _page_queries(client, django_assert_max_num_queries, program, 30)


FUNDERS = reverse("reports:funder_report")


def test_printable_funder_report_for_a_period(client, personas, program):
    client.force_login(personas.program_admin)
    response = client.get(FUNDERS, _query(program))
    assert response.status_code == 200
    html = response.content.decode()
    assert "report to funders" in html and "data-print" in html
    slugs = [table.slug for table in response.context["tables"]]
    assert slugs == ["summary", "placements", "outcomes", "mentor-hours", "funding"]
    assert response.context["data"].people["total"] == 8  # the same figures as the dashboard
    assert 'role="img"' in html
    # Counts only: no client's name in a report meant to leave the program.
    from amparo.intake.models import Client

    for person in Client.objects.all():
        assert person.full_name not in html
    # The dashboard links to it for the same filters.
    assert reverse("reports:funder_report") in client.get(URL, _query(program)).content.decode()


@pytest.mark.parametrize("persona", ["attorney", "mentor", "partner"])
def test_funder_report_refused_to_others(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(FUNDERS).status_code in (403, 404)
