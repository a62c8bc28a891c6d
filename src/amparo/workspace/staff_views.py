"""Pages across cases: pro bono hours totals and their CSV export, the coordinators' list of
withdrawal requests, and status-update requests (sent by coordinators, answered by attorneys)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amparo.core.audit import audit_record
from amparo.core.http import AuthenticatedRequest
from amparo.core.models import AuditEvent
from amparo.core.policy import authorize, can
from amparo.workspace import exports, selectors, services
from amparo.workspace.forms import (
    HoursPeriodForm,
    StatusAnswerForm,
    StatusRequestForm,
    apply_service_errors,
)

STATUS_REQUESTS_PER_PAGE = 25


# --- hours ----------------------------------------------------------------------------------


def _hours_scope(request: AuthenticatedRequest) -> bool:
    """True for staff (everyone's hours); False for an attorney (their own); 404 otherwise."""
    if can(request.user, "workspace.view_hours_totals"):
        return True
    if can(request.user, "workspace.view_own_hours"):
        return False
    raise Http404


def _period(form: HoursPeriodForm) -> selectors.HoursPeriod:
    if form.is_bound and form.is_valid():
        return selectors.HoursPeriod(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    today = timezone.localdate()
    return selectors.HoursPeriod(start=dt.date(today.year, 1, 1), end=today)


def _period_form(request: AuthenticatedRequest) -> HoursPeriodForm:
    if "start" in request.GET or "end" in request.GET:
        return HoursPeriodForm(request.GET)
    today = timezone.localdate()
    return HoursPeriodForm(initial={"start": dt.date(today.year, 1, 1), "end": today})


@login_required
@require_safe
def hours_totals(request: AuthenticatedRequest) -> HttpResponse:
    """Pro bono hours for a period: per attorney and per firm (staff), or one's own (attorney)."""
    everyone = _hours_scope(request)
    form = _period_form(request)
    status = 422 if form.is_bound and not form.is_valid() else 200
    period = _period(form)
    attorney = None if everyone else request.user
    context = {
        "form": form,
        "everyone": everyone,
        "period": period,
        "total": selectors.hours_total(period=period, attorney=attorney),
        "by_attorney": selectors.hours_totals_by_attorney(period=period) if everyone else [],
        "by_firm": selectors.hours_totals_by_firm(period=period) if everyone else [],
        "by_case": []
        if everyone
        else selectors.hours_totals_by_case(period=period, attorney=attorney),
        "query": exports.period_query(period),
    }
    template = "workspace/hours_totals.html"
    if request.htmx:
        template += "#hours-results"
    return render(request, template, context, status=status)


@login_required
@require_safe
def hours_export(request: AuthenticatedRequest) -> HttpResponse:
    """CSV of the period's hours: totals per attorney or per firm, or every entry. Case codes
    only, never client names nor descriptions; but attorneys' names are personal data, so each
    export is written to the audit log."""
    everyone = _hours_scope(request)
    form = HoursPeriodForm(request.GET)
    group = request.GET.get("group", "attorney")
    if not form.is_valid() or group not in exports.GROUPS or (group == "firm" and not everyone):
        return render(
            request,
            "workspace/hours_totals.html",
            {
                "form": form,
                "everyone": everyone,
                "export_error": _("Choose a valid period and what to export."),
            },
            status=422,
        )
    period = _period(form)
    response = exports.hours_csv_response(
        period=period, group=group, attorney=None if everyone else request.user
    )
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        request=request,
        data={
            "export": "pro_bono_hours",
            "group": group,
            "scope": "everyone" if everyone else "own",
            "start": period.start.isoformat() if period.start else "",
            "end": period.end.isoformat() if period.end else "",
        },
    )
    return response


# --- withdrawals ----------------------------------------------------------------------------


@login_required
@require_safe
def withdrawal_list(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "workspace.decide_withdrawal")
    return render(
        request,
        "workspace/withdrawal_list.html",
        {"pending": list(selectors.withdrawal_request_list_pending())},
    )


# --- status-update requests -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def status_requests(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "workspace.send_status_request")
    form = StatusRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.status_request_send(
                actor=request.user,
                attorneys=list(data["attorneys"]),
                message=data["message"],
                answer_by=data["answer_by"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("The request was e-mailed to each attorney with a link to answer.")
            )
            return redirect("workspace:status_request", pk=sent.pk)
    page = Paginator(selectors.status_request_list(), STATUS_REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    status = 422 if form.is_bound and not form.is_valid() else 200
    return render(
        request, "workspace/status_requests.html", {"form": form, "page": page}, status=status
    )


@login_required
@require_safe
def status_request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    authorize(request.user, "workspace.send_status_request")
    status_request = selectors.status_request_get(pk=pk)
    if status_request is None:
        raise Http404
    recipients = selectors.status_request_recipient_list(status_request=status_request)
    return render(
        request,
        "workspace/status_request_detail.html",
        {
            "status_request": status_request,
            "recipients": recipients,
            "waiting": [r for r in recipients if not r.is_answered],
            "answered": [r for r in recipients if r.is_answered],
        },
    )


@login_required
@require_safe
def status_updates(request: AuthenticatedRequest) -> HttpResponse:
    """The status updates asked of the signed-in attorney."""
    authorize(request.user, "workspace.view_own_status_requests")
    return render(
        request,
        "workspace/status_updates.html",
        {"received": selectors.status_requests_for_attorney(attorney=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = selectors.status_request_recipient_get_for_user(viewer=request.user, pk=pk)
    form = StatusAnswerForm(request.POST or None, initial={"answer": recipient.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.status_request_answer(recipient=recipient, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your status update was sent."))
            return redirect("workspace:status_updates")
    status = 422 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "workspace/status_answer.html",
        {"recipient": recipient, "status_request": recipient.status_request, "form": form},
        status=status,
    )


# --- early warning --------------------------------------------------------------------------

CASES_AT_RISK_PER_PAGE = 25


@login_required
@require_safe
def cases_at_risk(request: AuthenticatedRequest) -> HttpResponse:
    """Placed cases, riskiest first, each with the reasons for its score (issue 7, point 8)."""
    authorize(request.user, "workspace.view_cases_at_risk")
    rows = selectors.case_risk_list(viewer=request.user)
    page = Paginator(rows, CASES_AT_RISK_PER_PAGE).get_page(request.GET.get("page"))
    spanish = (get_language() or "").startswith("es")
    items = [
        {
            "case": row.case,
            "score": row.risk.score,
            "days_to_next_hearing": row.facts.days_to_next_hearing,
            "factors": [factor.es if spanish else factor.en for factor in row.risk.factors],
        }
        for row in page.object_list
    ]
    return render(
        request,
        "workspace/cases_at_risk.html",
        {"page": page, "items": items, "today": timezone.localdate()},
    )
