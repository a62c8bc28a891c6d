"""Property tests: invariants every computed date must keep, whatever the input."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.deadlines.domain.business_days import BusinessCalendar, us_federal_calendar
from amparo.deadlines.domain.contract import compute_batch, parse_case
from amparo.deadlines.domain.engine import compute_case
from amparo.deadlines.domain.facts import CaseFacts, FilingMethod, Hearing, HearingKind
from amparo.deadlines.domain.results import DeadlineSource, RuleId
from amparo.deadlines.domain.rules import (
    asylum_ead_file,
    asylum_one_year,
    icpm_prehearing,
    sij_under_21,
    uscis_response,
    uvisa_supplement_b,
)
from amparo.deadlines.domain.settings import DEFAULT_SETTINGS

CALENDAR = us_federal_calendar()
CLOSURES = (*(date(2025, 12, d) for d in (22, 23, 24, 26, 29, 30, 31)), date(2026, 1, 2))
CLOSURE_CALENDAR = us_federal_calendar(CLOSURES)

days = st.dates(min_value=date(1995, 1, 1), max_value=date(2060, 12, 31))
recent = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))
business_days = days.filter(CALENDAR.is_business_day)
run = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Rules whose date is a calendar fact or an earliest date, allowed on any day.
CALENDAR_DATE_RULES = {
    RuleId.ASYLUM_EAD_FILE_150,
    RuleId.ASYLUM_EAD_GRANT_180,
    RuleId.UAC_TURNS_18,
    RuleId.DERIVATIVE_TURNS_21,
    RuleId.SIJ_UNDER_21,
    RuleId.USCIS_RESPONSE,
}


@run
@given(days)
def test_roll_forward_gives_the_first_business_day_on_or_after(day: date) -> None:
    rolled = CALENDAR.roll_forward(day)
    assert CALENDAR.is_business_day(rolled)
    assert day <= rolled <= day + timedelta(days=4)
    assert all(not CALENDAR.is_business_day(day + timedelta(n)) for n in range((rolled - day).days))


@run
@given(days, days)
def test_roll_forward_is_monotonic(first: date, second: date) -> None:
    early, late = sorted((first, second))
    assert CALENDAR.roll_forward(early) <= CALENDAR.roll_forward(late)
    assert CALENDAR.roll_forward(CALENDAR.roll_forward(early)) == CALENDAR.roll_forward(early)


@run
@given(days, st.sampled_from([10, 15, 30, 60, 90]))
def test_forward_periods_end_on_a_business_day_never_early(start: date, period: int) -> None:
    end = CALENDAR.days_after(start, period)
    assert CALENDAR.is_business_day(end)
    assert end >= start + timedelta(days=period)


@run
@given(days, st.sampled_from(["master", "individual"]), st.booleans())
def test_prehearing_deadline_never_passes_the_hearing(
    hearing_day: date, kind: str, detained: bool
) -> None:
    outcome = icpm_prehearing(
        hearing=Hearing(HearingKind(kind), hearing_day),
        hearing_index=0,
        detained=detained,
        calendar=CALENDAR,
        settings=DEFAULT_SETTINGS,
    )
    for deadline in outcome.deadlines:
        assert deadline.safe_target is not None
        assert deadline.safe_target <= deadline.date < hearing_day
        assert CALENDAR.is_open_day(deadline.safe_target)
        days_before = deadline.details["days_before"]
        assert isinstance(days_before, int)
        assert deadline.date >= hearing_day - timedelta(days=days_before)


@run
@given(business_days, st.sampled_from(["master", "individual"]))
def test_prehearing_official_date_is_a_business_day(hearing_day: date, kind: str) -> None:
    outcome = icpm_prehearing(
        hearing=Hearing(HearingKind(kind), hearing_day),
        hearing_index=0,
        detained=False,
        calendar=CALENDAR,
        settings=DEFAULT_SETTINGS,
    )
    (deadline,) = outcome.deadlines
    assert CALENDAR.is_business_day(deadline.date)
    counted = deadline.details["counted_day"]
    assert isinstance(counted, date)
    assert deadline.safe_target == CALENDAR.last_open_day_on_or_before(counted)
    if CALENDAR.is_business_day(counted):
        assert deadline.date == deadline.safe_target == counted


@run
@given(days, days)
def test_one_year_deadline_is_monotonic_in_arrival(first: date, second: date) -> None:
    early, late = sorted((first, second))
    early_deadline = asylum_one_year(last_arrival=early, calendar=CALENDAR).date
    late_deadline = asylum_one_year(last_arrival=late, calendar=CALENDAR).date
    assert early_deadline <= late_deadline
    assert CALENDAR.is_business_day(late_deadline)
    assert late_deadline >= late + timedelta(days=365)


@run
@given(days)
def test_supplement_b_last_safe_date_is_the_last_business_day_before_the_mark(
    signed: date,
) -> None:
    deadline = uvisa_supplement_b(signed=signed, calendar=CALENDAR)
    mark = deadline.details["six_month_mark"]
    assert isinstance(mark, date)
    assert signed < deadline.date < mark
    assert CALENDAR.is_business_day(deadline.date)
    gap = range(1, (mark - deadline.date).days)
    assert all(not CALENDAR.is_business_day(deadline.date + timedelta(n)) for n in gap)


@run
@given(days, st.integers(min_value=0, max_value=400))
def test_ead_clock_is_never_moved(received: date, delay: int) -> None:
    deadline = asylum_ead_file(i589_received=received, delay_days=delay, settings=DEFAULT_SETTINGS)
    assert deadline.date == received + timedelta(days=150 + delay)


@run
@given(days)
def test_sij_dates_are_ordered(born: date) -> None:
    deadline = sij_under_21(date_of_birth=born, calendar=CALENDAR)
    paper = deadline.details["paper_filing_timely_if_received_by"]
    assert isinstance(paper, date) and deadline.safe_target is not None
    assert deadline.safe_target <= deadline.date <= paper
    assert CALENDAR.is_business_day(paper)
    assert deadline.date + timedelta(days=1) == deadline.details["twenty_first_birthday"]


@run
@given(days, st.sampled_from([None, FilingMethod.PAPER, FilingMethod.ONLINE]))
def test_uscis_response_dates_are_ordered(due: date, method: FilingMethod | None) -> None:
    deadline = uscis_response(due=due, method=method, calendar=CALENDAR)
    timely = deadline.details["timely_if_received_by"]
    assert deadline.safe_target is not None and deadline.safe_target <= deadline.date == due
    if method is FilingMethod.ONLINE:
        assert timely is None
    else:
        assert isinstance(timely, date) and timely >= due and CALENDAR.is_business_day(timely)


def _case(draw: Any) -> dict[str, Any]:
    iso = st.builds(date.isoformat, recent)
    maybe = lambda strategy: st.one_of(st.none(), strategy)  # noqa: E731
    arrival = draw(maybe(st.dates(min_value=date(2015, 1, 1), max_value=date(2022, 12, 31))))
    hearings = draw(
        st.lists(
            st.fixed_dictionaries(
                {"kind": st.sampled_from(["master", "individual"]), "date": iso},
                optional={"ruling_requested": st.booleans()},
            ),
            max_size=3,
        )
    )
    return {
        "id": "p",
        "as_of": draw(iso),
        "case_type": draw(maybe(st.sampled_from(["defensive_asylum", "affirmative_asylum", "u_visa"]))),
        "detained": draw(st.booleans()),
        "last_arrival": arrival.isoformat() if arrival else None,
        "is_uac": draw(st.booleans()),
        "sij": draw(st.booleans()),
        "date_of_birth": draw(maybe(st.builds(date.isoformat, st.dates(date(1990, 1, 1), date(2014, 12, 31))))),
        "i589_received": draw(maybe(iso)),
        "hearings": hearings,
        "filings_received": draw(st.lists(st.fixed_dictionaries({"date": iso}), max_size=2)),
        "decision": draw(maybe(st.fixed_dictionaries({"kind": st.sampled_from(["oral", "written"]), "date": iso}))),
        "final_order_date": draw(maybe(iso)),
        "supplement_b_signed": draw(maybe(iso)),
        "i918_filed": draw(maybe(iso)),
        "uscis_response_due": draw(maybe(iso)),
        "family": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "id": st.sampled_from(["f1", "f2", "f3"]),
                        "relationship": st.sampled_from(["spouse", "child", "parent", "sibling"]),
                        "date_of_birth": maybe(st.builds(date.isoformat, st.dates(date(1960, 1, 1), date(2019, 12, 31)))),
                    }
                ),
                max_size=3,
                unique_by=lambda member: member["id"],
            )
        ),
    }  # fmt: skip


cases = st.composite(_case)()


def _check_invariants(facts: CaseFacts, calendar: BusinessCalendar) -> None:
    result = compute_case(facts, calendar=calendar)
    hearing_dates = {f"hearing:{i}": h.date for i, h in enumerate(facts.hearings)}
    for deadline in result.deadlines:
        if deadline.safe_target is not None:
            assert deadline.safe_target <= deadline.date
            assert calendar.is_open_day(deadline.safe_target)
        if deadline.rule is RuleId.ICPM_PREHEARING and deadline.applies_to is not None:
            assert deadline.date <= hearing_dates[deadline.applies_to]
        capped = deadline.details.get("capped_at_hearing")
        if (
            deadline.source is DeadlineSource.RULE
            and deadline.rule not in CALENDAR_DATE_RULES
            and capped is None
        ):
            assert calendar.is_business_day(deadline.date), deadline
        assert deadline.explanation.en.endswith("current rule.")
        assert deadline.explanation.es.endswith("norma vigente.")


@run
@given(cases)
def test_whole_case_invariants_hold_for_any_valid_facts(case: dict[str, Any]) -> None:
    parsed = parse_case(case, today=date(2026, 1, 5))
    if isinstance(parsed, CaseFacts):
        _check_invariants(parsed, CALENDAR)
        _check_invariants(parsed, CLOSURE_CALENDAR)


@run
@given(cases)
def test_closures_never_move_official_dates_later(case: dict[str, Any]) -> None:
    plain = compute_batch([case], today=date(2026, 1, 5), calendar=CALENDAR)[0]
    closed = compute_batch([case], today=date(2026, 1, 5), calendar=CLOSURE_CALENDAR)[0]
    if "error" in plain:
        assert closed == plain
        return
    assert len(plain["deadlines"]) == len(closed["deadlines"])
    for before, after in zip(plain["deadlines"], closed["deadlines"], strict=True):
        if before["rule"] == "UVISA_SUPB_6_MONTHS":
            # Its date is the last *safe* receipt date, so a closure may only make it earlier.
            assert after["date"] <= before["date"]
        else:
            assert after["date"] == before["date"]
        if before["safe_target"] is not None:
            assert after["safe_target"] <= before["safe_target"]


@run
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12))  # fmt: skip
def test_compute_batch_never_raises_on_arbitrary_json_elements(element: Any) -> None:
    (result,) = compute_batch([element], today=date(2026, 1, 5), calendar=CALENDAR)
    assert "error" in result or "deadlines" in result
