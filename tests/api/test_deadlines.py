"""POST /api/v1/deadlines/compute (the engine's JSON contract, stateless) and
GET /api/v1/me/deadlines (the caller's upcoming deadlines, by cursor pages)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from amparo.cases.models import Stage
from amparo.deadlines.models import CaseDeadline
from tests.deadlines.factories import CaseDeadlineFactory
from tests.factories import CaseFactory

COMPUTE = "/api/v1/deadlines/compute"
ME = "/api/v1/me/deadlines"
CASES = [
    {"id": "c1", "as_of": "2026-01-05", "hearings": [{"kind": "individual", "date": "2026-03-16"}]},
    {"id": "c2", "as_of": "2026-01-05", "last_arrival": "2026-01-02",
     "hearings": [{"kind": "master", "date": "2025-12-01"}]},
    {"id": "c3", "as_of": "2026-01-05", "decision": {"kind": "oral", "date": "2021-12-13"}},
    "not an object",
]  # fmt: skip


def command_output(cases, language="en"):
    out = io.StringIO()
    call_command(
        "compute_deadlines",
        "-",
        "--language",
        language,
        stdin=io.StringIO(json.dumps(cases)),
        stdout=out,
    )
    return json.loads(out.getvalue())


@pytest.mark.parametrize("persona", ["partner", "attorney", "mentor", "coordinator"])
def test_compute_gives_exactly_what_the_command_gives(api_as, personas, persona):
    response = api_as(getattr(personas, persona)).post(COMPUTE, CASES)
    assert response.status_code == 200
    assert response.json() == command_output(CASES)
    results = response.json()
    assert results[1]["error"]["field"] == "hearings[0].date"
    assert results[3]["error"]["field"] is None
    assert results[0]["deadlines"][0]["date"] == "2026-02-17"


def test_compute_speaks_the_users_language(api_as, personas):
    personas.partner.language = "es"
    personas.partner.save()
    response = api_as(personas.partner).post(COMPUTE, CASES[2:3])
    assert response.json() == command_output(CASES[2:3], language="es")
    assert "Junta de Apelaciones de Inmigración" in json.dumps(response.json(), ensure_ascii=False)


def test_compute_stores_nothing(api_as, personas):
    before = CaseDeadline.objects.count()
    api_as(personas.partner).post(COMPUTE, CASES)
    assert CaseDeadline.objects.count() == before


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("[{", 422, "invalid"),
        ('{"id": "c1"}', 422, "invalid"),
        ("42", 422, "invalid"),
        ("", 422, "invalid"),
        ("[" * 100_000 + "]" * 100_000, 400, "bad_request"),
        (b"\xff\xfe[", 422, "invalid"),
    ],
)
def test_compute_unreadable_input_is_a_clear_json_error(
    client, api_as, personas, body, status, code
):
    api = api_as(personas.partner)
    response = client.post(COMPUTE, body, content_type="application/json", headers=api.headers)
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["message"]


def test_compute_refuses_too_many_cases(api_as, personas):
    response = api_as(personas.partner).post(COMPUTE, [{"id": str(i)} for i in range(501)])
    assert response.status_code == 422
    assert "500" in response.json()["fields"]["body"][0]


def test_compute_needs_a_token(anonymous_api, db):
    assert anonymous_api.post(COMPUTE, CASES).status_code == 401


# --- my upcoming deadlines ------------------------------------------------------------------


@pytest.fixture
def my_deadlines(personas):
    today = timezone.localdate()
    case = personas.placed_case  # the attorney's, mentored by the mentor persona
    other = CaseFactory(stage=Stage.PLACED, attorney_of_record=personas.other_attorney)
    rows = [CaseDeadlineFactory(case=case, date=today + dt.timedelta(days=d)) for d in (1, 3, 3, 9)]
    CaseDeadlineFactory(case=case, date=today + dt.timedelta(days=30))  # beyond 14 days
    CaseDeadlineFactory(case=case, date=today - dt.timedelta(days=1))  # past
    CaseDeadlineFactory(case=case, date=today + dt.timedelta(days=2), completed_at=timezone.now())
    CaseDeadlineFactory(case=other, date=today + dt.timedelta(days=2))
    return rows


def test_my_deadlines_lists_the_open_upcoming_ones_on_my_cases(api_as, personas, my_deadlines):
    response = api_as(personas.attorney).get(ME)
    assert response.status_code == 200
    body = response.json()
    assert [d["date"] for d in body["results"]] == [d.date.isoformat() for d in my_deadlines]
    assert {d["case"] for d in body["results"]} == {personas.placed_case.code}
    first = body["results"][0]
    assert first["label"] == "Pre-hearing filing deadline" and first["done"] is False
    assert body["next_cursor"] is None


def test_my_deadlines_for_the_cases_mentor_too_and_nobody_else(api_as, personas, my_deadlines):
    assert len(api_as(personas.mentor).get(ME).json()["results"]) == 4
    assert len(api_as(personas.other_attorney).get(ME).json()["results"]) == 1
    assert api_as(personas.partner).get(ME).json()["results"] == []


def test_my_deadlines_days_parameter(api_as, personas, my_deadlines):
    body = api_as(personas.attorney).get(ME, {"days": 60}).json()
    assert len(body["results"]) == 5


def test_my_deadlines_pages_by_cursor_without_gaps_or_repeats(api_as, personas, my_deadlines):
    api = api_as(personas.attorney)
    seen, cursor = [], None
    while True:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        body = api.get(ME, params).json()
        seen += [(d["date"], d["rule"]) for d in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 4
    assert [s[0] for s in seen] == sorted(s[0] for s in seen)


@pytest.mark.parametrize("cursor", ["!!", "W10", "WzEsMl0", "WyJ4IiwxXQ", "x" * 300])
def test_my_deadlines_bad_cursor_is_422(api_as, personas, cursor):
    response = api_as(personas.attorney).get(ME, {"cursor": cursor})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["cursor"]


@pytest.mark.parametrize("params", [{"days": 0}, {"days": "x"}, {"limit": 10_000}])
def test_my_deadlines_bad_parameters_are_422(api_as, personas, params):
    response = api_as(personas.attorney).get(ME, params)
    assert response.status_code == 422
    assert set(response.json()["fields"]) == set(params)


def test_my_deadlines_costs_the_same_queries_whatever_the_rows(
    api_as, personas, django_assert_max_num_queries
):
    api = api_as(personas.attorney)
    today = timezone.localdate()
    for day in range(1, 13):
        CaseDeadlineFactory(case=personas.placed_case, date=today + dt.timedelta(days=day))
    # Token, last use, the rate limit's cache (six on the database cache, none on Redis), rows.
    with django_assert_max_num_queries(10):
        assert len(api.get(ME).json()["results"]) == 12
