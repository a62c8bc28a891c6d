"""Program admins' pages: the time-approval queue, monthly statements (CSV and printable),
funding sources with their balances; and, for program staff, the overdue overview and the
feedback given at closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from amparo.core.audit import audit_record
from amparo.core.http import AuthenticatedRequest
from amparo.core.models import AuditEvent
from amparo.core.policy import authorize
from amparo.mentoring_work import exports, pay, selectors
from amparo.mentoring_work.domain.pay import parse_month, previous_month
from amparo.mentoring_work.forms import (
    FundingSourceForm,
    IssueForm,
    TimeDecisionForm,
    apply_service_errors,
)
from amparo.mentoring_work.models import MentorStatement

PAY = "mentoring_work.manage_pay"
QUEUE_PAGE_SIZE = 50
FEEDBACK_PAGE_SIZE = 50
RESPONSE_REPORT_DAYS = 90


def _month_from(request: AuthenticatedRequest) -> dt.date:
    """The month asked for (?month=2026-10), or last month; a malformed one is a 404, not a 500."""
    text = request.GET.get("month") or request.POST.get("month") or ""
    if not text:
        return previous_month(timezone.localdate())
    month = parse_month(text)
    if month is None:
        raise Http404
    return month


# --- time approval -------------------------------------------------------------------------------


def _queue_page(
    request: AuthenticatedRequest, *, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    page = Paginator(selectors.time_entry_queue(), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "mentoring_work/time_queue.html",
        {"page": page, "errors": errors or [], "reason": request.POST.get("reason", "")},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def time_queue(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "mentoring_work.approve_time")
    if request.method != "POST":
        return _queue_page(request)
    waiting = list(selectors.time_entry_queue().values_list("pk", flat=True))
    form = TimeDecisionForm(request.POST, entry_ids=waiting)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return _queue_page(request, errors=errors, status=422)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        count = pay.time_entries_decide(
            entry_ids=form.cleaned_data["entries"],
            actor=request.user,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        return _queue_page(request, errors=error.messages, status=422)
    if approve:
        messages.success(request, _("%(count)s time entries approved.") % {"count": count})
    else:
        messages.success(request, _("%(count)s time entries not approved.") % {"count": count})
    return redirect("mentoring_work:time_queue")


# --- statements ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def statement_list(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, PAY)
    month = _month_from(request)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            result = pay.statements_prepare(month=month, actor=request.user)
        except ValidationError as error:
            errors = error.messages
            status = 422
        else:
            for problem in result.problems:
                messages.warning(request, problem)
            messages.success(
                request,
                _("%(count)s statements prepared.") % {"count": len(result.statements)},
            )
            return redirect(f"{reverse('mentoring_work:statements')}?month={month:%Y-%m}")
    context = {
        "month": month,
        "month_value": f"{month:%Y-%m}",
        "previous": f"{previous_month(month):%Y-%m}",
        "next": f"{(month + dt.timedelta(days=32)).replace(day=1):%Y-%m}",
        "previews": selectors.statement_previews(month=month),
        "statements": list(selectors.statement_list(month=month)),
        "errors": errors,
    }
    return render(request, "mentoring_work/statement_list.html", context, status=status)


@login_required
@require_safe
def statement_month_csv(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, PAY)
    month = _month_from(request)
    body = exports.month_csv(month=month, statements=selectors.statement_list(month=month))
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        request=request,
        data={"export": "mentor_statements", "month": f"{month:%Y-%m}"},
    )
    return _csv_response(body, f"mentor-statements-{month:%Y-%m}.csv")


def _csv_response(body: str, filename: str) -> HttpResponse:
    # A byte-order mark so that spreadsheet programs read the accents as UTF-8.
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _statement_page(
    request: AuthenticatedRequest,
    statement: MentorStatement,
    *,
    form: IssueForm | None = None,
    status: int = 200,
) -> HttpResponse:
    sources = selectors.funding_source_list()
    context = {
        "statement": statement,
        "lines": selectors.statement_lines(statement=statement),
        "form": form or IssueForm(sources=sources),
        "sources": list(sources),
    }
    return render(request, "mentoring_work/statement_detail.html", context, status=status)


@login_required
@require_safe
def statement_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    authorize(request.user, PAY)
    return _statement_page(request, selectors.statement_get(pk=pk))


@login_required
@require_safe
def statement_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    authorize(request.user, PAY)
    statement = selectors.statement_get(pk=pk)
    context = {
        "statement": statement,
        "lines": selectors.statement_lines(statement=statement),
        "printed_at": timezone.localtime(),
    }
    # The printable page is made to leave Amparo (print, PDF, mail): an export, like the CSV.
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=statement,
        request=request,
        data={"export": "mentor_statement_print", "month": f"{statement.month:%Y-%m}"},
    )
    return render(request, "mentoring_work/statement_print.html", context)


@login_required
@require_safe
def statement_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    authorize(request.user, PAY)
    statement = selectors.statement_get(pk=pk)
    body = exports.statement_csv(
        statement=statement, lines=selectors.statement_lines(statement=statement)
    )
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=statement,
        request=request,
        data={"export": "mentor_statement", "month": f"{statement.month:%Y-%m}"},
    )
    return _csv_response(body, f"mentor-statement-{statement.month:%Y-%m}-{statement.pk}.csv")


@login_required
@require_POST
def statement_issue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    authorize(request.user, PAY)
    statement = selectors.statement_get(pk=pk)
    form = IssueForm(request.POST, sources=selectors.funding_source_list())
    if form.is_valid():
        try:
            pay.statement_issue(
                statement=statement, source=form.cleaned_data["source"], actor=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The statement is issued and charged."))
            return redirect("mentoring_work:statement", pk=statement.pk)
    return _statement_page(request, statement, form=form, status=422)


# --- funding sources -----------------------------------------------------------------------------


def _source_fields(form: FundingSourceForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "kind": data["kind"],
        "amount": data["amount"],
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "notes": data["notes"],
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def funding_list(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, PAY)
    form = FundingSourceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                pay.funding_source_create(actor=request.user, **_source_fields(form))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Funding source added."))
                return redirect("mentoring_work:funding")
        status = 422
    context = {"sources": list(selectors.funding_source_list()), "form": form}
    return render(request, "mentoring_work/funding_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def funding_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    authorize(request.user, PAY)
    source = selectors.funding_source_list().filter(pk=pk).first()
    if source is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = FundingSourceForm(request.POST)
        if form.is_valid():
            try:
                pay.funding_source_update(source=source, actor=request.user, **_source_fields(form))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Funding source saved."))
                return redirect("mentoring_work:funding_source", pk=source.pk)
        status = 422
    else:
        form = FundingSourceForm(
            initial={
                "name": source.name,
                "kind": source.kind,
                "amount": source.amount,
                "start_date": source.start_date,
                "end_date": source.end_date,
                "notes": source.notes,
            }
        )
    charges = source.charges.select_related("statement", "statement__mentor").order_by(
        "-charged_at", "-id"
    )
    context = {
        "source": source,
        "charges": list(charges),
        "form": form,
    }
    return render(request, "mentoring_work/funding_detail.html", context, status=status)


# --- program staff: overdue overview and feedback ----------------------------------------------


@login_required
@require_safe
def overdue_overview(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "mentoring_work.view_overview")
    now = timezone.now()
    context = {
        "milestones": list(selectors.overdue_milestones(today=timezone.localdate(now))),
        "messages_overdue": list(selectors.overdue_messages(now=now)),
        "report": selectors.response_report(
            since=now - dt.timedelta(days=RESPONSE_REPORT_DAYS), until=now
        ),
        "report_days": RESPONSE_REPORT_DAYS,
    }
    return render(request, "mentoring_work/overdue_overview.html", context)


@login_required
@require_safe
def feedback_list(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "mentoring_work.view_overview")
    page = Paginator(selectors.feedback_list(), FEEDBACK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "mentoring_work/feedback_list.html", {"page": page})
