"""compute_case: which rules apply to which facts, and the flags (stable codes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.engine import compute_case
from amparo.deadlines.domain.facts import (
    CaseFacts,
    CaseType,
    Decision,
    DecisionKind,
    FamilyMember,
    FilingReceived,
    Hearing,
    HearingKind,
    Relationship,
)
from amparo.deadlines.domain.results import CaseResult, FlagCode, RuleId

D = date.fromisoformat

ASYLUM = CaseFacts(
    id="a1",
    as_of=D("2026-01-05"),
    case_type=CaseType.DEFENSIVE_ASYLUM,
    last_arrival=D("2025-03-01"),
)


def _codes(result: CaseResult) -> list[FlagCode]:
    return [flag.code for flag in result.flags]


def test_compute_case_one_year_deadline_for_asylum(us_calendar: BusinessCalendar) -> None:
    result = compute_case(ASYLUM, calendar=us_calendar)
    (deadline,) = result.deadlines_for(RuleId.ASYLUM_ONE_YEAR)
    assert deadline.date == D("2026-03-02")
    assert _codes(result) == []


def test_compute_case_no_one_year_deadline_for_u_visa(us_calendar: BusinessCalendar) -> None:
    result = compute_case(replace(ASYLUM, case_type=CaseType.U_VISA), calendar=us_calendar)
    assert result.deadlines_for(RuleId.ASYLUM_ONE_YEAR) == ()


def test_compute_case_designated_uac_is_exempt_from_one_year(
    us_calendar: BusinessCalendar,
) -> None:
    facts = replace(ASYLUM, is_uac=True, date_of_birth=D("2010-05-05"))
    result = compute_case(facts, calendar=us_calendar)
    assert result.deadlines_for(RuleId.ASYLUM_ONE_YEAR) == ()
    assert _codes(result) == [FlagCode.ONE_YEAR_EXEMPT_UAC]
    (turns_18,) = result.deadlines_for(RuleId.UAC_TURNS_18)
    assert turns_18.date == D("2028-05-05")


@pytest.mark.parametrize(
    "contest",
    [
        {"date_of_birth": D("2007-12-01")},  # 18 on 2025-12-01, before as_of
        {"date_of_birth": D("2010-05-05"), "arrived_with_parent": True},
    ],
)
def test_compute_case_contested_uac_keeps_one_year_date_and_flags(
    us_calendar: BusinessCalendar, contest: dict[str, object]
) -> None:
    facts = replace(ASYLUM, is_uac=True, **contest)  # type: ignore[arg-type]
    result = compute_case(facts, calendar=us_calendar)
    assert result.deadlines_for(RuleId.ASYLUM_ONE_YEAR)[0].date == D("2026-03-02")
    assert FlagCode.ONE_YEAR_EXEMPT_UAC in _codes(result)
    assert FlagCode.UAC_STATUS_CONTESTED in _codes(result)


def test_compute_case_uac_turning_18_on_as_of_is_contested(
    us_calendar: BusinessCalendar,
) -> None:
    on_birthday = replace(ASYLUM, is_uac=True, date_of_birth=D("2008-01-05"))
    day_before = replace(on_birthday, as_of=D("2026-01-04"))
    assert FlagCode.UAC_STATUS_CONTESTED in _codes(compute_case(on_birthday, calendar=us_calendar))
    assert FlagCode.UAC_STATUS_CONTESTED not in _codes(
        compute_case(day_before, calendar=us_calendar)
    )


@pytest.mark.parametrize(
    ("as_of", "received", "missed"),
    [
        ("2026-03-02", None, False),  # the deadline day itself
        ("2026-03-03", None, True),  # the day after, nothing received
        ("2026-06-01", "2026-03-02", False),  # received on the last day
        ("2026-06-01", "2026-03-03", True),  # received a day late
        ("2026-01-05", "2026-04-01", True),  # late receipt is missed whatever as_of says
    ],
)
def test_compute_case_one_year_missed_flag(
    us_calendar: BusinessCalendar, as_of: str, received: str | None, missed: bool
) -> None:
    facts = replace(ASYLUM, as_of=D(as_of), i589_received=D(received) if received else None)
    result = compute_case(facts, calendar=us_calendar)
    assert (FlagCode.ONE_YEAR_DEADLINE_MISSED in _codes(result)) is missed


def test_compute_case_hearings_filings_and_decision_are_all_computed(
    us_calendar: BusinessCalendar,
) -> None:
    facts = replace(
        ASYLUM,
        hearings=(
            Hearing(HearingKind.MASTER, D("2026-01-20"), ruling_requested=False),
            Hearing(HearingKind.INDIVIDUAL, D("2026-03-16")),
        ),
        filings_received=(FilingReceived(D("2026-02-06")),),
        decision=Decision(DecisionKind.ORAL, D("2021-12-13")),
        final_order_date=D("2025-12-01"),
    )
    result = compute_case(facts, calendar=us_calendar)
    assert [(d.rule, d.applies_to, d.date) for d in result.deadlines] == [
        (RuleId.ASYLUM_ONE_YEAR, None, D("2026-03-02")),
        (RuleId.ICPM_PREHEARING, "hearing:1", D("2026-02-17")),
        (RuleId.ICPM_RESPONSE_10, "filing:0", D("2026-02-17")),
        (RuleId.BIA_APPEAL_30, None, D("2022-01-12")),
        (RuleId.MOTION_REOPEN_90, None, D("2026-03-02")),
        (RuleId.MOTION_RECONSIDER_30, None, D("2025-12-31")),
    ]


def test_compute_case_detained_has_no_default_court_deadlines(
    us_calendar: BusinessCalendar,
) -> None:
    facts = replace(
        ASYLUM,
        detained=True,
        hearings=(Hearing(HearingKind.INDIVIDUAL, D("2026-03-16")),),
        filings_received=(FilingReceived(D("2026-02-06")),),
        decision=Decision(DecisionKind.ORAL, D("2026-01-02")),
    )
    result = compute_case(facts, calendar=us_calendar)
    assert result.deadlines_for(RuleId.ICPM_PREHEARING) == ()
    assert result.deadlines_for(RuleId.ICPM_RESPONSE_10) == ()
    # The appeal deadline applies to detained parties too (8 CFR 1003.38(b)).
    assert result.deadlines_for(RuleId.BIA_APPEAL_30)[0].date == D("2026-02-02")
    assert [(f.code, f.applies_to) for f in result.flags] == [
        (FlagCode.COURT_SET_DEADLINE_REQUIRED, "hearing:0"),
        (FlagCode.COURT_SET_DEADLINE_REQUIRED, "filing:0"),
    ]


@pytest.mark.parametrize(
    ("as_of", "filed", "flagged"),
    [
        ("2026-02-27", None, False),  # the last safe receipt date itself
        ("2026-02-28", None, True),  # past it, nothing filed
        ("2026-03-15", "2026-02-27", False),  # filed in time
        ("2026-03-15", "2026-02-28", True),  # filed on the mark: outside the safe window
    ],
)
def test_compute_case_request_new_supplement_b(
    us_calendar: BusinessCalendar, as_of: str, filed: str | None, flagged: bool
) -> None:
    facts = CaseFacts(
        id="u1",
        as_of=D(as_of),
        case_type=CaseType.U_VISA,
        supplement_b_signed=D("2025-08-31"),
        i918_filed=D(filed) if filed else None,
    )
    result = compute_case(facts, calendar=us_calendar)
    assert result.deadlines_for(RuleId.UVISA_SUPB_6_MONTHS)[0].date == D("2026-02-27")
    assert (FlagCode.REQUEST_NEW_SUPB in _codes(result)) is flagged


def test_compute_case_asylum_ead_clock_from_i589(us_calendar: BusinessCalendar) -> None:
    facts = replace(ASYLUM, i589_received=D("2025-07-01"), asylum_clock_delay_days=14)
    result = compute_case(facts, calendar=us_calendar)
    assert result.deadlines_for(RuleId.ASYLUM_EAD_FILE_150)[0].date == D("2025-12-12")
    assert result.deadlines_for(RuleId.ASYLUM_EAD_GRANT_180)[0].date == D("2026-01-11")


@pytest.mark.parametrize(
    ("as_of", "filed", "flagged"),
    [
        ("2026-03-01", None, False),  # 91 days before the last day (2026-05-31)
        ("2026-03-02", None, True),  # 90 days before
        ("2026-07-01", None, True),  # past it
        ("2026-07-01", "2026-05-31", False),  # filed on the last day
        ("2026-07-01", "2026-06-01", True),  # filed on the birthday
    ],
)
def test_compute_case_sij_file_before_21_flag(
    us_calendar: BusinessCalendar, as_of: str, filed: str | None, flagged: bool
) -> None:
    facts = CaseFacts(
        id="s1",
        as_of=D(as_of),
        sij=True,
        date_of_birth=D("2005-06-01"),
        i360_filed=D(filed) if filed else None,
    )
    result = compute_case(facts, calendar=us_calendar)
    assert result.deadlines_for(RuleId.SIJ_UNDER_21)[0].date == D("2026-05-31")
    assert (FlagCode.SIJ_FILE_BEFORE_21 in _codes(result)) is flagged


def test_compute_case_sij_needs_the_flag_and_a_birth_date(us_calendar: BusinessCalendar) -> None:
    no_sij = CaseFacts(id="s", as_of=D("2026-01-05"), date_of_birth=D("2005-06-01"))
    assert compute_case(no_sij, calendar=us_calendar).deadlines == ()


def test_compute_case_uscis_response(us_calendar: BusinessCalendar) -> None:
    facts = CaseFacts(id="r", as_of=D("2026-06-01"), uscis_response_due=D("2026-07-04"))
    (deadline,) = compute_case(facts, calendar=us_calendar).deadlines
    assert deadline.rule is RuleId.USCIS_RESPONSE
    assert deadline.details["timely_if_received_by"] == D("2026-07-06")


def test_compute_case_possible_closure_flag_recommends_the_earlier_date(
    closure_calendar: BusinessCalendar,
) -> None:
    facts = CaseFacts(id="c", as_of=D("2025-12-01"), final_order_date=D("2025-11-25"))
    result = compute_case(facts, calendar=closure_calendar)
    (reconsider,) = result.deadlines_for(RuleId.MOTION_RECONSIDER_30)
    assert reconsider.date == D("2025-12-26")  # the closure does not move the official date
    (flag,) = result.flags_with(FlagCode.POSSIBLE_CLOSURE)
    assert "MOTION_RECONSIDER_30" in flag.message.en
    assert "2025-12-23" in flag.message.en  # file by: Dec 24 and 25 are closed too
    assert "2025-12-29" in flag.message.en  # the later date if the closure extends it


def test_compute_case_possible_closure_on_an_ij_ordered_date(
    closure_calendar: BusinessCalendar,
) -> None:
    facts = CaseFacts(
        id="c",
        as_of=D("2025-12-01"),
        hearings=(
            Hearing(HearingKind.INDIVIDUAL, D("2026-01-12"), ij_filing_deadline=D("2025-12-24")),
        ),
    )
    result = compute_case(facts, calendar=closure_calendar)
    (deadline,) = result.deadlines
    assert (deadline.date, deadline.safe_target) == (D("2025-12-24"), D("2025-12-23"))
    assert [(f.code, f.applies_to) for f in result.flags] == [
        (FlagCode.IJ_ORDER_CONTROLS, "hearing:0"),
        (FlagCode.POSSIBLE_CLOSURE, "hearing:0"),
    ]


def test_compute_case_no_closure_flag_without_closures(us_calendar: BusinessCalendar) -> None:
    facts = CaseFacts(id="c", as_of=D("2025-12-01"), final_order_date=D("2025-11-25"))
    assert compute_case(facts, calendar=us_calendar).flags == ()


def test_compute_case_child_derivative_turns_21_for_any_case_type(
    us_calendar: BusinessCalendar,
) -> None:
    facts = replace(
        ASYLUM,
        family=(
            FamilyMember("k", Relationship.CHILD, D("2010-01-01")),
            FamilyMember("p", Relationship.SPOUSE, D("1980-01-01")),
        ),
    )
    result = compute_case(facts, calendar=us_calendar)
    assert [(d.applies_to, d.date) for d in result.deadlines_for(RuleId.DERIVATIVE_TURNS_21)] == [
        ("family:k", D("2031-01-01"))
    ]
    assert result.derivatives == ()  # U visa derivatives only


def test_compute_case_is_deterministic(us_calendar: BusinessCalendar) -> None:
    facts = replace(
        ASYLUM,
        hearings=(Hearing(HearingKind.INDIVIDUAL, D("2026-03-16")),),
        i589_received=D("2025-07-01"),
    )
    assert compute_case(facts, calendar=us_calendar) == compute_case(facts, calendar=us_calendar)


def test_compute_case_every_explanation_and_message_says_to_verify(
    closure_calendar: BusinessCalendar,
) -> None:
    facts = CaseFacts(
        id="all",
        as_of=D("2026-01-05"),
        case_type=CaseType.U_VISA,
        is_uac=True,
        arrived_with_parent=True,
        date_of_birth=D("2005-06-01"),
        sij=True,
        supplement_b_signed=D("2025-06-25"),
        i589_received=D("2025-07-01"),
        hearings=(Hearing(HearingKind.INDIVIDUAL, D("2025-02-20")),),
        filings_received=(FilingReceived(D("2026-02-06")),),
        decision=Decision(DecisionKind.WRITTEN, D("2025-11-01"), appeal_waived=True),
        final_order_date=D("2025-11-25"),
        family=(
            FamilyMember("k", Relationship.CHILD, D("2005-02-01")),
            FamilyMember("s", Relationship.SIBLING, D("2008-02-01")),
            FamilyMember("m", Relationship.PARENT),
        ),
        uscis_response_due=D("2026-07-04"),
    )
    result = compute_case(facts, calendar=closure_calendar)
    texts = [d.explanation for d in result.deadlines]
    texts += [f.message for f in result.flags] + [d.reason for d in result.derivatives]
    assert len(texts) > 15
    for text in texts:
        assert text.en.endswith("verify against the order, notice or current rule."), text.en
        assert text.es.endswith("verifique con la orden, el aviso o la norma vigente."), text.es
    assert all(d.citation for d in result.deadlines)
