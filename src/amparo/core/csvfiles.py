"""CSV downloads: every cell goes through `csv_cell`, so nothing a user typed runs as a formula
when the file is opened in a spreadsheet (CSV injection)."""

from __future__ import annotations

from typing import Any

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
