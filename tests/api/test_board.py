"""GET /api/v1/board: the anonymized board, for those the policy lets see it, with the web
board's filters, most urgent first, paged by cursor at a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from amparo.cases.models import Case, Stage
from amparo.cases.placement import case_publish
from amparo.courts.models import ImmigrationCourt
from tests.factories import CaseFactory, ClientFactory, FamilyMemberFactory, HearingFactory

BOARD = "/api/v1/board"


def publish(case):
    return case_publish(case=case, actor=None)


@pytest.fixture
def board_cases(personas):
    sfr = ImmigrationCourt.objects.get(code="SFR")
    urgent = CaseFactory(
        court=sfr, detained=True, languages=["es"], summary_en="Detained father",
        summary_es="Padre detenido",
    )  # fmt: skip
    HearingFactory(case=urgent, starts_at=timezone.now() + dt.timedelta(days=5))
    calm = CaseFactory(court=sfr, case_type="u_visa", languages=["quc"], summary_en="Victim")
    child_case = CaseFactory(
        court=sfr, languages=["es"], client=ClientFactory(date_of_birth=dt.date(2012, 1, 1))
    )
    FamilyMemberFactory(client=child_case.client)
    for case in (urgent, calm, child_case):
        publish(case)
    return {"urgent": urgent, "calm": calm, "child": child_case}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("attorney", 200),
        ("coordinator", 200),
        ("program_admin", 200),
        ("unverified_attorney", 404),
        ("mentor", 404),
        ("partner", 404),
    ],
)
def test_board_by_role(api_as, personas, persona, status):
    response = api_as(getattr(personas, persona)).get(BOARD)
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"code": "not_found", "message": "Not found."}


def test_board_cards_are_anonymized_and_ranked(api_as, personas, board_cases):
    response = api_as(personas.attorney).get(BOARD)
    body = response.json()
    codes = [card["code"] for card in body["results"]]
    assert codes.index(board_cases["urgent"].code) < codes.index(board_cases["calm"].code)
    urgencies = [card["urgency"] for card in body["results"]]
    assert urgencies == sorted(urgencies, reverse=True)
    text = response.content.decode()
    for case in board_cases.values():
        client = case.client
        assert client.given_names not in text and client.family_names not in text
        assert "1990-05-17" not in text and "555-0199" not in text
    card = next(c for c in body["results"] if c["code"] == board_cases["urgent"].code)
    assert card["detained"] is True and card["summary"] == "Detained father"
    assert card["country"] == "SV" and card["languages"] == ["es"]
    assert any(f["text"] == "Client is detained" for f in card["factors"])


def test_board_in_spanish(api_as, personas, board_cases):
    personas.attorney.language = "es"
    personas.attorney.save()
    body = api_as(personas.attorney).get(BOARD, {"detained": "true"}).json()
    assert body["results"][0]["summary"] == "Padre detenido"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "u_visa"}, {"calm"}),
        ({"language": "quc"}, {"calm"}),
        ({"detained": "true"}, {"urgent"}),
        ({"detained": "false"}, {"calm", "child"}),
        ({"children": "true"}, {"child"}),
        ({"within": 14}, {"urgent"}),
    ],
)
def test_board_filters_as_on_the_web(api_as, personas, board_cases, params, expected):
    body = api_as(personas.attorney).get(BOARD, params).json()
    codes = {card["code"] for card in body["results"]} - {personas.ready_case.code}
    assert codes == {board_cases[name].code for name in expected}


def test_board_court_filter(api_as, personas, board_cases):
    sfr = ImmigrationCourt.objects.get(code="SFR")
    other = ImmigrationCourt.objects.exclude(pk=sfr.pk).first()
    api = api_as(personas.attorney)
    assert len(api.get(BOARD, {"court": sfr.pk}).json()["results"]) == 3  # not ready_case
    assert api.get(BOARD, {"court": other.pk}).json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"type": "bogus"},
        {"court": "abc"},
        {"court": 10**30},
        {"within": -3},
        {"detained": "maybe"},
        {"language": "x1"},
        {"cursor": "not a cursor"},
        {"limit": 0},
    ],
)
def test_board_bad_parameters_are_422_with_the_field(api_as, personas, params):
    response = api_as(personas.attorney).get(BOARD, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and set(body["fields"]) == set(params)


def test_board_pages_by_cursor_through_equal_urgencies(api_as, personas):
    cases = [CaseFactory(stage=Stage.READY, urgency=u) for u in (50, 50, 50, 10, 90, 50)]
    api = api_as(personas.attorney)
    seen, cursor = [], None
    for _ in range(10):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api.get(BOARD, params).json()
        seen += [(card["urgency"], card["code"]) for card in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    expected = sorted([*cases, personas.ready_case], key=lambda c: (-c.urgency, c.pk))
    assert [code for _u, code in seen] == [c.code for c in expected]


def test_board_leaves_out_placed_and_unpublished_cases(api_as, personas, board_cases):
    codes = {c["code"] for c in api_as(personas.attorney).get(BOARD).json()["results"]}
    assert personas.placed_case.code not in codes
    assert personas.intake_case.code not in codes


def test_board_costs_the_same_queries_whatever_the_rows(
    api_as, personas, django_assert_max_num_queries
):
    api = api_as(personas.attorney)
    sfr = ImmigrationCourt.objects.get(code="SFR")
    for _ in range(15):
        CaseFactory(stage=Stage.READY, court=sfr, urgency=5)
    assert Case.objects.filter(stage=Stage.READY).count() == 16
    # Token, last use, the rate limit's cache (six on the database cache, none on Redis), rows.
    with django_assert_max_num_queries(10):
        body = api.get(BOARD, {"limit": 100}).json()
    assert len(body["results"]) == 16
