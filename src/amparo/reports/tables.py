"""The dashboard's figures as named tables: the page shows them and each downloads as CSV
(counts only, no client data, so the exports are not written to the audit log)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amparo.core.csvfiles import csv_cell
from amparo.reports.selectors import Dashboard


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _month(value: Any) -> str:
    return date_format(value, "YEAR_MONTH_FORMAT")


def _num(value: Any) -> Any:
    return "" if value is None else value


def _hours(value: Any) -> str:
    return f"{value:.1f}"


def _money(value: Any) -> str:
    return f"{Decimal(value):.2f}"


def dashboard_tables(data: Dashboard) -> list[Table]:
    w, u, n, t, c, r = (
        data.waits,
        data.urgent,
        data.network,
        data.trainings,
        data.cost,
        data.responses,
    )
    return [
        Table(
            "summary",
            _("Program summary"),
            [_("Figure"), _("Value")],
            [
                [_("Clients served"), data.people["clients"]],
                [_("Family members served"), data.people["family_members"]],
                [_("People served"), data.people["total"]],
                [_("Cases placed"), w.placed],
                [_("Median days from ready to placement"), _num(w.median_days)],
                [_("90th percentile days from ready to placement"), _num(w.p90_days)],
                [_("Unplaced cases with a hearing within 30 days"), u["within_30"]],
                [_("Unplaced cases with a hearing within 60 days"), u["within_60"]],
                [_("Active attorneys"), n["active"]],
                [_("Verified attorneys"), n["verified"]],
                [_("Attorneys verified in the period"), n["new"]],
                [_("Trainings completed"), t["completions"]],
                [_("People who completed a training"), t["people"]],
                [_("Mentor hours (issued statements)"), _hours(c["hours"])],
                [_("Mentor cost (USD)"), _money(c["cost"])],
                [_("Funding available (USD)"), _money(c["funding"])],
                [_("Share of funding used (%)"), _num(c["share"])],
                [_("Mentor messages with a reply due"), r["messages"]],
                [_("Replies within 2 business days"), r["on_time"]],
                [_("Late replies"), r["late"]],
                [_("Not answered yet"), r["unanswered"]],
                [_("Replies on time (%)"), _num(r["share"])],
            ],
        ),
        Table(
            "stages",
            _("Cases by stage"),
            [_("Stage"), _("Cases")],
            [[row["stage"], row["count"]] for row in data.stages],
        ),
        Table(
            "placements",
            _("Placements per month"),
            [_("Month"), _("Cases placed")],
            [[_month(row["month"]), row["count"]] for row in data.placements],
        ),
        Table(
            "time-to-placement",
            _("Days from ready to placement"),
            [_("Days"), _("Cases placed")],
            [[row["label"], row["count"]] for row in w.buckets],
        ),
        Table(
            "outcomes",
            _("Outcomes by case type"),
            [_("Case type"), _("Outcome"), _("Cases")],
            [[row["case_type"], row["outcome"], row["count"]] for row in data.outcomes],
        ),
        Table(
            "mentoring-requests",
            _("Mentoring requests by status"),
            [_("Status"), _("Requests")],
            [[row["status"], row["count"]] for row in data.requests],
        ),
        Table(
            "mentor-hours",
            _("Approved mentor hours per month"),
            [_("Month"), _("Hours")],
            [[_month(row["month"]), _hours(row["hours"])] for row in data.hours],
        ),
        Table(
            "funding",
            _("What each funding source paid for"),
            [
                _("Funding source"),
                _("Kind"),
                _("Amount (USD)"),
                _("Charged in the period (USD)"),
                _("Mentor hours"),
                _("Cases mentored"),
                _("Favourable outcomes"),
            ],
            [
                [
                    row["source"],
                    row["kind"],
                    _money(row["amount"]),
                    _money(row["charged"]),
                    _hours(row["hours"]),
                    row["cases"],
                    row["favourable"],
                ]
                for row in data.funding
            ],
        ),
    ]


TABLE_SLUGS = (
    "summary",
    "stages",
    "placements",
    "time-to-placement",
    "outcomes",
    "mentoring-requests",
    "mentor-hours",
    "funding",
)


def table_csv_response(*, table: Table, data: Dashboard) -> HttpResponse:
    f = data.filters
    filename = f"amparo-{table.slug}-{f.start.isoformat()}-{f.end.isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read the accents right
    writer = csv.writer(response)
    writer.writerow([csv_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return response
