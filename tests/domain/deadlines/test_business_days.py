"""The business-day calendar: holiday facts from holidays.US() and the counting primitives."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from amparo.deadlines.domain.business_days import BusinessCalendar

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2021-06-18", "Juneteenth National Independence Day (observed)"),  # first observance
        ("2022-06-20", "Juneteenth National Independence Day (observed)"),
        ("2026-07-03", "Independence Day (observed)"),
        ("2021-12-24", "Christmas Day (observed)"),
        ("2021-12-31", "New Year's Day (observed)"),
        ("2022-12-26", "Christmas Day (observed)"),
        ("2023-11-10", "Veterans Day (observed)"),
        ("2026-02-16", "Washington's Birthday"),
        ("2026-01-19", "Martin Luther King Jr. Day"),
    ],
)
def test_holidays_us_lists_observed_federal_holidays(day: str, name: str) -> None:
    assert holidays.US().get(D(day)) == name


@pytest.mark.parametrize(
    "day",
    [
        "2020-06-19",  # no Juneteenth before 2021
        "2021-01-20",  # Inauguration Day (a Wednesday) is not in the default calendar
        "2029-01-22",  # the Monday after a Saturday inauguration is not a holiday
        "2024-12-24",  # executive-order closures are not federal holidays
        "2025-01-09",
        "2025-12-24",
        "2025-12-26",
        "2025-11-28",  # the day after Thanksgiving
        "2026-04-03",  # Good Friday
    ],
)
def test_calendar_does_not_treat_non_federal_days_as_holidays(
    us_calendar: BusinessCalendar, day: str
) -> None:
    assert us_calendar.is_business_day(D(day))


def test_holidays_us_has_no_inauguration_day() -> None:
    names = set(holidays.US(years=range(2017, 2030)).values())
    assert not any("Inauguration" in name for name in names)


def test_calendar_weekends_are_not_business_days(us_calendar: BusinessCalendar) -> None:
    assert not us_calendar.is_business_day(D("2026-02-14"))  # Saturday
    assert not us_calendar.is_business_day(D("2026-02-15"))  # Sunday
    assert us_calendar.is_business_day(D("2026-02-13"))  # Friday


def test_calendar_accepts_a_plain_set_of_holidays() -> None:
    calendar = BusinessCalendar(frozenset({D("2026-03-04")}))
    assert not calendar.is_business_day(D("2026-03-04"))
    assert calendar.roll_forward(D("2026-03-04")) == D("2026-03-05")


def test_calendar_roll_forward_crosses_observed_holiday_and_weekend(
    us_calendar: BusinessCalendar,
) -> None:
    assert us_calendar.roll_forward(D("2026-07-03")) == D("2026-07-06")
    assert us_calendar.roll_forward(D("2021-12-31")) == D("2022-01-03")
    assert us_calendar.roll_forward(D("2026-07-06")) == D("2026-07-06")


def test_calendar_extra_closures_never_move_official_dates(
    closure_calendar: BusinessCalendar,
) -> None:
    assert closure_calendar.is_business_day(D("2025-12-26"))
    assert closure_calendar.roll_forward(D("2025-12-26")) == D("2025-12-26")
    assert closure_calendar.days_after(D("2025-11-26"), 30) == D("2025-12-26")


def test_calendar_extra_closures_make_safe_dates_earlier(
    closure_calendar: BusinessCalendar,
) -> None:
    assert closure_calendar.is_listed_closure(D("2025-12-24"))
    assert not closure_calendar.is_open_day(D("2025-12-24"))
    assert closure_calendar.last_open_day_on_or_before(D("2025-12-26")) == D("2025-12-23")
    assert closure_calendar.first_open_day_after(D("2025-12-23")) == D("2025-12-29")


def test_calendar_days_before_matches_the_documented_example(
    us_calendar: BusinessCalendar,
) -> None:
    count = us_calendar.days_before(D("2026-03-16"), 30)
    assert (count.counted_day, count.official, count.safe_target) == (
        D("2026-02-14"),
        D("2026-02-17"),
        D("2026-02-13"),
    )


def test_calendar_days_before_never_passes_the_hearing() -> None:
    # A hearing recorded on a holiday Monday with a 1-day period: the official date is capped.
    calendar = BusinessCalendar(frozenset({D("2026-03-16")}))
    count = calendar.days_before(D("2026-03-16"), 1)
    assert count.official == D("2026-03-16")
    assert count.safe_target == D("2026-03-13")


def test_calendar_days_before_rejects_empty_periods(us_calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        us_calendar.days_before(D("2026-03-16"), 0)
