"""The case workspace: one page per case for its attorney of record, mentor and coordinators.

Every view asks the policy (workspace/policy.py); a forbidden case answers 404. Small edits are
htmx requests answered with the section they change (`case_workspace.html#<section>`); without
JavaScript the same forms post, redirect back and the page reloads. An invalid form comes back
with status 422 and its errors (app.js lets htmx swap it in)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from amparo.cases.models import Case, Hearing, Stage
from amparo.cases.services import case_file_record_view
from amparo.core.audit import audit_record
from amparo.core.http import AuthenticatedRequest
from amparo.core.models import AuditEvent
from amparo.core.policy import authorize, can
from amparo.deadlines.models import Milestone
from amparo.deadlines.selectors import (
    BIRTH_DATE_RULES,
    case_deadline_list,
    case_flag_list,
    case_milestone_list,
)
from amparo.deadlines.services import milestone_set_status
from amparo.mentoring_work.selectors import (
    mentorship_current_for_case,
    message_list_awaiting_reply,
)
from amparo.workspace import selectors, services
from amparo.workspace.forms import (
    CaseCloseForm,
    CaseOutcomeForm,
    ClientContactForm,
    DocumentCommentForm,
    DocumentUploadForm,
    DocumentVersionForm,
    HearingAddForm,
    HearingOutcomeForm,
    HearingRescheduleForm,
    HoursForm,
    WithdrawalDecisionForm,
    WithdrawalRequestForm,
    apply_service_errors,
)
from amparo.workspace.handoff import handoff_display
from amparo.workspace.models import WithdrawalRequest

TEMPLATE = "workspace/case_workspace.html"
APPEAL_RULE = "BIA_APPEAL_30"


def _hearing_rows(
    case: Case, hearings: list[Hearing], failed: dict[tuple[str, int], Any], can_change: bool
) -> list[dict[str, Any]]:
    """Each hearing with its own reschedule and outcome forms (the one that failed stays bound,
    with its errors)."""
    rows = []
    for hearing in hearings:
        row: dict[str, Any] = {"hearing": hearing}
        if can_change and hearing.status in (
            Hearing.Status.SCHEDULED,
            Hearing.Status.HELD,
            Hearing.Status.CANCELLED,
        ):
            if hearing.status == Hearing.Status.SCHEDULED:
                row["reschedule_form"] = failed.get(("reschedule", hearing.pk)) or (
                    HearingRescheduleForm(case=case, prefix=f"reschedule-{hearing.pk}")
                )
            outcome = getattr(hearing, "outcome", None)
            row["outcome_form"] = failed.get(("outcome", hearing.pk)) or HearingOutcomeForm(
                prefix=f"outcome-{hearing.pk}",
                initial={"result": outcome.result, "note": outcome.note} if outcome else None,
            )
        rows.append(row)
    return rows


def _document_rows(
    case: Case, failed: dict[tuple[str, int], Any], can_upload: bool, can_comment: bool
) -> list[dict[str, Any]]:
    """Each document with its versions; each version with its comment form, each document with
    its new-version form (the one that failed stays bound, with its errors)."""
    rows = []
    for document in selectors.case_document_list(case=case):
        versions = list(document.versions.all())
        rows.append(
            {
                "document": document,
                "latest": versions[0] if versions else None,
                "version_form": (
                    failed.get(("version", document.pk))
                    or DocumentVersionForm(prefix=f"version-{document.pk}")
                )
                if can_upload
                else None,
                "versions": [
                    {
                        "version": version,
                        "comment_form": (
                            failed.get(("comment", version.pk))
                            or DocumentCommentForm(prefix=f"comment-{version.pk}")
                        )
                        if can_comment
                        else None,
                    }
                    for version in versions
                ],
            }
        )
    return rows


def _context(request: AuthenticatedRequest, case: Case, **extra: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    hearings = selectors.case_hearing_list(case=case)
    contacts = selectors.case_contact_list(case=case)
    hours = selectors.case_hours_list(case=case)
    can_view_file = can(user, "cases.view_case_file", case)
    deadlines = [
        d for d in case_deadline_list(case=case) if can_view_file or d.rule not in BIRTH_DATE_RULES
    ]
    can_change = can(user, "workspace.change_workspace", case)
    can_decide = can(user, "workspace.decide_withdrawal", case)
    can_request = can(user, "workspace.request_withdrawal", case)
    can_view_handoff = can(user, "workspace.view_handoff", case)
    pending = selectors.withdrawal_request_pending(case=case)
    outcome_choices = services.outcome_choices_for(case)
    can_view_documents = can(user, "workspace.view_documents", case)
    can_upload_document = can(user, "workspace.upload_document", case)
    can_comment_document = can(user, "workspace.comment_document", case)
    mentorship = mentorship_current_for_case(case=case)
    if mentorship is not None and not can(user, "mentoring_work.view_mentorship", mentorship):
        mentorship = None
    context: dict[str, Any] = {
        "case": case,
        "today": today,
        "mentorship": mentorship,
        "now": timezone.now(),
        "open_messages": message_list_awaiting_reply(mentorship=mentorship) if mentorship else [],
        "can_view_file": can_view_file,
        "court_time_zone": case.court.time_zone if case.court else settings.TIME_ZONE,
        "can_view_notes": can(user, "workspace.view_contact_notes", case),
        "can_change": can_change,
        "can_log_hours": can(user, "workspace.log_hours", case),
        "can_close": can(user, "workspace.close_case", case),
        "can_request_withdrawal": can_request and pending is None,
        "can_decide_withdrawal": can_decide,
        "can_view_handoff": can_view_handoff,
        "can_view_hours_totals": can(user, "workspace.view_hours_totals"),
        "can_send_status_request": can(user, "workspace.send_status_request"),
        "has_status_requests": can(user, "workspace.view_own_status_requests"),
        "is_closed": case.stage == Stage.CLOSED,
        "hearing_rows": _hearing_rows(case, hearings, extra.pop("failed", {}), can_change),
        "next_hearing": selectors.next_hearing(hearings=hearings, now=timezone.now()),
        "deadlines": deadlines,
        "appeal_deadline": next((d for d in deadlines if d.rule == APPEAL_RULE), None),
        # Flags explain the client's situation (ages, missed deadlines): the file's readers only.
        "flags": list(case_flag_list(case=case)) if can_view_file else [],
        "milestones": list(case_milestone_list(case=case)),
        "contacts": contacts,
        "in_person_missing": selectors.in_person_meeting_missing(
            case=case, hearings=hearings, contacts=contacts, today=today
        ),
        "hours": hours,
        "hours_total": sum((entry.hours for entry in hours), start=selectors.ZERO_HOURS),
        "outcome_label": dict(outcome_choices).get(case.outcome, case.get_outcome_display()),
        "pending_withdrawal": pending,
        "last_declined_withdrawal": None
        if pending or not can_request
        else case.withdrawal_requests.filter(
            attorney=user, status=WithdrawalRequest.Status.DECLINED
        ).first(),
        "handoff_packets": selectors.handoff_packet_list(case=case) if can_view_handoff else [],
        "hearing_form": HearingAddForm(case=case),
        "contact_form": ClientContactForm(initial={"contacted_on": today}),
        "hours_form": HoursForm(initial={"worked_on": today}),
        "outcome_form": CaseOutcomeForm(
            outcome_choices=outcome_choices,
            initial={
                "outcome": case.outcome,
                "decision_date": case.outcome_date or case.decision_date,
                "decision_kind": case.decision_kind,
                "memo_mailed": case.decision_memo_mailed,
                "appeal_waived": case.appeal_waived,
            },
        ),
        "close_form": CaseCloseForm(),
        "withdrawal_form": WithdrawalRequestForm(),
        "decision_form": WithdrawalDecisionForm(),
        "can_view_documents": can_view_documents,
        "can_upload_document": can_upload_document,
        "can_comment_document": can_comment_document,
        "document_rows": _document_rows(
            case, extra.pop("document_failed", {}), can_upload_document, can_comment_document
        )
        if can_view_documents
        else [],
        "document_form": extra.pop("document_form", None) or DocumentUploadForm(case=case),
        "max_document_mb": services.documents.MAX_DOCUMENT_MB,
    }
    context.update(extra)
    return context


def _page(
    request: AuthenticatedRequest, case: Case, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = _context(request, case, **extra)
    if context["can_view_file"]:
        # The page shows the client file: every such read is in the audit log.
        case_file_record_view(case=case, viewer=request.user, request=request)
    return render(request, TEMPLATE, context, status=status)


def _section(
    request: AuthenticatedRequest,
    case: Case,
    section: str,
    *,
    status: int = 200,
    success: str = "",
    **extra: Any,
) -> HttpResponse:
    """The changed section for htmx; otherwise back to the page (or the page with the errors)."""
    if request.htmx:
        context = _context(request, case, success=success, **extra)
        if section == "contacts" and context["can_view_notes"]:
            # The communication log's notes are the client's story: a read of the file.
            case_file_record_view(case=case, viewer=request.user, request=request)
        return render(request, f"{TEMPLATE}#{section}", context, status=status)
    if status >= 400:
        return _page(request, case, status=status, **extra)
    if success:
        messages.success(request, success)
    return redirect(reverse("workspace:case", args=[case.code]) + f"#{section}")


def _workspace_case(request: AuthenticatedRequest, code: str, permission: str = "") -> Case:
    case = selectors.case_get_for_workspace(viewer=request.user, code=code)
    if permission:
        authorize(request.user, permission, case)
    return case


@login_required
@require_safe
def case_workspace(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _workspace_case(request, code)
    return _page(request, case)


# --- hearings -------------------------------------------------------------------------------


@login_required
@require_POST
def hearing_add(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.change_workspace")
    form = HearingAddForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.hearing_schedule(
                case=case,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                starts_at=form.starts_at(),
                ruling_requested=form.cleaned_data["ruling_requested"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if not form.is_valid():
        return _section(request, case, "schedule", status=422, hearing_form=form)
    return _section(
        request, case, "schedule", success=_("Hearing added; its deadlines are computed.")
    )


def _case_hearing(case: Case, pk: int) -> Hearing:
    hearing = selectors.hearing_get_for_case(case=case, pk=pk)
    if hearing is None:
        raise Http404
    return hearing


def _moved_summary(moved: list[services.MovedDate]) -> str:
    if not moved:
        return _("Hearing rescheduled. No deadline or milestone moved with it.")
    parts = [
        "{}: {} → {}".format(
            item.label,
            formats.date_format(item.old) if item.old else "—",
            formats.date_format(item.new) if item.new else _("no longer applies"),
        )
        for item in moved
    ]
    return _("Hearing rescheduled. What moved: %(list)s.") % {"list": "; ".join(parts)}


@login_required
@require_POST
def hearing_reschedule(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.change_workspace")
    hearing = _case_hearing(case, pk)
    form = HearingRescheduleForm(request.POST, case=case, prefix=f"reschedule-{hearing.pk}")
    rescheduled = None
    if form.is_valid():
        try:
            rescheduled = services.hearing_reschedule_and_notify(
                hearing=hearing, actor=request.user, starts_at=form.starts_at()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if rescheduled is None:
        return _section(
            request, case, "schedule", status=422, failed={("reschedule", hearing.pk): form}
        )
    return _section(
        request,
        case,
        "schedule",
        # The section lists what moved itself; a page reload carries it in the message.
        success=_("Hearing rescheduled.") if request.htmx else _moved_summary(rescheduled.moved),
        moved=rescheduled.moved,
    )


@login_required
@require_POST
def hearing_outcome(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.change_workspace")
    hearing = _case_hearing(case, pk)
    form = HearingOutcomeForm(request.POST, prefix=f"outcome-{hearing.pk}")
    if form.is_valid():
        try:
            services.hearing_outcome_record(
                hearing=hearing,
                actor=request.user,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if not form.is_valid():
        return _section(
            request, case, "schedule", status=422, failed={("outcome", hearing.pk): form}
        )
    return _section(request, case, "schedule", success=_("The hearing's outcome is recorded."))


# --- the plan -------------------------------------------------------------------------------


@login_required
@require_POST
def milestone_status(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    """Tick a milestone done, or open it again (the deadlines app's service)."""
    case = _workspace_case(request, code, "workspace.change_workspace")
    milestone = case.milestones.filter(pk=pk).first()
    if milestone is None:
        raise Http404
    status = request.POST.get("status", "")
    if status not in (Milestone.Status.DONE, Milestone.Status.TO_DO):
        return HttpResponse(_("Choose to mark the milestone done or to do."), status=422)
    milestone_set_status(milestone=milestone, actor=request.user, status=status)
    if request.htmx:
        context = _context(request, case)
        context["milestone"] = next(m for m in context["milestones"] if m.pk == milestone.pk)
        return render(request, f"{TEMPLATE}#milestone-row", context)
    messages.success(request, _("Milestone updated."))
    return redirect(reverse("workspace:case", args=[case.code]) + "#plan")


# --- communication log ----------------------------------------------------------------------


@login_required
@require_POST
def contact_add(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.change_workspace")
    form = ClientContactForm(request.POST)
    if form.is_valid():
        try:
            services.client_contact_log(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
    if not form.is_valid():
        return _section(request, case, "contacts", status=422, contact_form=form)
    return _section(request, case, "contacts", success=_("Contact logged."))


# --- hours ----------------------------------------------------------------------------------


@login_required
@require_POST
def hours_add(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.log_hours")
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.hours_log(case=case, attorney=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
    if not form.is_valid():
        return _section(request, case, "hours", status=422, hours_form=form)
    return _section(request, case, "hours", success=_("Hours logged."))


@login_required
@require_POST
def hours_delete(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.log_hours")
    entry = selectors.hours_entry_get_for_case(case=case, pk=pk)
    if entry is None or entry.attorney_id != request.user.pk:
        raise Http404
    services.hours_delete(entry=entry, actor=request.user)
    return _section(request, case, "hours", success=_("The entry was deleted."))


# --- outcome and closing --------------------------------------------------------------------


@login_required
@require_POST
def outcome_record(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.change_workspace")
    form = CaseOutcomeForm(request.POST, outcome_choices=services.outcome_choices_for(case))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_outcome_record(
                case=case,
                actor=request.user,
                outcome=data["outcome"],
                decision_date=data["decision_date"],
                decision_kind=data["decision_kind"],
                memo_mailed=data["memo_mailed"],
                appeal_waived=data["appeal_waived"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if not form.is_valid():
        case.refresh_from_db()
        return _section(request, case, "outcome", status=422, outcome_form=form)
    return _section(request, case, "outcome", success=_("The outcome is recorded."))


@login_required
@require_POST
def case_close(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.close_case")
    form = CaseCloseForm(request.POST)
    if form.is_valid():
        try:
            case = services.case_close(case=case, actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
    if not form.is_valid():
        return _section(request, case, "outcome", status=422, close_form=form)
    case = _workspace_case(request, code)
    return _section(request, case, "outcome", success=_("The case is closed and archived."))


# --- withdrawal -----------------------------------------------------------------------------


@login_required
@require_POST
def withdrawal_request(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.request_withdrawal")
    form = WithdrawalRequestForm(request.POST)
    if form.is_valid():
        try:
            services.withdrawal_request_create(
                case=case, attorney=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if not form.is_valid():
        return _section(request, case, "withdrawal", status=422, withdrawal_form=form)
    return _section(
        request,
        case,
        "withdrawal",
        success=_("Your request was sent to the coordinators; you remain attorney of record."),
    )


@login_required
@require_POST
def withdrawal_decide(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.decide_withdrawal")
    withdrawal = selectors.withdrawal_request_get_for_case(case=case, pk=pk)
    if withdrawal is None:
        raise Http404
    form = WithdrawalDecisionForm(request.POST)
    decided = None
    if form.is_valid():
        try:
            decided = services.withdrawal_request_decide(
                request=withdrawal,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if decided is None:
        return _section(request, case, "withdrawal", status=422, decision_form=form)
    case = _workspace_case(request, code)
    if decided.status == WithdrawalRequest.Status.APPROVED:
        success = _(
            "Withdrawal approved: the case is back on the board with a hand-off packet for "
            "the next attorney."
        )
    else:
        success = _("Request declined; the attorney has been told.")
    return _section(request, case, "withdrawal", success=success)


@login_required
@require_safe
def handoff_packet(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    packet = selectors.handoff_packet_get_for_user(viewer=request.user, code=code, pk=pk)
    # The packet carries the communication log: reading it is reading the client file.
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.CLIENT_FILE_VIEWED,
        target=packet.case,
        request=request,
        data={"case_code": packet.case.code, "handoff_packet": packet.pk},
    )
    return render(
        request,
        "workspace/handoff_packet.html",
        {"packet": packet, "case": packet.case, "content": handoff_display(packet.data)},
    )


# --- documents ------------------------------------------------------------------------------

DOCUMENTS_TEMPLATE = "workspace/_documents.html"


def _documents_section(
    request: AuthenticatedRequest,
    case: Case,
    *,
    status: int = 200,
    success: str = "",
    **extra: Any,
) -> HttpResponse:
    """The documents section for htmx; otherwise back to the page (or the page with errors)."""
    if request.htmx:
        context = _context(request, case, success=success, **extra)
        return render(request, DOCUMENTS_TEMPLATE, context, status=status)
    if status >= 400:
        return _page(request, case, status=status, **extra)
    if success:
        messages.success(request, success)
    return redirect(reverse("workspace:case", args=[case.code]) + "#documents")


@login_required
@require_POST
def document_upload(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.upload_document")
    form = DocumentUploadForm(request.POST, request.FILES, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_document_create(
                case=case,
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                milestone=data["milestone"],
                file=data["file"],
                note=data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if not form.is_valid():
        return _documents_section(request, case, status=422, document_form=form)
    return _documents_section(request, case, success=_("The document is uploaded."))


@login_required
@require_POST
def document_version_add(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.upload_document")
    document = selectors.case_document_get_for_case(case=case, pk=pk)
    if document is None:
        raise Http404
    form = DocumentVersionForm(request.POST, request.FILES, prefix=f"version-{document.pk}")
    if form.is_valid():
        try:
            services.case_document_version_add(
                document=document,
                actor=request.user,
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if not form.is_valid():
        return _documents_section(
            request, case, status=422, document_failed={("version", document.pk): form}
        )
    return _documents_section(request, case, success=_("The new version is uploaded."))


def _case_version(case: Case, pk: int) -> Any:
    version = selectors.case_document_version_get_for_case(case=case, pk=pk)
    if version is None:
        raise Http404
    return version


@login_required
@require_GET  # not HEAD: each download is an audited read of the client file
def document_download(request: AuthenticatedRequest, code: str, pk: int) -> FileResponse:
    case = _workspace_case(request, code, "workspace.view_documents")
    version = _case_version(case, pk)
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    services.case_document_download_record(version=version, viewer=request.user, request=request)
    extension = version.file.name.rpartition(".")[2] if version.file.name else "bin"
    response = FileResponse(
        handle,
        as_attachment=True,
        # The case code, not the client's name, travels in the file name.
        filename=f"{case.code}-{version.document.pk}-v{version.number}.{extension}",
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_comment(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    case = _workspace_case(request, code, "workspace.comment_document")
    version = _case_version(case, pk)
    form = DocumentCommentForm(request.POST, prefix=f"comment-{version.pk}")
    if form.is_valid():
        try:
            services.document_comment_add(
                version=version, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if not form.is_valid():
        return _documents_section(
            request, case, status=422, document_failed={("comment", version.pk): form}
        )
    return _documents_section(request, case, success=_("Your comment is saved."))
