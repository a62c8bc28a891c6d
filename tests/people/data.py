"""A valid sign-up, as the volunteer types it in /join/."""

from __future__ import annotations

from typing import Any


def signup_data(**overrides: Any) -> dict[str, Any]:
    """What a volunteer types in /join/: one bar admission and two blank rows."""
    data: dict[str, Any] = {
        "full_name": "Ana María Solís",
        "email": "ana.solis@baylaw.example",
        "phone": "(415) 555-0100",
        "firm_name": "Bay Law LLP",
        "languages": ["en", "es"],
        "experience": "none",
        "interests": ["asylum", "children"],
        "capacity": "2",
        "malpractice_coverage": "yes",
        "declared_conflicts": "",
        "consent": "on",
        "website": "",
        "admissions-TOTAL_FORMS": "3",
        "admissions-INITIAL_FORMS": "0",
        "admissions-MIN_NUM_FORMS": "0",
        "admissions-MAX_NUM_FORMS": "12",
    }
    rows = overrides.pop("admissions", [("CA", "301234", "2015")])
    for index in range(3):
        state, number, year = rows[index] if index < len(rows) else ("", "", "")
        data[f"admissions-{index}-state"] = state
        data[f"admissions-{index}-bar_number"] = number
        data[f"admissions-{index}-year_admitted"] = year
    data.update(overrides)
    return data
