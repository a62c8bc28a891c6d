"""Mentorship requests: ask for a mentor for a case, and follow the request's steps. The
mentoring app's own form, policy, service and selectors do the work (amparo.mentoring)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.responses import Status

from amparo.api.errors import ApiError, invalid, not_found, responses
from amparo.api.pagination import MAX_ID
from amparo.api.schemas import MentorshipRequestIn, MentorshipRequestOut
from amparo.cases.models import Case
from amparo.core.policy import can, get_for_user_or_404
from amparo.mentoring import selectors, services
from amparo.mentoring.checklist import mentee_checklist
from amparo.mentoring.eligibility import eligibility_evaluate
from amparo.mentoring.forms import MentoringRequestForm
from amparo.mentoring.models import MentoringRequest, Mentorship
from amparo.mentoring.services import MentoringError

router = Router(tags=["mentoring"])


def _request_out(mentoring_request: MentoringRequest, viewer: Any) -> dict[str, Any]:
    case = mentoring_request.case
    mentorship = (
        Mentorship.objects.filter(request=mentoring_request)
        .exclude(status=Mentorship.Status.DECLINED)
        .select_related("mentor")
        .order_by("-pk")
        .first()
    )
    items: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    if mentoring_request.is_open:
        # Read-only: the queue's cached verdict is refreshed by the web pages and the daily job.
        eligibility = eligibility_evaluate(request=mentoring_request)
        items = [
            {
                "label": item.label,
                "met": item.met,
                "overridden": item.overridden,
                "found": item.found,
                "how_to_fix": item.how_to_fix if not item.ok else "",
            }
            for item in eligibility.items
        ]
        state = selectors.case_mentoring_state(case=case, viewer=viewer, refresh=False)
        if state.request is not None and state.request.pk == mentoring_request.pk:
            steps = [
                {
                    "number": step.number,
                    "title": step.title,
                    "state": step.state,
                    "detail": step.detail,
                }
                for step in mentee_checklist(state)
            ]
    return {
        "id": mentoring_request.pk,
        "case": case.code,
        "status": mentoring_request.status,
        "status_label": mentoring_request.get_status_display(),
        "source": mentoring_request.source,
        "created_at": mentoring_request.created_at,
        "eligibility_ok": mentoring_request.eligibility_ok,
        "eligibility": items,
        "mentorship_status": mentorship.status if mentorship else None,
        "mentor": mentorship.mentor.full_name if mentorship else None,
        "steps": steps,
    }


@router.post(
    "/mentorship-requests",
    response={201: MentorshipRequestOut, **responses(400, 401, 404, 409, 422, 429)},
    summary="Ask for a mentor for a case",
)
def mentorship_request_create(request: HttpRequest, payload: MentorshipRequestIn) -> Status[Any]:
    """The attorney of record, the staff of the organization that placed the case, or program
    staff ask for an expert mentor for a placed case. The program's mentee requirements are then
    checked automatically (see `eligibility` and `steps` in the answer). 404 when you may not ask
    for this case; 409 when the case already has an open request; 422 for bad input or when a
    mentor cannot be asked for yet (e.g. no attorney of record), with the reasons."""
    user = request.user
    case = get_for_user_or_404(
        Case.objects.select_related("court", "attorney_of_record"),
        user=user,
        permission="mentoring.request_for_case",
        code=payload.case,
    )
    form = MentoringRequestForm(
        data={"help_wanted": payload.help_wanted, "languages": payload.languages}
    )
    if not form.is_valid():
        raise invalid({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    try:
        created = services.mentoring_request_create(
            case=case,
            actor=user,
            help_wanted=form.cleaned_data["help_wanted"],
            languages=form.cleaned_data["languages"],
            source=MentoringRequest.Source.API,
            http_request=request,
        )
    except MentoringError as error:
        already_open = MentoringRequest.objects.filter(
            case=case, status__in=MentoringRequest.OPEN_STATUSES
        ).exists()
        if error.code in ("taken", "state", "capacity") or already_open:
            raise ApiError(
                409, "taken", _("A mentor cannot be asked for now."), reasons=error.reasons
            ) from None
        raise ApiError(
            422, "invalid", _("A mentor cannot be asked for now."), reasons=error.reasons
        ) from None
    mentoring_request = selectors.mentoring_request_get(pk=created.pk)
    assert mentoring_request is not None
    return Status(201, _request_out(mentoring_request, user))


@router.get(
    "/mentorship-requests/{int:request_id}",
    response={200: MentorshipRequestOut, **responses(401, 404, 422, 429)},
    summary="A mentorship request and its steps",
)
def mentorship_request_detail(
    request: HttpRequest,
    request_id: int = Path(..., ge=1, le=MAX_ID),
) -> dict[str, Any]:
    """The request's status, the mentee requirements (met or not, and how to meet them), the
    mentor once matched, and the six steps of the program (request, requirements, match,
    agreement and intro video, first meeting, mentoring through the case). For the mentee,
    the staff of the organization that placed the case, and program staff; anyone else gets
    404, as for a request that does not exist."""
    mentoring_request = selectors.mentoring_request_get(pk=request_id)
    if mentoring_request is None or not can(
        request.user, "mentoring.view_request", mentoring_request
    ):
        raise not_found()
    return _request_out(mentoring_request, request.user)
