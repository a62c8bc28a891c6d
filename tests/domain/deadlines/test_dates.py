"""Calendar arithmetic: years, months and ages (leap-day conventions of DEADLINE-RULES.md)."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.deadlines.domain.dates import add_months, add_years, age_on, birthday, is_under

D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        ("2001-04-09", 1, "2002-04-09"),
        ("2024-02-29", 1, "2025-02-28"),  # conservative Feb 28
        ("2024-02-29", 4, "2028-02-29"),
        ("2023-02-28", 1, "2024-02-28"),  # Feb 28 before a leap year stays Feb 28
        ("2025-12-31", 1, "2026-12-31"),
    ],
)
def test_add_years_keeps_month_and_day(start: str, years: int, expected: str) -> None:
    assert add_years(D(start), years) == D(expected)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-08-31", 6, "2026-02-28"),
        ("2023-08-31", 6, "2024-02-29"),
        ("2025-07-31", 6, "2026-01-31"),
        ("2025-12-15", 6, "2026-06-15"),
        ("2025-03-31", 6, "2025-09-30"),
    ],
)
def test_add_months_clamps_to_month_end(start: str, months: int, expected: str) -> None:
    assert add_months(D(start), months) == D(expected)


def test_age_on_counts_the_birthday_itself() -> None:
    assert age_on(D("2008-03-10"), D("2026-03-09")) == 17
    assert age_on(D("2008-03-10"), D("2026-03-10")) == 18


def test_age_on_leap_day_birth_ages_on_feb_28_in_common_years() -> None:
    assert birthday(D("2008-02-29"), 18) == D("2026-02-28")
    assert age_on(D("2008-02-29"), D("2026-02-27")) == 17
    assert age_on(D("2008-02-29"), D("2026-02-28")) == 18
    assert not is_under(D("2008-02-29"), 18, D("2026-02-28"))
