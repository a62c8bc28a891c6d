"""The response clock (pure): 2 business days, weekends and federal holidays excluded, counted
on the deadline engine's calendar; and mentor-pay arithmetic. No database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from amparo.deadlines.domain.business_days import BusinessCalendar, us_federal_calendar
from amparo.mentoring_work.domain.pay import (
    amount_for,
    hours_from_minutes,
    month_end,
    parse_month,
    previous_month,
    ranges_overlap,
)
from amparo.mentoring_work.domain.response_clock import (
    ClockState,
    response_clock,
    response_due_date,
    response_seconds,
)

LA = ZoneInfo("America/Los_Angeles")
CALENDAR = us_federal_calendar()


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LA)


@pytest.mark.parametrize(
    ("sent_on", "due_on"),
    [
        # Monday -> Wednesday; Thursday -> Monday; Friday -> Tuesday.
        ("2026-11-16", "2026-11-18"),
        ("2026-11-19", "2026-11-23"),
        ("2026-11-20", "2026-11-24"),
        # Sent on a weekend: the day of sending is day 0 whatever it is.
        ("2026-11-21", "2026-11-24"),
        ("2026-11-22", "2026-11-24"),
        # Wednesday before Thanksgiving (Thu 2026-11-26): Friday counts, then Monday.
        ("2026-11-25", "2026-11-30"),
        # Christmas on Friday 2026-12-25.
        ("2026-12-23", "2026-12-28"),
        # Year end: New Year's Day 2027 is a Friday.
        ("2026-12-30", "2027-01-04"),
        ("2026-12-31", "2027-01-05"),
        # New Year's Day 2028 is a Saturday, observed Friday 2027-12-31.
        ("2027-12-30", "2028-01-04"),
        # Independence Day 2026 (Saturday) is observed on Friday 2026-07-03.
        ("2026-07-01", "2026-07-06"),
        # Martin Luther King Jr. Day, Monday 2027-01-18.
        ("2027-01-15", "2027-01-20"),
    ],
)
def test_response_due_date_counts_two_business_days(sent_on, due_on):
    assert response_due_date(dt.date.fromisoformat(sent_on), CALENDAR) == dt.date.fromisoformat(
        due_on
    )


def test_response_due_date_uses_the_calendar_it_is_given():
    closed_friday = BusinessCalendar(frozenset({dt.date(2026, 11, 27)}))
    assert response_due_date(dt.date(2026, 11, 25), closed_friday) == dt.date(2026, 11, 30)
    assert response_due_date(dt.date(2026, 11, 25), BusinessCalendar(frozenset())) == dt.date(
        2026, 11, 27
    )
    with pytest.raises(ValueError):
        response_due_date(dt.date(2026, 11, 25), CALENDAR, business_days=0)


def test_clock_runs_out_at_midnight_after_the_due_day_in_the_program_zone():
    clock = response_clock(_at("2026-11-25T16:45"), zone=LA, calendar=CALENDAR)
    assert clock.due_on == dt.date(2026, 11, 30)
    assert clock.runs_out_at == _at("2026-12-01T00:00")
    # A message sent late in the evening in California is already the next day in UTC: the
    # program's zone decides the day of sending.
    evening = dt.datetime(2026, 11, 26, 6, 30, tzinfo=dt.UTC)  # 22:30 on the 25th in LA
    assert response_clock(evening, zone=LA, calendar=CALENDAR).due_on == dt.date(2026, 11, 30)


def test_clock_states():
    clock = response_clock(_at("2026-11-25T09:00"), zone=LA, calendar=CALENDAR)
    assert clock.state(now=_at("2026-11-30T23:59")) is ClockState.RUNNING
    assert clock.state(now=_at("2026-12-01T00:00")) is ClockState.OVERDUE
    assert clock.is_overdue(now=_at("2026-12-01T08:00"))
    answered = _at("2026-11-30T18:00")
    assert clock.state(now=_at("2026-12-05T00:00"), answered_at=answered) is (
        ClockState.ANSWERED_ON_TIME
    )
    late = _at("2026-12-01T08:00")
    assert clock.state(now=late, answered_at=late) is ClockState.ANSWERED_LATE
    assert not clock.is_overdue(now=late, answered_at=late)


def test_clock_across_the_daylight_saving_change():
    # Clocks go back on Sunday 2026-11-01: Friday 2026-10-30 -> due Tuesday 2026-11-03.
    clock = response_clock(_at("2026-10-30T12:00"), zone=LA, calendar=CALENDAR)
    assert clock.due_on == dt.date(2026, 11, 3)
    assert clock.runs_out_at.utcoffset() == dt.timedelta(hours=-8)


def test_clock_refuses_naive_times():
    with pytest.raises(ValueError):
        response_clock(dt.datetime(2026, 11, 25, 9), zone=LA, calendar=CALENDAR)


@time_machine.travel(dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC), tick=False)
def test_clock_with_time_moved_over_thanksgiving():
    sent = dt.datetime.now(tz=dt.UTC)
    clock = response_clock(sent, zone=LA, calendar=CALENDAR)
    assert not clock.is_overdue(now=dt.datetime.now(tz=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 11, 30, 23, 0, tzinfo=LA), tick=False):
        assert not clock.is_overdue(now=dt.datetime.now(tz=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 1, tzinfo=LA), tick=False):
        assert clock.is_overdue(now=dt.datetime.now(tz=dt.UTC))


def test_response_seconds():
    assert response_seconds(_at("2026-11-25T09:00"), _at("2026-11-25T10:30")) == 5400
    assert response_seconds(_at("2026-11-25T09:00"), _at("2026-11-25T08:00")) == 0


# --- pay arithmetic -----------------------------------------------------------------------------


def test_hours_and_amounts_round_half_up_to_the_cent():
    assert hours_from_minutes(95) == Decimal("1.58")
    assert hours_from_minutes(0) == Decimal("0.00")
    assert amount_for(95, Decimal("120.00")) == Decimal("190.00")
    assert amount_for(7, Decimal("100.00")) == Decimal("11.67")  # 11.666...
    assert amount_for(1, Decimal("0.30")) == Decimal("0.01")  # 0.005 rounds up
    with pytest.raises(ValueError):
        amount_for(-1, Decimal("1"))


def test_months():
    assert parse_month("2026-10") == dt.date(2026, 10, 1)
    for bad in ("2026-13", "2026-1", "26-10", "", "1999-12", "2026-10-01", "x"):
        assert parse_month(bad) is None
    assert month_end(dt.date(2028, 2, 1)) == dt.date(2028, 2, 29)
    assert month_end(dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)
    assert previous_month(dt.date(2027, 1, 15)) == dt.date(2026, 12, 1)
    october = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert ranges_overlap(*october, dt.date(2026, 1, 1), None)
    assert ranges_overlap(*october, dt.date(2026, 10, 31), dt.date(2027, 1, 1))
    assert not ranges_overlap(*october, dt.date(2026, 11, 1), None)
    assert not ranges_overlap(*october, dt.date(2026, 1, 1), dt.date(2026, 9, 30))
