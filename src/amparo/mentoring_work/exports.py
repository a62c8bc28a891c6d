"""CSV exports of mentor statements (Python's csv module). Lines name the case by its code and
the activity; the time entries' free-text descriptions are never exported."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from amparo.core.csvfiles import csv_cell
from amparo.mentoring_work.domain.pay import hours_from_minutes
from amparo.mentoring_work.models import MentorStatement, TimeEntry


def _write(rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def statement_csv(*, statement: MentorStatement, lines: list[TimeEntry]) -> str:
    """One statement: a line per approved time entry, then the totals (hours, rate, amount)."""
    rows: list[list[Any]] = [
        [_("Mentor"), statement.mentor.full_name],
        [_("Month"), f"{statement.month:%Y-%m}"],
        [_("Status"), statement.get_status_display()],
        [],
        [_("Date"), _("Case"), _("Activity"), _("Minutes"), _("Hours")],
    ]
    for entry in lines:
        rows.append(
            [
                entry.date.isoformat(),
                entry.mentorship.case.code,
                entry.get_activity_display(),
                entry.minutes,
                hours_from_minutes(entry.minutes),
            ]
        )
    rows += [
        [],
        [_("Total hours"), hours_from_minutes(statement.minutes)],
        [_("Hourly rate (USD)"), statement.hourly_rate],
        [_("Amount (USD)"), statement.amount],
    ]
    charge = getattr(statement, "charge", None)
    if charge is not None:
        rows.append([_("Charged to"), charge.source.name])
    return _write(rows)


def month_csv(*, month: dt.date, statements: Iterable[MentorStatement]) -> str:
    """Every statement of a month, one line each."""
    rows: list[list[Any]] = [
        [
            _("Month"),
            _("Mentor"),
            _("E-mail"),
            _("Status"),
            _("Hours"),
            _("Hourly rate (USD)"),
            _("Amount (USD)"),
            _("Charged to"),
        ]
    ]
    for statement in statements:
        charge = getattr(statement, "charge", None)
        rows.append(
            [
                f"{month:%Y-%m}",
                statement.mentor.full_name,
                statement.mentor.email,
                statement.get_status_display(),
                hours_from_minutes(statement.minutes),
                statement.hourly_rate,
                statement.amount,
                charge.source.name if charge is not None else "",
            ]
        )
    return _write(rows)
