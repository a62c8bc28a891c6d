"""The engine's speed-ups must not change any answer.

The calendar memoises its day stepping, results build their slots directly, the dated settings
take shortcuts, dates are written from a memo and the contract skips work for clean input. Each
test here compares one of those against a plain reference written the obvious way, so a shortcut
that drifts from the rule fails here.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.contract import compute_batch, parse_case
from amparo.deadlines.domain.dates import days_delta
from amparo.deadlines.domain.facts import CaseFacts, HearingKind, Relationship
from amparo.deadlines.domain.results import (
    CaseResult,
    Deadline,
    DeadlineSource,
    Flag,
    FlagCode,
    RuleId,
    RuleOutcome,
    Text,
)
from amparo.deadlines.domain.settings import (
    SINCE_ALWAYS,
    DatedSetting,
    DatedValue,
    choose_for_hearing,
)
from amparo.deadlines.domain.text import en, es

ONE_DAY = timedelta(days=1)
run = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2022, 12, 31))
day_sets = st.frozensets(days, max_size=60)


def reference_is_business_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def reference_roll_forward(day: date, holidays: frozenset[date]) -> date:
    while not reference_is_business_day(day, holidays):
        day += ONE_DAY
    return day


def reference_last_open(day: date, holidays: frozenset[date], closures: frozenset[date]) -> date:
    while not reference_is_business_day(day, holidays) or day in closures:
        day -= ONE_DAY
    return day


@run
@given(holidays=day_sets, closures=day_sets, queries=st.lists(days, min_size=1, max_size=40))
def test_memoised_day_stepping_matches_plain_stepping(
    holidays: frozenset[date], closures: frozenset[date], queries: list[date]
) -> None:
    """Asked in any order and more than once, the memoised calendar answers as plain stepping."""
    calendar = BusinessCalendar(holidays, closures)
    for day in [*queries, *reversed(queries)]:
        assert calendar.is_business_day(day) == reference_is_business_day(day, holidays)
        assert calendar.roll_forward(day) == reference_roll_forward(day, holidays)
        assert calendar.last_open_day_on_or_before(day) == reference_last_open(
            day, holidays, closures
        )
        assert calendar.last_open_day_before(day) == reference_last_open(
            day - ONE_DAY, holidays, closures
        )


def test_calendars_do_not_share_memos() -> None:
    """A memo belongs to one calendar: another calendar's holidays never leak into it."""
    day = date(2025, 3, 3)  # a Monday
    plain = BusinessCalendar(frozenset())
    closed = BusinessCalendar(frozenset({day}))
    assert plain.roll_forward(day) == day
    assert closed.roll_forward(day) == day + ONE_DAY
    assert plain.roll_forward(day) == day


def reference_entries_between(
    setting: DatedSetting, start: date, end: date
) -> tuple[DatedValue, ...]:
    following = [*(entry.effective_from for entry in setting.entries[1:]), date.max]
    return tuple(
        entry
        for entry, next_start in zip(setting.entries, following, strict=True)
        if entry.effective_from <= end and next_start > start
    )


@st.composite
def dated_settings(draw: st.DrawFn) -> DatedSetting:
    starts = sorted(draw(st.sets(days, max_size=5)))
    values = draw(st.lists(st.integers(1, 60), min_size=len(starts) + 1, max_size=len(starts) + 1))
    entries = [DatedValue(SINCE_ALWAYS, values[0], "first")]
    entries += [
        DatedValue(day, value, "later") for day, value in zip(starts, values[1:], strict=True)
    ]
    return DatedSetting(name="test", entries=tuple(entries))


@run
@given(setting=dated_settings(), start=days, length=st.integers(0, 400), hearing=days)
def test_dated_setting_shortcuts_match_the_definition(
    setting: DatedSetting, start: date, length: int, hearing: date
) -> None:
    end = start + timedelta(days=length)
    assert setting.entries_between(start, end) == reference_entries_between(setting, start, end)
    window = reference_entries_between(
        setting, hearing - timedelta(days=max(e.value for e in setting.entries)), hearing
    )
    choice = choose_for_hearing(setting, hearing)
    assert choice.values_in_window == tuple(entry.value for entry in window)
    assert choice.value == max(entry.value for entry in window)


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_memoised_date_text_is_the_plain_format(day: date) -> None:
    weekday = day.weekday()
    assert en(day) == f"{day.strftime('%A')} {day.isoformat()}"
    spanish = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")[weekday]
    assert es(day) == f"{spanish} {day.isoformat()}"


def test_results_with_hand_written_init_stay_frozen_dataclasses() -> None:
    text = Text(en="a", es="b")
    deadline = Deadline(
        rule=RuleId.BIA_APPEAL_30, date=date(2025, 1, 2), citation="c", explanation=text
    )
    assert deadline.safe_target is None
    assert deadline.source is DeadlineSource.RULE
    assert deadline.applies_to is None
    assert dict(deadline.details) == {}
    assert dataclasses.replace(deadline, applies_to="hearing:0").applies_to == "hearing:0"
    assert deadline == Deadline(RuleId.BIA_APPEAL_30, date(2025, 1, 2), "c", Text("a", "b"))
    flag = Flag(code=FlagCode.APPEAL_WAIVED, message=text)
    outcome = RuleOutcome(deadlines=(deadline,), flags=(flag,))
    result = CaseResult(
        case_id="c", as_of=date(2025, 1, 1), deadlines=(deadline,), flags=(flag,), derivatives=()
    )
    assert RuleOutcome() == RuleOutcome(deadlines=(), flags=())
    for value, field in (
        (text, "en"),
        (deadline, "date"),
        (flag, "code"),
        (outcome, "flags"),
        (result, "case_id"),
    ):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field, None)
    assert hash(text) == hash(Text("a", "b"))


def test_choice_fields_return_the_enum_member_and_list_the_choices() -> None:
    facts = parse_case(
        {
            "id": "c1",
            "hearings": [{"kind": "master", "date": "2026-03-02"}],
            "family": [{"id": "f1", "relationship": "child"}],
        },
        today=date(2026, 1, 5),
    )
    assert isinstance(facts, CaseFacts)
    assert facts.hearings[0].kind is HearingKind.MASTER
    assert facts.family[0].relationship is Relationship.CHILD
    bad = compute_batch(
        [{"id": "c2", "case_type": "visa", "uscis_response_method": 3, "extra": 1}],
        today=date(2026, 1, 5),
        calendar=BusinessCalendar(frozenset()),
    )[0]
    assert bad["errors"] == [
        {"field": "extra", "message": "unknown field"},
        {
            "field": "case_type",
            "message": "must be one of: defensive_asylum, affirmative_asylum, u_visa",
        },
        {"field": "uscis_response_method", "message": "must be one of: paper, online"},
    ]


@given(count=st.integers(min_value=-5000, max_value=5000))
def test_memoised_day_periods_are_the_plain_timedelta(count: int) -> None:
    assert days_delta(count) == timedelta(days=count)
    assert days_delta(count) is days_delta(count)
