"""Wall-clock times in a named time zone (IANA tz database, via the standard zoneinfo module).

A live training is scheduled as a local time where it happens (the program's zone or a court's),
then stored as an instant. Twice a year a local time is skipped (spring forward) or repeated
(fall back); a skipped time does not exist and is refused rather than silently moved.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class TimeNotInZone(ValueError):
    """The local time does not exist in the zone (clocks jumped over it)."""


def zone_exists(name: str) -> bool:
    if not name or "\x00" in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def localize(naive: dt.datetime, zone_name: str) -> dt.datetime:
    """The aware datetime for a wall-clock time in the zone (first occurrence when repeated).

    Raises TimeNotInZone for a time the clocks skip."""
    zone = ZoneInfo(zone_name)
    aware = naive.replace(tzinfo=zone, fold=0)
    round_trip = aware.astimezone(dt.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != naive.replace(tzinfo=None, fold=0):
        raise TimeNotInZone(f"{naive.isoformat()} does not exist in {zone_name}")
    return aware
