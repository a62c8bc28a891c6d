from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from amparo.accounts.models import Role
from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize
from amparo.reports import charts, personal_selectors, selectors
from amparo.reports.forms import ReportFilterForm, default_filters
from amparo.reports.tables import TABLE_SLUGS, dashboard_tables, table_csv_response


def _filter_form(request: AuthenticatedRequest) -> ReportFilterForm:
    if request.GET:
        return ReportFilterForm(request.GET)
    initial = default_filters()
    return ReportFilterForm(initial={"start": initial.start, "end": initial.end})


def _query(filters: selectors.ReportFilters) -> str:
    return urlencode(
        {
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "case_type": filters.case_type,
            "court": filters.court_id or "",
            "partner": filters.partner_id or "",
        }
    )


def _charts(data: selectors.Dashboard) -> list[charts.BarChart]:
    return [
        charts.bar_chart(
            slug="placements",
            title=_("Placements per month"),
            description=_("Number of cases placed with a volunteer attorney in each month."),
            rows=[(date_format(r["month"], "M Y"), r["count"]) for r in data.placements],
        ),
        charts.bar_chart(
            slug="time-to-placement",
            title=_("Days from ready to placement"),
            description=_("How many cases waited each number of days before placement."),
            rows=[(r["label"], r["count"]) for r in data.waits.buckets],
        ),
        charts.bar_chart(
            slug="outcomes",
            title=_("Outcomes"),
            description=_("Decisions and closings in the period, all case types together."),
            rows=[(r["outcome"], r["count"]) for r in data.outcome_totals],
        ),
        charts.bar_chart(
            slug="mentor-hours",
            title=_("Approved mentor hours per month"),
            description=_("Hours of mentoring approved, by the month the time was worked."),
            rows=[(date_format(r["month"], "M Y"), round(r["hours"], 1)) for r in data.hours],
        ),
    ]


@login_required
@require_safe
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """The program dashboard for a period, a case type, a court and a partner (counts only)."""
    authorize(request.user, "reports.view_dashboard")
    form = _filter_form(request)
    context: dict[str, object] = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "reports/dashboard.html", context, status=422)
    filters = form.filters() if form.is_bound else default_filters()
    data = selectors.dashboard(filters=filters)
    context.update(
        data=data,
        tables=dashboard_tables(data),
        charts=_charts(data),
        query=_query(filters),
    )
    return render(request, "reports/dashboard.html", context)


@login_required
@require_safe
def table_export(request: AuthenticatedRequest) -> HttpResponse:
    """One of the dashboard's tables (`?table=`) as CSV, for the same filters."""
    authorize(request.user, "reports.view_dashboard")
    slug = request.GET.get("table", "")
    if slug not in TABLE_SLUGS:
        raise Http404
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form}, status=422)
    data = selectors.dashboard(filters=form.filters())
    table = next(t for t in dashboard_tables(data) if t.slug == slug)
    return table_csv_response(table=table, data=data)


@login_required
@require_safe
def my_figures(request: AuthenticatedRequest) -> HttpResponse:
    """An attorney's or a mentor's own figures (counts and case codes only)."""
    authorize(request.user, "reports.view_my_figures")
    today = timezone.localdate()
    if request.user.role == Role.MENTOR:
        figures = personal_selectors.mentor_figures(
            user=request.user, today=today, now=timezone.now()
        )
    else:
        figures = personal_selectors.attorney_figures(user=request.user, today=today)
    return render(
        request,
        "reports/my_figures.html",
        {"figures": figures, "is_mentor": request.user.role == Role.MENTOR},
    )


# What a report to funders shows: no client data, and no operational queues.
FUNDER_TABLES = ("summary", "placements", "outcomes", "mentor-hours", "funding")


@login_required
@require_safe
def funder_report(request: AuthenticatedRequest) -> HttpResponse:
    """A printable report for a period (the browser's print-to-PDF makes the PDF)."""
    authorize(request.user, "reports.view_dashboard")
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form}, status=422)
    filters = form.filters() if form.is_bound else default_filters()
    data = selectors.dashboard(filters=filters)
    tables = {table.slug: table for table in dashboard_tables(data)}
    chart_slugs = ("placements", "outcomes", "mentor-hours")
    context = {
        "data": data,
        "tables": [tables[slug] for slug in FUNDER_TABLES if slug in tables],
        "charts": [chart for chart in _charts(data) if chart.slug in chart_slugs],
        "program_name": settings.AMPARO_PROGRAM_NAME,
        "query": _query(filters),
    }
    return render(request, "reports/funder_report.html", context)
