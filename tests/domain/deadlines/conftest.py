"""Make ``amparo`` importable without an installed package, and share the production calendar."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

if importlib.util.find_spec("amparo") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))

from amparo.deadlines.domain.business_days import (
    BusinessCalendar,
    us_federal_calendar,
)

#: Executive-order closures named in DEADLINE-RULES.md section 0 (not federal holidays).
EO_CLOSURES = (date(2024, 12, 24), date(2025, 1, 9), date(2025, 12, 24), date(2025, 12, 26))


@pytest.fixture(scope="session")
def us_calendar() -> BusinessCalendar:
    """Weekends plus ``holidays.US()``, no extra closures."""
    return us_federal_calendar()


@pytest.fixture(scope="session")
def closure_calendar() -> BusinessCalendar:
    """Weekends plus ``holidays.US()`` plus the executive-order closures as the admin table."""
    return us_federal_calendar(EO_CLOSURES)
