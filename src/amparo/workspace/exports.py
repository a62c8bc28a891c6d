"""CSV exports of pro bono hours (firms report the hours their lawyers give). The files hold
attorneys' and firms' names, case codes and hours: never a client's name, nor the entries'
descriptions, so they are not client data; attorneys' names are personal data, so the view
writes each export to the audit log."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils.translation import gettext as _

from amparo.core.csvfiles import csv_cell
from amparo.workspace import selectors
from amparo.workspace.models import HoursActivity

GROUPS = ("attorney", "firm", "entries")


def period_query(period: selectors.HoursPeriod) -> str:
    return urlencode(
        {
            "start": period.start.isoformat() if period.start else "",
            "end": period.end.isoformat() if period.end else "",
        }
    )


def _filename(group: str, period: selectors.HoursPeriod) -> str:
    start = period.start.isoformat() if period.start else "start"
    end = period.end.isoformat() if period.end else "today"
    return f"pro-bono-hours-{group}-{start}-{end}.csv"


def hours_csv_response(
    *, period: selectors.HoursPeriod, group: str, attorney: Any = None
) -> HttpResponse:
    """`group`: "attorney" (totals per attorney), "firm" (totals per firm) or "entries"."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(group, period)}"'
    response.write("\ufeff")  # so that spreadsheet programs read the accents right
    writer = csv.writer(response)
    if group == "firm":
        writer.writerow([_("Law firm"), _("Attorneys"), _("Cases"), _("Hours")])
        for row in selectors.hours_totals_by_firm(period=period):
            writer.writerow(
                [
                    csv_cell(row["firm"] or _("No firm")),
                    row["attorneys"],
                    row["cases"],
                    row["hours"],
                ]
            )
    elif group == "attorney":
        writer.writerow([_("Attorney"), _("Law firm"), _("Cases"), _("Hours")])
        for row in selectors.hours_totals_by_attorney(period=period, attorney=attorney):
            writer.writerow(
                [csv_cell(row["attorney"]), csv_cell(row["firm"]), row["cases"], row["hours"]]
            )
    else:
        writer.writerow(
            [_("Date"), _("Attorney"), _("Law firm"), _("Case"), _("Activity"), _("Hours")]
        )
        for entry in selectors.hours_entries_for_export(period=period, attorney=attorney):
            writer.writerow(
                [
                    entry.worked_on.isoformat(),
                    csv_cell(entry.attorney.full_name or entry.attorney.email),
                    csv_cell(entry.firm.name if entry.firm else ""),
                    entry.case.code,
                    HoursActivity(entry.activity).label,
                    entry.hours,
                ]
            )
    return response
