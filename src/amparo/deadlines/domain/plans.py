"""Milestone due dates: an anchor date plus an offset in calendar days.

Relative timings come from practice guidance (docs/deadline-rules.md section 9), not law: they
are template settings. A milestone whose anchor has no date yet has no due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping


def milestone_due_date(
    *, anchor: str, offset_days: int, anchor_dates: Mapping[str, dt.date | None]
) -> dt.date | None:
    """The anchor's date moved by ``offset_days`` (negative: before), or None if unknown."""
    anchor_date = anchor_dates.get(anchor)
    if anchor_date is None:
        return None
    return anchor_date + dt.timedelta(days=offset_days)
