"""Worked cases per rule, computed by hand from DEADLINE-RULES.md and the calendar.

Each row says why the expected date is what it is; the weekday and holiday facts were checked
against ``holidays.US()`` (holidays 0.109) before the rows were written (see test_business_days).
"""

from __future__ import annotations

from datetime import date

import pytest

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.facts import (
    CaseType,
    Decision,
    DecisionKind,
    FamilyMember,
    FilingMethod,
    Hearing,
    HearingKind,
    Relationship,
)
from amparo.deadlines.domain.results import DeadlineSource, FlagCode, RuleId
from amparo.deadlines.domain.rules import (
    asylum_ead_file,
    asylum_ead_grant,
    asylum_one_year,
    bia_appeal,
    derivative_turns_21,
    icpm_prehearing,
    icpm_response,
    motion_to_reconsider,
    motion_to_reopen,
    sij_under_21,
    uac_turns_18,
    uscis_response,
    uvisa_supplement_b,
)
from amparo.deadlines.domain.settings import DEFAULT_SETTINGS

D = date.fromisoformat

ONE_YEAR_CASES = [
    # (last arrival, expected official date, why)
    ("2001-04-09", "2002-04-09", "Minasyan: arrival 2001-04-09, filing 2002-04-09 timely (Tue)"),
    ("2025-03-01", "2026-03-02", "anniversary Sun 2026-03-01 -> Mon"),
    ("2024-02-29", "2025-02-28", "leap-day arrival ends Feb 28 (Fri), conservative"),
    ("2020-02-29", "2021-03-01", "leap-day arrival -> Sun 2021-02-28 -> Mon Mar 1"),
    ("2025-01-01", "2026-01-02", "anniversary is New Year's Day (Thu) -> Fri, year boundary"),
    ("2025-07-03", "2026-07-06", "Jul 4 2026 is a Sat, observed Fri Jul 3 -> Mon Jul 6"),
    ("2024-06-19", "2025-06-20", "Juneteenth Thu 2025-06-19 -> Fri"),
    ("2019-06-19", "2020-06-19", "no Juneteenth before 2021: Fri 2020-06-19 stands"),
    ("2021-12-24", "2022-12-27", "Sat Dec 24, Sun, Mon Dec 26 Christmas observed -> Tue"),
    ("2020-12-31", "2022-01-03", "Fri 2021-12-31 is New Year's Day (observed) -> Mon 2022-01-03"),
    ("1995-05-05", "1998-04-01", "period starts 1997-04-01 when arrival is earlier"),
]


@pytest.mark.parametrize(("arrival", "expected", "why"), ONE_YEAR_CASES)
def test_asylum_one_year_worked_cases(
    us_calendar: BusinessCalendar, arrival: str, expected: str, why: str
) -> None:
    deadline = asylum_one_year(last_arrival=D(arrival), calendar=us_calendar)
    assert deadline.date == D(expected), why
    assert deadline.rule is RuleId.ASYLUM_ONE_YEAR
    assert deadline.safe_target is None


PREHEARING_CASES = [
    # (kind, hearing, official, safe target, days, why)
    ("individual", "2026-03-16", "2026-02-17", "2026-02-13", 30,
     "DEADLINE-RULES example: Sat 2/14 -> Mon 2/16 Washington's Birthday -> Tue 2/17"),
    ("individual", "2026-04-15", "2026-03-16", "2026-03-16", 30, "counted day is a Monday"),
    ("master", "2026-07-20", "2026-07-06", "2026-07-02", 15,
     "Sun Jul 5 -> Mon Jul 6; safe skips Sat and Fri Jul 3 (observed) -> Thu Jul 2"),
    ("individual", "2027-02-01", "2027-01-04", "2026-12-31", 30,
     "Sat 2027-01-02 -> Mon Jan 4; safe skips Fri Jan 1 -> Thu 2026-12-31"),
    ("individual", "2027-07-19", "2027-06-21", "2027-06-17", 30,
     "Sat Jun 19 Juneteenth -> Mon Jun 21; safe skips Fri Jun 18 (observed) -> Thu"),
    ("individual", "2024-07-19", "2024-07-05", "2024-07-03", 15,
     "DM 22-04 period (15 days): Thu Jul 4 -> Fri Jul 5; safe Wed Jul 3"),
    ("individual", "2023-10-18", "2023-10-03", "2023-10-03", 15, "DM 22-04 period, Tue"),
    ("individual", "2021-06-30", "2021-06-01", "2021-05-28", 30,
     "2020 Policy Manual period (30 days): Memorial Day Mon May 31 -> Tue Jun 1; safe Fri"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "hearing", "official", "safe", "days", "why"), PREHEARING_CASES)
def test_icpm_prehearing_worked_cases(
    us_calendar: BusinessCalendar,
    kind: str,
    hearing: str,
    official: str,
    safe: str,
    days: int,
    why: str,
) -> None:
    outcome = icpm_prehearing(
        hearing=Hearing(HearingKind(kind), D(hearing)),
        hearing_index=0,
        detained=False,
        calendar=us_calendar,
        settings=DEFAULT_SETTINGS,
    )
    (deadline,) = outcome.deadlines
    assert (deadline.date, deadline.safe_target) == (D(official), D(safe)), why
    assert deadline.details["days_before"] == days
    assert deadline.source is DeadlineSource.RULE
    assert deadline.applies_to == "hearing:0"
    assert outcome.flags == ()


@pytest.mark.parametrize(
    ("hearing", "official"),
    [
        ("2025-02-20", "2025-01-21"),  # 15 until 2025-01-31, 30 from 2025-02-01 in the window
        ("2022-09-01", "2022-08-02"),  # 30 until 2022-08-25, 15 from 2022-08-26 in the window
    ],
)
def test_icpm_prehearing_uses_longer_period_and_flags_at_rule_change(
    us_calendar: BusinessCalendar, hearing: str, official: str
) -> None:
    outcome = icpm_prehearing(
        hearing=Hearing(HearingKind.INDIVIDUAL, D(hearing)),
        hearing_index=2,
        detained=False,
        calendar=us_calendar,
        settings=DEFAULT_SETTINGS,
    )
    assert outcome.deadlines[0].date == D(official)
    assert outcome.deadlines[0].details["days_before"] == 30
    assert [(f.code, f.applies_to) for f in outcome.flags] == [
        (FlagCode.RULE_CHANGE_REVIEW, "hearing:2")
    ]


def test_icpm_prehearing_master_without_ruling_request_has_no_deadline(
    us_calendar: BusinessCalendar,
) -> None:
    outcome = icpm_prehearing(
        hearing=Hearing(HearingKind.MASTER, D("2026-07-20"), ruling_requested=False),
        hearing_index=0,
        detained=False,
        calendar=us_calendar,
        settings=DEFAULT_SETTINGS,
    )
    assert outcome.deadlines == () and outcome.flags == ()


@pytest.mark.parametrize("kind", ["master", "individual"])
def test_icpm_prehearing_detained_without_ij_date_flags_court_set_deadline(
    us_calendar: BusinessCalendar, kind: str
) -> None:
    outcome = icpm_prehearing(
        hearing=Hearing(HearingKind(kind), D("2026-03-16")),
        hearing_index=1,
        detained=True,
        calendar=us_calendar,
        settings=DEFAULT_SETTINGS,
    )
    assert outcome.deadlines == ()
    assert [(f.code, f.applies_to) for f in outcome.flags] == [
        (FlagCode.COURT_SET_DEADLINE_REQUIRED, "hearing:1")
    ]


@pytest.mark.parametrize(
    ("detained", "ordered", "safe", "default"),
    [
        (False, "2026-03-02", "2026-03-02", "2026-02-17"),  # later than the default: still controls
        (False, "2026-01-10", "2026-01-09", "2026-02-17"),  # Sat order: kept, safe target Fri
        (True, "2026-02-20", "2026-02-20", None),  # detained: the only source of a date
    ],
)
def test_icpm_prehearing_ij_order_controls(
    us_calendar: BusinessCalendar,
    detained: bool,
    ordered: str,
    safe: str,
    default: str | None,
) -> None:
    outcome = icpm_prehearing(
        hearing=Hearing(HearingKind.INDIVIDUAL, D("2026-03-16"), ij_filing_deadline=D(ordered)),
        hearing_index=0,
        detained=detained,
        calendar=us_calendar,
        settings=DEFAULT_SETTINGS,
    )
    (deadline,) = outcome.deadlines
    assert deadline.source is DeadlineSource.IJ_ORDER
    assert (deadline.date, deadline.safe_target) == (D(ordered), D(safe))
    assert deadline.details["rule_default_date"] == (D(default) if default else None)
    assert [f.code for f in outcome.flags] == [FlagCode.IJ_ORDER_CONTROLS]


RESPONSE_CASES = [
    # (received, expected, why)
    ("2026-02-06", "2026-02-17", "day 10 is Mon 2/16 Washington's Birthday -> Tue"),
    ("2026-06-24", "2026-07-06", "day 10 is Sat Jul 4 (observed Fri Jul 3) -> Mon Jul 6"),
    ("2022-12-21", "2023-01-03", "Sat Dec 31, Sun Jan 1, Mon Jan 2 observed -> Tue Jan 3"),
]


@pytest.mark.parametrize(("received", "expected", "why"), RESPONSE_CASES)
def test_icpm_response_worked_cases(
    us_calendar: BusinessCalendar, received: str, expected: str, why: str
) -> None:
    outcome = icpm_response(
        received=D(received),
        filing_index=0,
        hearings=(),
        detained=False,
        calendar=us_calendar,
        settings=DEFAULT_SETTINGS,
    )
    assert outcome.deadlines[0].date == D(expected), why
    assert outcome.deadlines[0].applies_to == "filing:0"


def test_icpm_response_is_due_by_the_next_hearing_when_later(
    us_calendar: BusinessCalendar,
) -> None:
    hearings = (
        Hearing(HearingKind.MASTER, D("2026-01-12")),  # before the filing: ignored
        Hearing(HearingKind.INDIVIDUAL, D("2026-03-16")),
    )
    outcome = icpm_response(
        received=D("2026-03-10"),  # day 10 = Fri 2026-03-20, after the hearing
        filing_index=3,
        hearings=hearings,
        detained=False,
        calendar=us_calendar,
        settings=DEFAULT_SETTINGS,
    )
    (deadline,) = outcome.deadlines
    assert deadline.date == D("2026-03-16")
    assert deadline.details["capped_at_hearing"] == "hearing:1"


def test_icpm_response_detained_flags_court_set_deadline(us_calendar: BusinessCalendar) -> None:
    outcome = icpm_response(
        received=D("2026-02-06"),
        filing_index=0,
        hearings=(),
        detained=True,
        calendar=us_calendar,
        settings=DEFAULT_SETTINGS,
    )
    assert outcome.deadlines == ()
    assert [(f.code, f.applies_to) for f in outcome.flags] == [
        (FlagCode.COURT_SET_DEADLINE_REQUIRED, "filing:0")
    ]


APPEAL_CASES = [
    # (kind, date, memo mailed, expected, why)
    ("oral", "2021-12-13", None, "2022-01-12", "Matter of Morales-Morales: 12/13/2021 -> 1/12/2022"),
    ("oral", "2021-12-13", "2021-12-20", "2022-01-12", "Iskandarani: a later memo does not restart"),
    ("written", "2026-05-01", "2026-05-20", "2026-06-22",
     "mailed Wed 5/20, day 30 Fri 6/19 Juneteenth -> Mon 6/22"),
    ("written", "2026-06-04", None, "2026-07-06", "no mailing date: decision date; Sat Jul 4 -> Mon"),
    ("oral", "2024-01-30", None, "2024-02-29", "leap year: day 30 is Thu Feb 29"),
    ("oral", "2023-01-30", None, "2023-03-01", "common year: day 30 is Wed Mar 1"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "day", "mailed", "expected", "why"), APPEAL_CASES)
def test_bia_appeal_worked_cases(
    us_calendar: BusinessCalendar,
    kind: str,
    day: str,
    mailed: str | None,
    expected: str,
    why: str,
) -> None:
    decision = Decision(DecisionKind(kind), D(day), D(mailed) if mailed else None)
    outcome = bia_appeal(decision=decision, calendar=us_calendar)
    assert outcome.deadlines[0].date == D(expected), why
    assert outcome.flags == ()


def test_bia_appeal_waived_gives_no_deadline_and_a_flag(us_calendar: BusinessCalendar) -> None:
    decision = Decision(DecisionKind.ORAL, D("2021-12-13"), appeal_waived=True)
    outcome = bia_appeal(decision=decision, calendar=us_calendar)
    assert outcome.deadlines == ()
    assert [f.code for f in outcome.flags] == [FlagCode.APPEAL_WAIVED]


MOTION_CASES = [
    # (rule, final order, expected, why)
    ("reopen", "2025-12-01", "2026-03-02", "day 90 Sun 2026-03-01 -> Mon"),
    ("reopen", "2024-08-13", "2024-11-12", "day 90 Mon Nov 11 Veterans Day -> Tue"),
    ("reopen", "2023-12-01", "2024-02-29", "leap year: day 90 is Thu Feb 29"),
    ("reconsider", "2025-12-01", "2025-12-31", "day 30 Wed Dec 31"),
    ("reconsider", "2025-11-25", "2025-12-26", "day 30 Christmas Thu -> Fri (EO closure ignored)"),
    ("reconsider", "2025-12-20", "2026-01-20", "day 30 Mon Jan 19 MLK Day -> Tue, year boundary"),
]


@pytest.mark.parametrize(("rule", "order", "expected", "why"), MOTION_CASES)
def test_post_order_motion_worked_cases(
    us_calendar: BusinessCalendar, rule: str, order: str, expected: str, why: str
) -> None:
    compute = motion_to_reopen if rule == "reopen" else motion_to_reconsider
    assert compute(final_order=D(order), calendar=us_calendar).date == D(expected), why


SUPB_CASES = [
    # (signed, six-month mark, last safe receipt date, why)
    ("2025-08-31", "2026-02-28", "2026-02-27", "Aug 31 + 6 months clamps to Feb 28 (Sat) -> Fri"),
    ("2023-08-31", "2024-02-29", "2024-02-28", "leap year clamps to Feb 29 -> Wed Feb 28"),
    ("2026-01-15", "2026-07-15", "2026-07-14", "business day strictly before the mark"),
    ("2026-01-06", "2026-07-06", "2026-07-02", "skips Sun, Sat and Fri Jul 3 (observed) -> Thu"),
    ("2025-07-02", "2026-01-02", "2025-12-31", "skips New Year's Day -> Wed, year boundary"),
    ("2025-06-25", "2025-12-25", "2025-12-24", "Wed Dec 24 is not a federal holiday"),
]


@pytest.mark.parametrize(("signed", "mark", "last_safe", "why"), SUPB_CASES)
def test_uvisa_supplement_b_worked_cases(
    us_calendar: BusinessCalendar, signed: str, mark: str, last_safe: str, why: str
) -> None:
    deadline = uvisa_supplement_b(signed=D(signed), calendar=us_calendar)
    assert (deadline.date, deadline.details["six_month_mark"]) == (D(last_safe), D(mark)), why


def test_uvisa_supplement_b_skips_listed_closures(closure_calendar: BusinessCalendar) -> None:
    deadline = uvisa_supplement_b(signed=D("2025-06-25"), calendar=closure_calendar)
    assert deadline.date == D("2025-12-23")  # Dec 24 is listed, so the safe date is Tue Dec 23


EAD_CASES = [
    # (received, delay, earliest I-765, earliest grant, why)
    ("2025-07-01", 0, "2025-11-28", "2025-12-28", "grant date is a Sunday: not moved"),
    ("2025-07-01", 14, "2025-12-12", "2026-01-11", "delay days added; Sunday grant not moved"),
    ("2023-10-02", 0, "2024-02-29", "2024-03-30", "leap year: day 150 is Feb 29"),
]


@pytest.mark.parametrize(("received", "delay", "file_on", "grant_on", "why"), EAD_CASES)
def test_asylum_ead_clock_worked_cases(
    received: str, delay: int, file_on: str, grant_on: str, why: str
) -> None:
    args = {"i589_received": D(received), "delay_days": delay, "settings": DEFAULT_SETTINGS}
    assert asylum_ead_file(**args).date == D(file_on), why  # type: ignore[arg-type]
    assert asylum_ead_grant(**args).date == D(grant_on), why  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("born", "expected"),
    [("2008-02-29", "2026-02-28"), ("2009-07-04", "2027-07-04"), ("2007-12-31", "2025-12-31")],
)
def test_uac_turns_18_is_the_birthday_unmoved(born: str, expected: str) -> None:
    assert uac_turns_18(date_of_birth=D(born)).date == D(expected)


SIJ_CASES = [
    # (born, last day under 21, paper timely by, safe target, why)
    ("2005-06-01", "2026-05-31", "2026-06-01", "2026-05-29", "last day Sun -> paper Mon; safe Fri"),
    ("2005-07-06", "2026-07-05", "2026-07-06", "2026-07-02",
     "last day Sun Jul 5; safe skips Fri Jul 3 (observed) -> Thu"),
    ("2004-02-29", "2025-02-27", "2025-02-27", "2025-02-27",
     "leap-day birth: 21st birthday Feb 28 (conservative), last day Thu"),
    ("2005-11-12", "2026-11-11", "2026-11-12", "2026-11-10", "last day is Veterans Day (Wed)"),
    ("2006-01-02", "2027-01-01", "2027-01-04", "2026-12-31",
     "last day New Year's Day (Fri) -> paper Mon Jan 4; safe Thu Dec 31"),
]  # fmt: skip


@pytest.mark.parametrize(("born", "last_day", "paper", "safe", "why"), SIJ_CASES)
def test_sij_under_21_worked_cases(
    us_calendar: BusinessCalendar, born: str, last_day: str, paper: str, safe: str, why: str
) -> None:
    deadline = sij_under_21(date_of_birth=D(born), calendar=us_calendar)
    assert deadline.date == D(last_day), why
    assert deadline.details["paper_filing_timely_if_received_by"] == D(paper), why
    assert deadline.safe_target == D(safe), why


@pytest.mark.parametrize(
    ("case_type", "filed", "protected"),
    [
        (CaseType.U_VISA, "2026-03-09", True),  # filed the day before the 21st birthday
        (CaseType.U_VISA, "2026-03-10", False),  # filed on the birthday: already 21
        (CaseType.U_VISA, None, False),  # protection starts only at filing
        (CaseType.DEFENSIVE_ASYLUM, None, None),  # asylum derivatives: UNVERIFIED -> review
    ],
)
def test_derivative_turns_21_worked_cases(
    case_type: CaseType, filed: str | None, protected: bool | None
) -> None:
    child = FamilyMember("f1", Relationship.CHILD, D("2005-03-10"))
    deadline = derivative_turns_21(
        member=child, case_type=case_type, i918_filed=D(filed) if filed else None
    )
    assert deadline.date == D("2026-03-10")
    assert deadline.details["age_out_protected"] is protected
    assert deadline.applies_to == "family:f1"


USCIS_CASES = [
    # (due, method, timely if received by, safe target, why)
    ("2026-07-04", "paper", "2026-07-06", "2026-07-02", "Sat Jul 4 (observed Fri) -> Mon"),
    ("2026-07-04", "online", None, "2026-07-02", "online: received when sent, no extension"),
    ("2026-07-04", None, "2026-07-06", "2026-07-02", "method unknown: paper date given"),
    ("2026-01-19", "paper", "2026-01-20", "2026-01-16", "due on MLK Day -> Tue"),
    ("2026-04-15", "paper", "2026-04-15", "2026-04-15", "due on a business day"),
]


@pytest.mark.parametrize(("due", "method", "timely", "safe", "why"), USCIS_CASES)
def test_uscis_response_worked_cases(
    us_calendar: BusinessCalendar,
    due: str,
    method: str | None,
    timely: str | None,
    safe: str,
    why: str,
) -> None:
    deadline = uscis_response(
        due=D(due), method=FilingMethod(method) if method else None, calendar=us_calendar
    )
    assert deadline.date == D(due), why
    assert deadline.details["timely_if_received_by"] == (D(timely) if timely else None), why
    assert deadline.safe_target == D(safe), why
