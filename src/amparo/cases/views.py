from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts.models import User
from amparo.cases.board import BoardFilters, board_case_get, board_page
from amparo.cases.forms import CasePlaceForm, CaseWithdrawalForm
from amparo.cases.models import Case, CaseEvent, CaseType, PlacementRequest, Stage
from amparo.cases.placement import (
    PlacementError,
    attorney_eligibility,
    case_attest_no_conflict,
    case_parties_reveal,
    case_place_by_coordinator,
    case_take,
    case_withdrawal_record,
    placement_candidates,
    placement_history_for_case,
    placement_request_decide,
)
from amparo.cases.retention import (
    case_archive,
    case_can_archive,
    case_can_unarchive,
    case_unarchive,
)
from amparo.cases.selectors import case_get_file_for_user, case_list_for_user, court_list_for_board
from amparo.cases.services import case_event_record, case_file_record_view
from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, can, get_for_user_or_404
from amparo.people.models import Language

CASES_PER_PAGE = 25


@login_required
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    # Shortcuts from the dashboard's "needs attention" list; unknown values show everything.
    show = request.GET.get("show", "")
    # "archived": the closed cases taken off the working lists (cases/retention.py).
    cases = case_list_for_user(viewer=request.user, archived=show == "archived")
    if show == "waiting":
        cases = cases.filter(stage__in=[Stage.INTAKE, Stage.SCREENING])
    elif show == "conflicts":
        cases = cases.filter(conflict_hits__status="open").distinct()
    elif show != "archived":
        show = ""
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    template = "cases/case_list.html"
    if request.htmx:
        template += "#case-table"
    return render(request, template, {"page": page, "show": show})


@login_required
def case_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = case_get_file_for_user(viewer=request.user, code=code)
    case_file_record_view(case=case, viewer=request.user, request=request)
    context = {
        "case": case,
        "client": case.client,
        "can_screen": can(request.user, "intake.screen_case", case),
        "can_see_timeline": can(request.user, "cases.view_timeline", case),
        "can_place": can(request.user, "cases.place_case", case),
        "can_edit": can(request.user, "cases.change_case", case),
        "can_archive": can(request.user, "cases.archive_case", case) and case_can_archive(case),
        "can_unarchive": can(request.user, "cases.archive_case", case) and case_can_unarchive(case),
    }
    return render(request, "cases/case_detail.html", context)


# --- retention: archiving by hand (cases/retention.py) ---------------------------------------


def _archive_case(request: AuthenticatedRequest, code: str) -> Case:
    return get_for_user_or_404(
        Case.objects.all(), user=request.user, permission="cases.archive_case", code=code
    )


@login_required
@require_POST
def case_archive_view(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _archive_case(request, code)
    try:
        case_archive(case=case, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(code)s is archived: it is off the working lists.") % {"code": case.code}
        )
    return redirect("cases:detail", code=case.code)


@login_required
@require_POST
def case_unarchive_view(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _archive_case(request, code)
    try:
        case_unarchive(case=case, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(code)s is back on the working lists.") % {"code": case.code})
    return redirect("cases:detail", code=case.code)


BOARD_PAGE_SIZE = 20


def _board_card(case: Case, language: str) -> dict[str, object]:
    return {
        "code": case.code,
        "case_type": case.get_case_type_display(),
        "court": case.court.name if case.court else "",
        "detained": case.detained,
        "unaccompanied_child": case.is_unaccompanied_child,
        "age_band": case.client_age_band,
        "country": case.client.country_of_nationality,
        "languages": [code for code in case.board_languages.split(",") if code],
        "next_hearing_on": case.next_hearing_on,
        "summary": case.summary_es if language == "es" and case.summary_es else case.summary_en,
        "urgency": case.urgency,
        "factors": [f.get(language, f.get("en", "")) for f in case.urgency_factors],
    }


@login_required
def board(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "cases.view_board")
    filters = BoardFilters.from_query(request.GET)
    board = board_page(filters=filters, number=request.GET.get("page"), per_page=BOARD_PAGE_SIZE)
    language = get_language() or "en"
    context = {
        "page": board.page,
        "cards": [_board_card(case, language) for case in board.cases],
        "filters": filters,
        "court_options": _court_options(court_list_for_board(), filters.court),
        "case_types": CaseType.choices,
        "languages": Language.choices,
        "query": request.GET.urlencode(),
        "page_query": _without_page(request.GET),
    }
    template = "cases/board.html#board-results" if request.htmx else "cases/board.html"
    return render(request, template, context)


def _court_options(courts: list[tuple[int, str]], chosen: int | None) -> str:
    """The court filter's options, built in one pass: a national board lists about seventy
    courts, and a template loop spent more time on them than on the twenty cards."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((pk, mark_safe(" selected") if pk == chosen else "", name) for pk, name in courts),
    )


def _without_page(query: QueryDict) -> str:
    copy = query.copy()
    copy.pop("page", None)
    return copy.urlencode()


@login_required
def board_card(request: AuthenticatedRequest, code: str) -> HttpResponse:
    authorize(request.user, "cases.view_board")
    case = board_case_get(code=code)
    if case is None:
        raise Http404
    language = get_language() or "en"
    context: dict[str, object] = {"card": _board_card(case, language), "case": case}
    if can(request.user, "cases.take_case"):
        context["eligibility"] = attorney_eligibility(attorney=request.user, case=case)
        context["requires_approval"] = settings.AMPARO_PLACEMENT_REQUIRES_APPROVAL
        case_event_record(case=case, kind=CaseEvent.Kind.CARD_VIEWED, actor=request.user)
    return render(request, "cases/board_card.html", context)


@login_required
@require_POST
def board_reveal(request: AuthenticatedRequest, code: str) -> HttpResponse:
    authorize(request.user, "cases.take_case")
    case = board_case_get(code=code)
    if case is None:
        raise Http404
    try:
        names = case_parties_reveal(case=case, attorney=request.user, request=request)
    except PlacementError as error:
        return render(
            request,
            "cases/board_card.html",
            {
                "card": _board_card(case, get_language() or "en"),
                "case": case,
                "errors": error.reasons,
            },
            status=409 if error.code == "taken" else 403,
        )
    return render(request, "cases/board_attest.html", {"case": case, "names": names})


@login_required
@require_POST
def board_take(request: AuthenticatedRequest, code: str) -> HttpResponse:
    authorize(request.user, "cases.take_case")
    case = Case.objects.filter(code=code).first()
    if case is None or (
        case.stage != Stage.READY and case.attorney_of_record_id != request.user.pk
    ):
        raise Http404
    if request.POST.get("no_conflict") != "on":
        return render(
            request,
            "cases/board_attest.html",
            {
                "case": case,
                "names": None,
                "errors": [_("Tick the box to confirm you have no conflict of interest.")],
            },
            status=422,
        )
    try:
        case_attest_no_conflict(case=case, attorney=request.user)
        case_take(case=case, attorney=request.user)
    except PlacementError as error:
        status = 409 if error.code == "taken" else 403
        return render(
            request,
            "cases/board_taken.html",
            {"case": case, "errors": error.reasons},
            status=status,
        )
    if settings.AMPARO_PLACEMENT_REQUIRES_APPROVAL:
        messages.success(request, _("Your request was sent to the coordinator."))
        return redirect("board:board")
    messages.success(request, _("The case is yours. Its deadlines and plan are ready."))
    return redirect("deadlines:case_deadlines", code=case.code)


@login_required
def case_timeline(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = get_for_user_or_404(
        Case.objects.all(), user=request.user, permission="cases.view_timeline", code=code
    )
    events = list(case.events.select_related("actor").order_by("-created_at", "-id"))
    # Placements, withdrawals and digests name the attorney concerned (one query for all).
    attorney_ids = {e.data.get("attorney_id") for e in events if e.data.get("attorney_id")}
    names = {u.pk: u.full_name for u in User.objects.filter(pk__in=attorney_ids)}
    for event in events:
        event.attorney_name = names.get(event.data.get("attorney_id"), "")  # type: ignore[attr-defined]
    return render(request, "cases/case_timeline.html", {"case": case, "events": events})


# --- coordinators: placing, requests, withdrawals ------------------------------------------


def _placement_case(request: AuthenticatedRequest, code: str) -> Case:
    return get_for_user_or_404(
        Case.objects.select_related("client", "attorney_of_record"),
        user=request.user,
        permission="cases.place_case",
        code=code,
    )


def _placement_page(
    request: AuthenticatedRequest,
    case: Case,
    *,
    place_form: CasePlaceForm | None = None,
    withdrawal_form: CaseWithdrawalForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "case": case,
        "history": placement_history_for_case(case=case),
        "requests": case.placement_requests.filter(status=PlacementRequest.Status.PENDING)
        .select_related("attorney")
        .order_by("created_at"),
        "candidates": placement_candidates(case=case) if not case.attorney_of_record_id else [],
        "place_form": place_form or CasePlaceForm(),
        "withdrawal_form": withdrawal_form or CaseWithdrawalForm(),
        "errors": errors or [],
    }
    return render(request, "cases/case_placement.html", context, status=status)


@login_required
def case_placement(request: AuthenticatedRequest, code: str) -> HttpResponse:
    return _placement_page(request, _placement_case(request, code))


@login_required
@require_POST
def case_placement_place(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _placement_case(request, code)
    form = CasePlaceForm(request.POST)
    if not form.is_valid():
        return _placement_page(request, case, place_form=form, status=422)
    attorney = form.cleaned_data["attorney"]
    try:
        case_place_by_coordinator(
            case=case,
            attorney=attorney,
            actor=request.user,
            over_capacity_ok=form.cleaned_data["over_capacity_ok"],
        )
    except PlacementError as error:
        status = 409 if error.code == "taken" else 422
        return _placement_page(request, case, place_form=form, errors=error.reasons, status=status)
    messages.success(
        request,
        _("%(code)s was placed with %(name)s, who has been told by e-mail.")
        % {"code": case.code, "name": attorney.full_name},
    )
    return redirect("cases:placement", code=case.code)


@login_required
@require_POST
def case_placement_withdrawal(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = _placement_case(request, code)
    form = CaseWithdrawalForm(request.POST)
    if not form.is_valid():
        return _placement_page(request, case, withdrawal_form=form, status=422)
    try:
        case_withdrawal_record(
            case=case,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            back_on_board=form.cleaned_data["back_on_board"],
        )
    except PlacementError as error:
        return _placement_page(
            request, case, withdrawal_form=form, errors=error.reasons, status=409
        )
    messages.success(request, _("The withdrawal was recorded; the history keeps it."))
    return redirect("cases:placement", code=case.code)


@login_required
@require_POST
def case_placement_request_decide(
    request: AuthenticatedRequest, code: str, request_id: int
) -> HttpResponse:
    case = _placement_case(request, code)
    placement_request = get_object_or_404(
        PlacementRequest.objects.select_related("case", "attorney"), pk=request_id, case=case
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        return _placement_page(
            request, case, errors=[_("Choose to approve or decline the request.")], status=422
        )
    try:
        placement_request_decide(
            request=placement_request, actor=request.user, approve=decision == "approve"
        )
    except PlacementError as error:
        status = 409 if error.code == "taken" else 422
        return _placement_page(request, case, errors=error.reasons, status=status)
    if decision == "approve":
        messages.success(request, _("Request approved: the case is placed."))
    else:
        messages.success(request, _("Request declined; the attorney has been told."))
    return redirect("cases:placement", code=case.code)


@login_required
def placement_requests(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "cases.place_case")
    pending = (
        PlacementRequest.objects.filter(status=PlacementRequest.Status.PENDING)
        .select_related("case", "attorney")
        .order_by("created_at")
    )
    return render(request, "cases/placement_requests.html", {"pending": pending})
