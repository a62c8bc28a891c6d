"""Calendar arithmetic that does not depend on business days.

Conventions (DEADLINE-RULES.md section 0 and section 6):

* Year periods and birthdays keep the month and day; a Feb 29 start lands on Feb 28 in a common
  year. That is the conservative reading (the earlier date) and is marked UNVERIFIED for
  leap-day arrivals and birthdays in the research notes.
* Month periods (the U visa Supplement B) keep the day of the month and clamp to the last day of a
  shorter month (Aug 31 + 6 months = Feb 28/29). Platform convention, UNVERIFIED as law.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Callable
from datetime import date, timedelta


class _DayPeriods(dict[int, timedelta]):
    """``timedelta(days=n)`` by ``n``, memoised (a pure function of ``n``).

    Building a timedelta parses keyword arguments and costs about five times the date arithmetic
    it feeds; the rules ask for the same few periods (1, 10, 30, 90, 150 days...) for every case.
    Bounded: cleared when it holds more distinct periods than any real input gives.
    """

    __slots__ = ()
    _LIMIT = 4_096

    def __missing__(self, days: int) -> timedelta:
        if len(self) >= self._LIMIT:
            self.clear()
        period = self[days] = timedelta(days=days)
        return period


#: ``days_delta(n)`` is ``timedelta(days=n)`` (shared, immutable).
days_delta: Callable[[int], timedelta] = _DayPeriods().__getitem__


def add_years(start: date, years: int) -> date:
    """Return the same month and day ``years`` later; Feb 29 becomes Feb 28 in a common year."""
    day = start.day
    if day == 29 and start.month == 2:
        try:
            return start.replace(year=start.year + years)
        except ValueError:
            # Feb 29 in a common year: the conservative convention takes Feb 28 (DEADLINE-RULES.md
            # s.0).
            return start.replace(year=start.year + years, day=28)
    # Every other day exists in every year (and the constructor is cheaper than replace()).
    return date(start.year + years, start.month, day)


def add_months(start: date, months: int) -> date:
    """Return the same day of the month ``months`` later, clamped to the end of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def birthday(date_of_birth: date, age: int) -> date:
    """Return the day a person born on ``date_of_birth`` reaches ``age`` (Feb 29 -> Feb 28)."""
    return add_years(date_of_birth, age)


def age_on(date_of_birth: date, on: date) -> int:
    """Return the age in whole years on ``on``, using the same leap-day convention as ``birthday``."""
    years = on.year - date_of_birth.year
    if birthday(date_of_birth, years) > on:
        years -= 1
    return years


def is_under(date_of_birth: date, age: int, on: date) -> bool:
    """Return whether the person is still under ``age`` on ``on`` (the birthday itself is not)."""
    return on < birthday(date_of_birth, age)
