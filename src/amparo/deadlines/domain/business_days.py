"""The business-day calendar used by every deadline rule.

A business day is a Monday-to-Friday that is not a federal legal holiday: the 11 holidays of
5 U.S.C. 6103(a) (Juneteenth from 2021) with the OPM observed days (Saturday -> Friday before,
Sunday -> Monday after), as listed by ``holidays.US()`` (``holidays`` 0.109: public category,
observed days, no subdivision). DEADLINE-RULES.md section 8.

Extra closures (executive-order closures such as 2024-12-24, 2025-01-09, 2025-12-24 and
2025-12-26, court-specific closures, ECAS outages) come from an admin-maintained table passed in
as ``extra_closures``. Whether they extend a deadline is UNVERIFIED (DEADLINE-RULES.md section 0),
so they never move an official date later; they only make "safe" dates earlier and make the
engine raise ``POSSIBLE_CLOSURE`` so that both dates are shown and the earlier one recommended.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date

from amparo.deadlines.domain.dates import days_delta

_ONE_DAY = days_delta(1)


@dataclass(frozen=True, slots=True)
class BackwardCount:
    """The result of counting a period back from a hearing (ICPM ch. 3.1(c)).

    ``counted_day`` is the day reached by counting back; ``official`` is that day moved to the next
    business day when it is not one (toward the hearing, as the ICPM construes it); ``safe_target``
    is the last open business day on or before ``counted_day`` (the separately labelled internal
    target, the only date the platform ever moves backward).
    """

    counted_day: date
    official: date
    safe_target: date


class BusinessCalendar:
    """Weekends, federal holidays and (for warnings and safe targets only) extra closures.

    ``federal_holidays`` is anything that answers ``day in federal_holidays``: ``holidays.US()``
    in production, a plain ``frozenset`` in tests. Answers are memoised per date on this calendar
    object, so a calendar can be shared by many computations: the holidays and closures it was
    built with never change, so the memo only ever gains entries that stay true. The day-stepping
    answers (next business day, last open day) are memoised the same way, because a batch of
    cases asks for the same few thousand dates over and over.
    """

    __slots__ = (
        "_business_memo",
        "_closures",
        "_federal_holidays",
        "_holiday_memo",
        "_last_open_memo",
        "_roll_forward_memo",
    )

    def __init__(
        self, federal_holidays: Container[date], extra_closures: Iterable[date] = ()
    ) -> None:
        self._federal_holidays = federal_holidays
        self._closures: frozenset[date] = frozenset(extra_closures)
        self._holiday_memo: dict[date, bool] = {}
        self._business_memo: dict[date, bool] = {}
        self._roll_forward_memo: dict[date, date] = {}
        self._last_open_memo: dict[date, date] = {}

    @property
    def extra_closures(self) -> frozenset[date]:
        """The admin-listed closure dates this calendar warns about."""
        return self._closures

    def is_federal_holiday(self, day: date) -> bool:
        """Return whether ``day`` is a federal legal holiday or its observed day (5 U.S.C. 6103)."""
        known = self._holiday_memo.get(day)
        if known is None:
            known = day in self._federal_holidays
            self._holiday_memo[day] = known
        return known

    def is_business_day(self, day: date) -> bool:
        """Return whether ``day`` is a weekday that is not a federal holiday (8 CFR 1.2 "day")."""
        known = self._business_memo.get(day)
        if known is None:
            known = day.weekday() < 5 and not self.is_federal_holiday(day)
            self._business_memo[day] = known
        return known

    def is_listed_closure(self, day: date) -> bool:
        """Return whether the admin closure table lists ``day`` (a possible closure)."""
        return day in self._closures

    def is_open_day(self, day: date) -> bool:
        """Return whether ``day`` is a business day that no listed closure affects."""
        return self.is_business_day(day) and day not in self._closures

    def roll_forward(self, day: date) -> date:
        """Return ``day`` or, if it is not a business day, the next business day (8 CFR 1.2)."""
        rolled = self._roll_forward_memo.get(day)
        if rolled is None:
            rolled = day
            while not self.is_business_day(rolled):
                rolled += _ONE_DAY
            self._roll_forward_memo[day] = rolled
        return rolled

    def last_open_day_on_or_before(self, day: date) -> date:
        """Return ``day`` or the latest earlier open business day (used only for safe targets)."""
        found = self._last_open_memo.get(day)
        if found is None:
            found = day
            while not self.is_open_day(found):
                found -= _ONE_DAY
            self._last_open_memo[day] = found
        return found

    def last_open_day_before(self, day: date) -> date:
        """Return the latest open business day strictly before ``day``."""
        return self.last_open_day_on_or_before(day - _ONE_DAY)

    def first_open_day_after(self, day: date) -> date:
        """Return the first open business day strictly after ``day``."""
        day += _ONE_DAY
        while not self.is_open_day(day):
            day += _ONE_DAY
        return day

    def days_after(self, start: date, days: int) -> date:
        """Forward period: ``start`` is day 0, day ``days`` is the last day, rolled forward.

        8 CFR 1.2 / 1001.1(h) "day"; 8 CFR 1003.38(b). DEADLINE-RULES.md section 0.
        """
        return self.roll_forward(start + days_delta(days))

    def days_before(self, hearing: date, days: int) -> BackwardCount:
        """Backward period: the hearing is day 0 and the day before it day 1 (ICPM ch. 3.1(c)).

        A counted day that is not a business day moves to the next business day, toward the
        hearing; the official date never passes the hearing itself. The safe target is the last
        open business day on or before the counted day.
        """
        if days < 1:
            raise ValueError("a backward period must be at least one day")
        counted = hearing - days_delta(days)
        official = min(self.roll_forward(counted), hearing)
        return BackwardCount(
            counted_day=counted,
            official=official,
            safe_target=self.last_open_day_on_or_before(counted),
        )


def us_federal_calendar(extra_closures: Iterable[date] = ()) -> BusinessCalendar:
    """Return the production calendar: ``holidays.US()`` plus the given closure table."""
    import holidays  # Imported here so that the pure arithmetic above never needs the package.

    # country_holidays("US") is holidays.US(): public category, observed days, no subdivision.
    return BusinessCalendar(holidays.country_holidays("US"), extra_closures)
