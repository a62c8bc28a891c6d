"""Mentoring pages. Every view asks the policy (amparo.core.policy; a forbidden object answers
404), validates a form, calls one service or selector, and renders. Invalid forms come back with
status 422, refusals of the services with their reasons (409 when someone else acted first or a
mentor's places ran out).

- everyone involved: the mentoring home (by role) and a case's mentoring page (six steps);
- the mentee: the request form, the agreement, booking meetings;
- partner staff: requests for many cases (form or CSV);
- program staff: the requests queue, a request with its eligibility items, overrides, proposals
  and confirmation;
- mentors: invitations (accept, or decline with a reason) from the e-mailed link.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.models import Role
from amparo.cases.models import Case
from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, can, get_for_user_or_404
from amparo.mentoring import selectors, services
from amparo.mentoring.checklist import mentee_checklist
from amparo.mentoring.eligibility import eligibility_evaluate_for, next_individual_hearing
from amparo.mentoring.forms import (
    AgreementSignForm,
    ConfirmForm,
    DeclineForm,
    MeetingForm,
    MeetingHeldForm,
    MentoringRequestForm,
    OverrideForm,
    PartnerRequestForm,
    RequestUploadForm,
)
from amparo.mentoring.imports import COLUMNS, RequestImportInvalid, request_import_save
from amparo.mentoring.models import (
    EligibilityRequirement,
    MentoringAgreement,
    MentoringMeeting,
    MentoringRequest,
    Mentorship,
)
from amparo.mentoring.proposals import request_proposals, request_top_proposals
from amparo.mentoring.services import MentoringError
from amparo.people.models import Language

QUEUE_PAGE_SIZE = 25


def _status_for(error: MentoringError) -> int:
    return 409 if error.code in ("taken", "capacity", "state") else 422


def _reason_texts(mentorship: Mentorship) -> list[tuple[Any, str]]:
    language = (get_language() or "en")[:2]
    return [
        (reason.get("points"), reason.get("es" if language == "es" else "en", ""))
        for reason in mentorship.reasons or []
    ]


# --- home -----------------------------------------------------------------------------------


@login_required
@require_safe
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    authorize(user, "mentoring.view_home")
    if can(user, "mentoring.manage"):
        return redirect("mentoring:queue")
    context: dict[str, Any] = {"role": user.role}
    if user.role == Role.ATTORNEY:
        context["cases"] = list(selectors.case_list_for_mentee(user=user))
    elif user.role == Role.MENTOR:
        authorize(user, "mentoring.view_invitations")
        context["invitations"] = [
            {"mentorship": m, "token": services.invitation_token(m)}
            for m in selectors.invitations_for_mentor(mentor=user)
        ]
        context["mentorships"] = list(selectors.mentorships_for_mentor(mentor=user))
    elif user.role == Role.PARTNER:
        authorize(user, "mentoring.request_in_bulk")
        page = Paginator(selectors.request_list_for_partner(user=user), QUEUE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["page"] = page
        context["rows"] = [
            {"request": r, "mentorship": next(iter(r.mentorships.all()), None)}
            for r in page.object_list
        ]
    return render(request, "mentoring/home.html", context)


# --- a case's mentoring page -------------------------------------------------------------------


def _case(request: AuthenticatedRequest, code: str, permission: str) -> Case:
    return get_for_user_or_404(
        Case.objects.select_related("court", "attorney_of_record", "mentor"),
        user=request.user,
        permission=permission,
        code=code,
    )


def _case_page(
    request: AuthenticatedRequest,
    case: Case,
    *,
    request_form: MentoringRequestForm | None = None,
    meeting_form: MeetingForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    state = selectors.case_mentoring_state(case=case, viewer=user)
    is_mentee = selectors.viewer_is_mentee(viewer=user, state=state)
    can_request = state.request is None and can(user, "mentoring.request_for_case", case)
    preview = None
    if can_request and case.attorney_of_record_id:
        # What the program will check, before the request is made.
        preview = eligibility_evaluate_for(case=case, attorney=case.attorney_of_record)
    mentorship = state.mentorship
    can_book = mentorship is not None and can(user, "mentoring.book_meeting", mentorship)
    context = {
        "case": case,
        "state": state,
        "steps": mentee_checklist(state),
        "is_mentee": is_mentee,
        "can_request": can_request,
        "preview": preview,
        "request_form": request_form or MentoringRequestForm(),
        "client_languages": [
            str(dict(Language.choices).get(code, code)) for code in case.languages or []
        ],
        "can_withdraw": state.request is not None
        and state.request.status
        in (MentoringRequest.Status.PENDING, MentoringRequest.Status.PROPOSED)
        and can(user, "mentoring.withdraw_request", state.request),
        "can_manage": can(user, "mentoring.manage"),
        "can_sign": is_mentee and can(user, "mentoring.sign_agreement", case),
        "can_book": can_book,
        "can_book_now": can_book and not state.first_meeting_blockers,
        "meeting_form": meeting_form or MeetingForm(initial={"mode": "video"}),
        "held_form": MeetingHeldForm(),
        "now": timezone.now(),
        "hearing": next_individual_hearing(case=case),
        "can_view_signature": state.signature is not None
        and can(user, "mentoring.view_signature", state.signature),
        # The ongoing mentorship's pages (plan, messages), for those who may open them.
        "can_view_work": mentorship is not None
        and can(user, "mentoring_work.view_mentorship", mentorship),
        "errors": errors or [],
    }
    return render(request, "mentoring/case_mentoring.html", context, status=status)


@login_required
@require_safe
def case_page(request: AuthenticatedRequest, code: str) -> HttpResponse:
    return _case_page(request, _case(request, code, "mentoring.view_case"))


@login_required
@require_POST
def request_create(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _case(request, code, "mentoring.request_for_case")
    form = MentoringRequestForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, request_form=form, status=422)
    try:
        services.mentoring_request_create(
            case=case,
            actor=request.user,
            help_wanted=form.cleaned_data["help_wanted"],
            languages=form.cleaned_data["languages"],
            http_request=request,
        )
    except MentoringError as error:
        return _case_page(
            request, case, request_form=form, errors=error.reasons, status=_status_for(error)
        )
    messages.success(
        request,
        _(
            "Your request was sent. The requirements are checked below; the program matches a "
            "mentor once they are met."
        ),
    )
    return redirect("mentoring:case", code=case.code)


@login_required
@require_POST
def request_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentoring_request = selectors.mentoring_request_get(pk=pk)
    if mentoring_request is None:
        raise Http404
    authorize(request.user, "mentoring.withdraw_request", mentoring_request)
    try:
        services.mentoring_request_withdraw(
            request=mentoring_request, actor=request.user, http_request=request
        )
    except MentoringError as error:
        for reason in error.reasons:
            messages.error(request, reason)
        return redirect("mentoring:case", code=mentoring_request.case.code)
    messages.success(request, _("The request was withdrawn."))
    return redirect("mentoring:case", code=mentoring_request.case.code)


# --- the agreement -----------------------------------------------------------------------------


def _agreement_page(
    request: AuthenticatedRequest,
    case: Case,
    agreement: MentoringAgreement | None,
    *,
    form: AgreementSignForm | None = None,
    language: str | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    language = language if language in ("en", "es") else (get_language() or "en")[:2]
    language = language if language in ("en", "es") else "en"
    _unused, signature = selectors.signature_of_current_agreement(mentee=request.user)
    text = agreement.text_in(language) if agreement else ""
    sha = services.agreement_text_sha256(text) if agreement else ""
    if form is None and agreement is not None:
        form = AgreementSignForm(
            initial={"language": language, "sha256": sha, "version": agreement.version}
        )
    context = {
        "case": case,
        "agreement": agreement,
        "text": text,
        "sha256": sha,
        "language": language,
        "other_language": "es" if language == "en" else "en",
        "signature": signature,
        "form": form,
        "errors": errors or [],
    }
    return render(request, "mentoring/agreement.html", context, status=status)


@login_required
def agreement(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _case(request, code, "mentoring.sign_agreement")
    current = MentoringAgreement.objects.current()
    if request.method != "POST":
        return _agreement_page(request, case, current, language=request.GET.get("language"))
    form = AgreementSignForm(request.POST)
    if not form.is_valid() or current is None:
        return _agreement_page(
            request,
            case,
            current,
            form=form,
            language=request.POST.get("language"),
            status=422,
        )
    if form.cleaned_data["version"] != current.version:
        return _agreement_page(
            request,
            case,
            current,
            language=form.cleaned_data["language"],
            errors=[_("A new version of the agreement was published: read it and sign again.")],
            status=409,
        )
    try:
        signature = services.agreement_sign(
            case=case,
            mentee=request.user,
            agreement=current,
            typed_name=form.cleaned_data["typed_name"],
            language=form.cleaned_data["language"],
            shown_sha256=form.cleaned_data["sha256"],
            http_request=request,
        )
    except MentoringError as error:
        return _agreement_page(
            request,
            case,
            current,
            form=form,
            language=form.cleaned_data["language"],
            errors=error.reasons,
            status=_status_for(error),
        )
    messages.success(
        request,
        _("You signed version %(version)s of the mentoring agreement.")
        % {"version": signature.agreement.version},
    )
    return redirect("mentoring:case", code=case.code)


@login_required
@require_safe
def signature_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    signature = selectors.signature_get(pk=pk)
    if signature is None:
        raise Http404
    authorize(request.user, "mentoring.view_signature", signature)
    text = signature.agreement.text_in(signature.language)
    context = {
        "signature": signature,
        "text": text,
        "intact": services.agreement_text_sha256(text) == signature.sha256,
    }
    return render(request, "mentoring/signature_print.html", context)


# --- meetings ----------------------------------------------------------------------------------


@login_required
@require_POST
def meeting_book(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _case(request, code, "mentoring.view_case")
    mentorship = (
        Mentorship.objects.filter(case=case, status=Mentorship.Status.ACTIVE)
        .select_related("mentee", "mentor")
        .first()
    )
    if mentorship is None:
        raise Http404
    authorize(request.user, "mentoring.book_meeting", mentorship)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, meeting_form=form, status=422)
    try:
        services.meeting_book(
            mentorship=mentorship,
            actor=request.user,
            starts_at=form.cleaned_data["starts_at"],
            mode=form.cleaned_data["mode"],
            place=form.cleaned_data["place"],
            video_link=form.cleaned_data["video_link"],
        )
    except MentoringError as error:
        return _case_page(
            request, case, meeting_form=form, errors=error.reasons, status=_status_for(error)
        )
    messages.success(request, _("The meeting is booked; the other person was told by e-mail."))
    return redirect("mentoring:case", code=case.code)


@login_required
@require_POST
def meeting_held(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = (
        MentoringMeeting.objects.select_related(
            "mentorship", "mentorship__case", "mentorship__mentee"
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    authorize(request.user, "mentoring.book_meeting", meeting.mentorship)
    form = MeetingHeldForm(request.POST)
    case = meeting.mentorship.case
    if not form.is_valid():
        return _case_page(request, case, errors=[_("Shorten the notes.")], status=422)
    try:
        services.meeting_log_held(
            meeting=meeting, actor=request.user, notes=form.cleaned_data["notes"]
        )
    except MentoringError as error:
        return _case_page(request, case, errors=error.reasons, status=_status_for(error))
    messages.success(request, _("The meeting is logged as held."))
    return redirect("mentoring:case", code=case.code)


# --- partner staff: many cases at once ---------------------------------------------------------


def _bulk_page(
    request: AuthenticatedRequest,
    *,
    form: PartnerRequestForm | None = None,
    upload_form: RequestUploadForm | None = None,
    problems: list[Any] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    cases = selectors.cases_open_for_partner_request(user=request.user)
    context = {
        "form": form or PartnerRequestForm(cases=cases),
        "upload_form": upload_form or RequestUploadForm(),
        "columns": COLUMNS,
        "problems": problems or [],
        "errors": errors or [],
    }
    return render(request, "mentoring/request_bulk.html", context, status=status)


@login_required
def request_bulk(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "mentoring.request_in_bulk")
    if request.method != "POST":
        return _bulk_page(request)
    cases = selectors.cases_open_for_partner_request(user=request.user)
    form = PartnerRequestForm(request.POST, cases=cases)
    if not form.is_valid():
        return _bulk_page(request, form=form, status=422)
    try:
        created = services.mentoring_requests_create(
            items=[
                services.RequestData(
                    case=case,
                    help_wanted=form.cleaned_data["help_wanted"],
                    languages=form.cleaned_data["languages"],
                )
                for case in form.cleaned_data["cases"]
            ],
            actor=request.user,
            http_request=request,
        )
    except MentoringError as error:
        return _bulk_page(request, form=form, errors=error.reasons, status=_status_for(error))
    messages.success(
        request,
        ngettext(
            "%(n)d mentor request sent to the program.",
            "%(n)d mentor requests sent to the program.",
            len(created),
        )
        % {"n": len(created)},
    )
    return redirect("mentoring:home")


@login_required
@require_POST
def request_upload(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "mentoring.request_in_bulk")
    upload_form = RequestUploadForm(request.POST, request.FILES)
    if not upload_form.is_valid():
        return _bulk_page(request, upload_form=upload_form, status=422)
    content = upload_form.cleaned_data["file"].read()
    try:
        created = request_import_save(content=content, actor=request.user)
    except RequestImportInvalid as invalid:
        return _bulk_page(request, upload_form=upload_form, problems=invalid.problems, status=422)
    except MentoringError as error:
        return _bulk_page(
            request, upload_form=upload_form, errors=error.reasons, status=_status_for(error)
        )
    messages.success(
        request,
        ngettext(
            "%(n)d mentor request sent to the program.",
            "%(n)d mentor requests sent to the program.",
            len(created),
        )
        % {"n": len(created)},
    )
    return redirect("mentoring:home")


# --- program staff -----------------------------------------------------------------------------


@login_required
@require_safe
def queue(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "mentoring.manage")
    status = request.GET.get("status", "open")
    if status not in selectors.QUEUE_FILTERS:
        status = "open"
    page = Paginator(selectors.request_queue(status=status), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    requests = list(page.object_list)
    top = request_top_proposals(requests=requests)
    rows = [
        {
            "request": r,
            "mentorship": next(iter(r.mentorships.all()), None),
            "proposal": top.get(r.pk),
        }
        for r in requests
    ]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "filters": [
            ("open", _("Open")),
            ("waiting", _("Waiting for a match")),
            ("invited", _("Mentor invited")),
            ("matched", _("Matched")),
            ("closed", _("Withdrawn or closed")),
            ("all", _("All")),
        ],
    }
    return render(request, "mentoring/queue.html", context)


def _managed_request(request: AuthenticatedRequest, pk: int) -> MentoringRequest:
    authorize(request.user, "mentoring.manage")
    mentoring_request = selectors.mentoring_request_get(pk=pk)
    if mentoring_request is None:
        raise Http404
    return mentoring_request


def _request_detail_page(
    request: AuthenticatedRequest,
    mentoring_request: MentoringRequest,
    *,
    errors: list[str] | None = None,
    override_form: OverrideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    eligibility = services.mentoring_request_eligibility_refresh(request=mentoring_request)
    mentorships = list(
        mentoring_request.mentorships.select_related("mentor", "confirmed_by").order_by("-pk")
    )
    proposals = (
        request_proposals(request=mentoring_request)
        if mentoring_request.status == MentoringRequest.Status.PENDING
        else []
    )
    context = {
        "mreq": mentoring_request,
        "case": mentoring_request.case,
        "eligibility": eligibility,
        "proposals": proposals,
        "mentorships": [{"mentorship": m, "reasons": _reason_texts(m)} for m in mentorships],
        "override_form": override_form,
        "errors": errors or [],
        "hearing": next_individual_hearing(case=mentoring_request.case),
        "signatures": list(
            mentoring_request.attorney.mentoring_agreement_signatures.select_related(
                "agreement"
            ).order_by("-signed_at")
        ),
    }
    return render(request, "mentoring/request_detail.html", context, status=status)


@login_required
@require_safe
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _request_detail_page(request, _managed_request(request, pk))


@login_required
@require_POST
def request_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentoring_request = _managed_request(request, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return _request_detail_page(request, mentoring_request, errors=errors, status=422)
    mentor = form.cleaned_data["mentor"]
    try:
        services.mentorship_confirm(
            request=mentoring_request, mentor=mentor, actor=request.user, http_request=request
        )
    except MentoringError as error:
        return _request_detail_page(
            request, mentoring_request, errors=error.reasons, status=_status_for(error)
        )
    messages.success(
        request,
        _("%(name)s is invited by e-mail to mentor on %(code)s.")
        % {"name": mentor.full_name, "code": mentoring_request.case.code},
    )
    return redirect("mentoring:request_detail", pk=mentoring_request.pk)


@login_required
@require_POST
def request_override(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentoring_request = _managed_request(request, pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _request_detail_page(request, mentoring_request, override_form=form, status=422)
    requirement = EligibilityRequirement.objects.filter(
        pk=form.cleaned_data["requirement"], active=True
    ).first()
    if requirement is None:
        return _request_detail_page(
            request,
            mentoring_request,
            errors=[_("This requirement is no longer in use.")],
            status=422,
        )
    try:
        services.eligibility_override_record(
            request=mentoring_request,
            requirement=requirement,
            actor=request.user,
            note=form.cleaned_data["note"],
            http_request=request,
        )
    except MentoringError as error:
        return _request_detail_page(
            request, mentoring_request, errors=error.reasons, status=_status_for(error)
        )
    messages.success(request, _("The override is recorded with your note."))
    return redirect("mentoring:request_detail", pk=mentoring_request.pk)


# --- mentors: the invitation -------------------------------------------------------------------


def _invitation(request: AuthenticatedRequest, token: str) -> Mentorship:
    mentorship = services.invitation_from_token(token)
    if mentorship is None:
        raise Http404
    authorize(request.user, "mentoring.view_mentorship", mentorship)
    if mentorship.mentor_id != request.user.pk:
        raise Http404
    return mentorship


def _invitation_page(
    request: AuthenticatedRequest,
    mentorship: Mentorship,
    token: str,
    *,
    decline_form: DeclineForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "mentorship": mentorship,
        "mreq": mentorship.request,
        "case": mentorship.case,
        "token": token,
        "reasons": _reason_texts(mentorship),
        "hearing": next_individual_hearing(case=mentorship.case),
        "can_respond": can(request.user, "mentoring.respond_invitation", mentorship),
        "decline_form": decline_form or DeclineForm(),
        "errors": errors or [],
    }
    return render(request, "mentoring/invitation.html", context, status=status)


@login_required
@require_safe
def invitation(request: AuthenticatedRequest, token: str) -> HttpResponse:
    return _invitation_page(request, _invitation(request, token), token)


@login_required
@require_POST
def invitation_accept(request: AuthenticatedRequest, token: str) -> HttpResponse:
    mentorship = _invitation(request, token)
    try:
        services.mentorship_accept(mentorship=mentorship, actor=request.user, http_request=request)
    except MentoringError as error:
        return _invitation_page(
            request, mentorship, token, errors=error.reasons, status=_status_for(error)
        )
    messages.success(
        request,
        _("Thank you: you now mentor on %(code)s. The attorney was told by e-mail.")
        % {"code": mentorship.case.code},
    )
    return redirect("mentoring:case", code=mentorship.case.code)


@login_required
@require_POST
def invitation_decline(request: AuthenticatedRequest, token: str) -> HttpResponse:
    mentorship = _invitation(request, token)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _invitation_page(request, mentorship, token, decline_form=form, status=422)
    try:
        services.mentorship_decline(
            mentorship=mentorship,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            http_request=request,
        )
    except MentoringError as error:
        return _invitation_page(
            request,
            mentorship,
            token,
            decline_form=form,
            errors=error.reasons,
            status=_status_for(error),
        )
    messages.success(request, _("You declined the invitation. Thank you for saying why."))
    return redirect("mentoring:home")
