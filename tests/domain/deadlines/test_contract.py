"""The JSON contract: parsing, per-case errors naming the field, order and serialisation."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.contract import (
    BatchReadError,
    CaseError,
    compute_batch,
    parse_case,
    read_batch_text,
)
from amparo.deadlines.domain.facts import CaseFacts, HearingKind

TODAY = date(2026, 1, 5)

FULL_CASE: dict[str, Any] = {
    "id": "c1",
    "as_of": "2026-01-05",
    "case_type": "defensive_asylum",
    "detained": False,
    "last_arrival": "2025-03-01",
    "is_uac": False,
    "arrived_with_parent": False,
    "date_of_birth": "1990-05-05",
    "sij": False,
    "i589_received": "2025-07-01",
    "asylum_clock_delay_days": 0,
    "hearings": [
        {"kind": "individual", "date": "2026-03-16", "ruling_requested": True,
         "ij_filing_deadline": None}
    ],
    "filings_received": [{"date": "2026-02-06"}],
    "decision": {"kind": "oral", "date": "2021-12-13", "memo_mailed": None, "appeal_waived": False},
    "final_order_date": "2025-12-01",
    "supplement_b_signed": None,
    "i918_filed": None,
    "i918_planned": None,
    "i360_filed": None,
    "family": [{"id": "f1", "relationship": "child", "date_of_birth": "2010-01-01",
                "married": False}],
    "uscis_response_due": "2026-07-04",
    "uscis_response_method": "paper",
}  # fmt: skip


def _batch(cases: list[Any], calendar: BusinessCalendar, language: str = "en") -> list[Any]:
    return compute_batch(cases, today=TODAY, calendar=calendar, language=language)


def _error_fields(raw: Any) -> list[str | None]:
    parsed = parse_case(raw, today=TODAY)
    assert isinstance(parsed, CaseError)
    return [error.field for error in parsed.errors]


def test_parse_case_reads_every_documented_key() -> None:
    facts = parse_case(FULL_CASE, today=TODAY)
    assert isinstance(facts, CaseFacts)
    assert facts.hearings[0].kind is HearingKind.INDIVIDUAL
    assert facts.family[0].id == "f1"


def test_parse_case_only_id_is_required_and_as_of_defaults_to_today() -> None:
    facts = parse_case({"id": "x"}, today=TODAY)
    assert isinstance(facts, CaseFacts)
    assert facts.as_of == TODAY and facts.hearings == ()


@pytest.mark.parametrize(
    ("case", "fields"),
    [
        ({"id": "x", "colour": "red"}, ["colour"]),
        ({"id": "x", "hearings": [{"kind": "master", "date": "2026-01-01", "x": 1}]},
         ["hearings[0].x"]),
        ({"id": "x", "last_arrival": "2026-2-3"}, ["last_arrival"]),
        ({"id": "x", "last_arrival": "20260203"}, ["last_arrival"]),  # fromisoformat accepts it
        ({"id": "x", "last_arrival": "2026-02-30"}, ["last_arrival"]),
        ({"id": "x", "last_arrival": "1850-01-01"}, ["last_arrival"]),
        ({"id": "x", "last_arrival": 20260203}, ["last_arrival"]),
        ({"id": "x", "as_of": "soon"}, ["as_of"]),
        ({"id": "x", "detained": "yes"}, ["detained"]),
        ({"id": "x", "asylum_clock_delay_days": -1}, ["asylum_clock_delay_days"]),
        ({"id": "x", "asylum_clock_delay_days": 1.5}, ["asylum_clock_delay_days"]),
        ({"id": "x", "asylum_clock_delay_days": True}, ["asylum_clock_delay_days"]),
        ({"id": "x", "case_type": "t_visa"}, ["case_type"]),
        ({"id": "x", "hearings": {"kind": "master"}}, ["hearings"]),
        ({"id": "x", "hearings": ["2026-01-01"]}, ["hearings[0]"]),
        ({"id": "x", "hearings": [{"date": "2026-01-01"}]}, ["hearings[0].kind"]),
        ({"id": "x", "filings_received": [{}]}, ["filings_received[0].date"]),
        ({"id": "x", "decision": {"kind": "oral"}}, ["decision.date"]),
        ({"id": "x", "family": [{"id": "a", "relationship": "cousin"}]},
         ["family[0].relationship"]),
        ({"id": "x", "uscis_response_method": "fax"}, ["uscis_response_method"]),
        ({"id": ""}, ["id"]),
        ({"id": 7}, ["id"]),
        ({}, ["id"]),
    ],
)  # fmt: skip
def test_parse_case_names_the_bad_field(case: dict[str, Any], fields: list[str]) -> None:
    assert _error_fields(case) == fields


@pytest.mark.parametrize(
    ("case", "fields"),
    [
        ({"id": "x", "last_arrival": "2024-05-01",
          "hearings": [{"kind": "master", "date": "2024-04-30"}]}, ["hearings[0].date"]),
        ({"id": "x", "hearings": [{"kind": "individual", "date": "2026-03-16",
                                   "ij_filing_deadline": "2026-03-17"}]},
         ["hearings[0].ij_filing_deadline"]),
        ({"id": "x", "decision": {"kind": "written", "date": "2026-01-02",
                                  "memo_mailed": "2026-01-01"}}, ["decision.memo_mailed"]),
        ({"id": "x", "as_of": "2026-01-05", "date_of_birth": "2026-02-01"}, ["date_of_birth"]),
        ({"id": "x", "date_of_birth": "2010-01-01", "last_arrival": "2009-01-01"},
         ["date_of_birth"]),
        ({"id": "x", "family": [{"id": "a", "relationship": "child"},
                                {"id": "a", "relationship": "spouse"}]}, ["family[1].id"]),
        ({"id": "x", "family": [{"id": "a", "relationship": "child",
                                 "date_of_birth": "2030-01-01"}]}, ["family[0].date_of_birth"]),
    ],
)  # fmt: skip
def test_parse_case_catches_impossible_dates(case: dict[str, Any], fields: list[str]) -> None:
    assert _error_fields(case) == fields


def test_parse_case_reports_every_problem_of_a_case() -> None:
    fields = _error_fields({"id": "x", "colour": 1, "detained": 0, "hearings": [{"kind": "x"}]})
    assert fields == ["colour", "detained", "hearings[0].kind", "hearings[0].date"]


def test_compute_batch_keeps_order_and_isolates_bad_cases(us_calendar: BusinessCalendar) -> None:
    cases = [
        {"id": "a", "final_order_date": "2025-12-01"},
        {"id": "b", "hearings": [{"kind": "individual", "date": "2026-13-01"}]},
        "not a case",
        {"id": "d", "last_arrival": "2025-03-01"},
    ]
    results = _batch(cases, us_calendar)
    assert [r["id"] for r in results] == ["a", "b", None, "d"]
    assert results[1]["error"] == results[1]["errors"][0]
    assert results[1]["error"]["field"] == "hearings[0].date"
    assert results[2]["error"]["field"] is None
    assert results[3]["deadlines"][0]["date"] == "2026-03-02"


def test_compute_batch_result_shape(us_calendar: BusinessCalendar) -> None:
    (result,) = _batch([FULL_CASE], us_calendar)
    assert set(result) == {"id", "as_of", "deadlines", "flags", "derivatives"}
    prehearing = next(d for d in result["deadlines"] if d["rule"] == "ICPM_PREHEARING")
    assert prehearing == {
        "rule": "ICPM_PREHEARING",
        "date": "2026-02-17",
        "safe_target": "2026-02-13",
        "source": "rule",
        "applies_to": "hearing:0",
        "details": {
            "days_before": 30,
            "hearing_date": "2026-03-16",
            "hearing_kind": "individual",
            "counted_day": "2026-02-14",
        },
        "citation": prehearing["citation"],
        "explanation": prehearing["explanation"],
    }
    assert "3.1(b)" in prehearing["citation"]
    json.dumps(result, ensure_ascii=False)  # everything is JSON


def test_compute_batch_detail_names_from_the_issue(us_calendar: BusinessCalendar) -> None:
    case = {
        "id": "d",
        "supplement_b_signed": "2025-08-31",
        "sij": True,
        "date_of_birth": "2005-06-01",
        "uscis_response_due": "2026-07-04",
    }
    (result,) = _batch([case], us_calendar)
    by_rule = {d["rule"]: d["details"] for d in result["deadlines"]}
    assert by_rule["UVISA_SUPB_6_MONTHS"]["six_month_mark"] == "2026-02-28"
    assert by_rule["SIJ_UNDER_21"]["twenty_first_birthday"] == "2026-06-01"
    assert by_rule["SIJ_UNDER_21"]["paper_filing_timely_if_received_by"] == "2026-06-01"
    assert by_rule["USCIS_RESPONSE"]["timely_if_received_by"] == "2026-07-06"


def test_compute_batch_spanish_explanations_and_errors(us_calendar: BusinessCalendar) -> None:
    results = _batch(
        [{"id": "a", "final_order_date": "2025-12-01"}, {"id": "b", "colour": 1}],
        us_calendar,
        language="es",
    )
    assert results[0]["deadlines"][0]["explanation"].startswith("La moción para reabrir el caso")
    assert results[0]["deadlines"][0]["explanation"].endswith("la norma vigente.")
    assert results[1]["error"]["message"] == "campo desconocido"


def test_compute_batch_rejects_unknown_language(us_calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="language"):
        _batch([], us_calendar, language="fr")


@pytest.mark.parametrize("raw", [{}, "cases", 3, None])
def test_compute_batch_top_level_must_be_an_array(us_calendar: BusinessCalendar, raw: Any) -> None:
    with pytest.raises(BatchReadError):
        compute_batch(raw, today=TODAY, calendar=us_calendar)


def test_read_batch_text_rejects_invalid_json() -> None:
    with pytest.raises(BatchReadError) as caught:
        read_batch_text("[{")
    assert "not valid JSON" in caught.value.text.en
    assert read_batch_text("[]") == []


def test_compute_batch_u_visa_derivatives_shape(us_calendar: BusinessCalendar) -> None:
    case = {
        "id": "u",
        "case_type": "u_visa",
        "date_of_birth": "1985-01-01",
        "i918_filed": "2025-10-01",
        "family": [{"id": "f1", "relationship": "child", "date_of_birth": "2006-06-01"}],
    }
    (result,) = _batch([case], us_calendar)
    (derivative,) = result["derivatives"]
    assert {k: derivative[k] for k in ("family_id", "qualifies", "age_out_protected")} == {
        "family_id": "f1",
        "qualifies": True,
        "age_out_protected": True,
    }
    assert derivative["reason"].startswith("Child:")
