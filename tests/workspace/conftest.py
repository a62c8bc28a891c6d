"""A placed case before the San Francisco court with an individual hearing and its plan, on a
fixed day (Monday 5 January 2026, before noon in San Francisco)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from amparo.cases.models import Case
from amparo.courts.models import ImmigrationCourt
from amparo.deadlines.services import case_plan_create, hearing_add

SF = ZoneInfo("America/Los_Angeles")
NOW = dt.datetime(2026, 1, 5, 17, 0, tzinfo=dt.UTC)  # 9:00 in San Francisco
TODAY = dt.date(2026, 1, 5)


def at_court(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SF)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(personas) -> Case:
    """personas.placed_case (attorney of record: personas.attorney; mentor: personas.mentor,
    file shared) with an individual hearing on 16 March 2026 and its plan."""
    case = personas.placed_case
    case.court = ImmigrationCourt.objects.get(code="SFR")
    case.last_arrival = dt.date(2025, 6, 1)
    case.placed_at = NOW - dt.timedelta(days=30)
    case.save()
    hearing_add(
        case=case,
        actor=personas.coordinator,
        kind="individual",
        starts_at=at_court(dt.date(2026, 3, 16)),
    )
    case_plan_create(case=case)
    case.refresh_from_db()
    return case


def workspace_url(case: Case) -> str:
    from django.urls import reverse

    return reverse("workspace:case", args=[case.code])
