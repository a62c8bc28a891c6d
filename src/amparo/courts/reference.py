"""The U.S. immigration courts shipped with Amparo (data/immigration-courts.csv; sources and
known gaps in data/README.md)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "immigration-courts.csv"


def immigration_courts_load(court_model: Any) -> int:
    """Create or update one row per court; takes the model so migrations can pass theirs."""
    count = 0
    with DATA_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            court_model.objects.update_or_create(
                name=row["name"],
                defaults={
                    "code": row["code"],
                    "city": row["city"],
                    "state": row["state"],
                    "time_zone": row["time_zone"],
                    "detained_docket": row["detained_docket"] or "unknown",
                    "source": row["source"],
                    "note": row["note"],
                },
            )
            count += 1
    return count
