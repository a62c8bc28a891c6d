"""Mentor pay arithmetic: hours and amounts of a monthly statement, and calendar months.

Mentors are paid for their time at their hourly rate (PRODUCT.md section 6; seeds/001: "mentors
are paid for their time"). Minutes are summed first and converted once, so a statement of many
short entries is not off by accumulated rounding; amounts round half up to the cent, as
invoices do.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def hours_from_minutes(minutes: int) -> Decimal:
    """Hours with two decimals (95 minutes -> 1.58)."""
    return (Decimal(minutes) / Decimal(60)).quantize(_CENT, rounding=ROUND_HALF_UP)


def amount_for(minutes: int, hourly_rate: Decimal) -> Decimal:
    """What ``minutes`` of work cost at ``hourly_rate``, rounded half up to the cent."""
    if minutes < 0 or hourly_rate < 0:
        raise ValueError("minutes and rates are never negative")
    return (Decimal(minutes) * hourly_rate / Decimal(60)).quantize(_CENT, rounding=ROUND_HALF_UP)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    """The last day of ``month``'s month."""
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def previous_month(day: date) -> date:
    """The first day of the month before ``day``'s month."""
    return month_start(month_start(day) - timedelta(days=1))


def parse_month(text: str) -> date | None:
    """ "2026-10" -> 2026-10-01; None when the text is not a month between 2000 and 2999."""
    match = _MONTH.match(text.strip())
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2999 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def ranges_overlap(start: date, end: date, other_start: date, other_end: date | None) -> bool:
    """Whether [start, end] and [other_start, other_end] (open-ended when None) share a day."""
    return other_start <= end and (other_end is None or other_end >= start)
