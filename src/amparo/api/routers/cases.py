"""Cases: submit one (partners and coordinators), read its status, and, for a verified
attorney, reveal the parties' names for the conflict check and take it."""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from amparo.api.errors import ApiError, invalid, not_found, responses
from amparo.api.intake import case_submission_record, case_submission_validate
from amparo.api.routers.deadlines import deadline_out
from amparo.api.schemas import (
    CASE_CODE_PATTERN,
    CaseCreatedOut,
    CaseIn,
    CaseOut,
    PartiesOut,
    TakeIn,
    TakeOut,
)
from amparo.cases.board import board_case_get
from amparo.cases.models import Case, ConflictAttestation, Hearing, Stage
from amparo.cases.placement import (
    ATTESTATION_VALID_FOR,
    PlacementError,
    case_attest_no_conflict,
    case_parties_reveal,
    case_take,
)
from amparo.cases.services import case_file_record_view
from amparo.core.policy import authorize, can
from amparo.deadlines.models import CaseDeadline
from amparo.deadlines.selectors import BIRTH_DATE_RULES

router = Router(tags=["cases"])

CaseCode = Path(..., pattern=CASE_CODE_PATTERN, description="The case code, e.g. AMP-26-0042.")


@router.post(
    "/cases",
    response={201: CaseCreatedOut, **responses(400, 401, 404, 422, 429)},
    summary="Submit a case",
)
def case_submit(request: HttpRequest, payload: CaseIn) -> Status:
    """A partner organization's staff (or a coordinator) submits a case: the client, family
    members, adverse parties, court, detention, hearings and key dates. It goes through the
    same checks as the web intake (every problem comes back as 422 with `fields`, by path in
    the body), then the conflict check runs and the deadlines are computed. Answers 201 with
    the case code, the `id` of every other call. Other roles get 404."""
    authorize(request.user, "cases.add_case")
    submission, errors = case_submission_validate(payload)
    if submission is None:
        raise invalid(errors)
    try:
        case = case_submission_record(actor=request.user, submission=submission)
    except ValidationError as error:
        raise invalid({"hearings": [str(m) for m in error.messages]}) from None
    return Status(201, {"id": case.code, "stage": case.stage})


def _case_for_status(code: str) -> Case | None:
    upcoming = Hearing.objects.filter(
        status=Hearing.Status.SCHEDULED, starts_at__gte=timezone.now()
    ).order_by("starts_at", "pk")
    return (
        Case.objects.select_related("court", "attorney_of_record", "mentor")
        .prefetch_related(Prefetch("hearings", queryset=upcoming, to_attr="upcoming_hearings"))
        .filter(code=code)
        .first()
    )


def _mentoring_status(case: Case) -> dict[str, Any]:
    from amparo.mentoring.models import MentoringRequest, Mentorship

    request = (
        MentoringRequest.objects.filter(case=case).only("id", "status").order_by("-pk").first()
    )
    mentorship = (
        Mentorship.objects.filter(case=case)
        .exclude(status=Mentorship.Status.DECLINED)
        .select_related("mentor")
        .order_by("-pk")
        .first()
    )
    return {
        "request_id": request.pk if request else None,
        "request_status": request.status if request else None,
        "mentorship_status": mentorship.status if mentorship else None,
        "mentor": mentorship.mentor.full_name if mentorship else None,
    }


class CaseQuery(Schema):
    include: Literal["client"] | None = Field(
        None, description="`client`: add the client's identity (audited; file access only)."
    )


@router.get(
    "/cases/{str:code}",
    response={200: CaseOut, **responses(401, 404, 422, 429)},
    summary="A case's status",
)
def case_status(
    request: HttpRequest, query: Query[CaseQuery], code: str = CaseCode
) -> dict[str, Any]:
    """The case's stage; and, for those allowed to see the case file (program staff, the
    attorney of record, the staff of the organization that placed it, a mentor it is shared
    with) and for the case's mentor: the attorney of record, the next hearing, the deadlines and
    the mentoring status. A verified attorney gets only the stage of a case open for placement
    (the board has its anonymized card). The client's identity is never included unless you ask
    with `?include=client` and may see the file; each such read is written to the audit log
    (8 CFR 208.6; 8 U.S.C. 1367). A case that does not exist and one you may not see both
    answer 404."""
    user = request.user
    case = _case_for_status(code)
    if case is None or not can(user, "cases.view_case_summary", case):
        raise not_found()
    sees_file = can(user, "cases.view_case_file", case)
    works_on_it = sees_file or (case.mentor_id is not None and case.mentor_id == user.pk)
    upcoming: list[Hearing] = getattr(case, "upcoming_hearings", [])
    deadlines: list[CaseDeadline] = []
    if works_on_it:
        deadlines = [
            deadline
            for deadline in case.deadlines.select_related("case").order_by("date", "rule", "pk")
            # A date computed from a birth date gives the birth date away: the file's readers.
            if sees_file or deadline.rule not in BIRTH_DATE_RULES
        ]
    client = None
    if query.include == "client" and sees_file:
        case_file_record_view(case=case, viewer=user, request=request)
        person = case.client
        client = {
            "full_name": person.full_name,
            "a_number": person.a_number,
            "date_of_birth": person.date_of_birth,
            "country_of_nationality": person.country_of_nationality,
        }
    return {
        "id": case.code,
        "case_type": case.case_type,
        "stage": case.stage,
        "court": case.court.name if case.court else None,
        "attorney_of_record": case.attorney_of_record.full_name
        if works_on_it and case.attorney_of_record
        else None,
        "next_hearing": {"kind": upcoming[0].kind, "starts_at": upcoming[0].starts_at}
        if works_on_it and upcoming
        else None,
        "deadlines": [deadline_out(d) for d in deadlines] if works_on_it else None,
        "mentoring": _mentoring_status(case) if works_on_it else None,
        "client": client,
    }


def _placement_refused(error: PlacementError) -> ApiError:
    if error.code == "taken":
        return ApiError(409, "taken", _("Another attorney has this case."), reasons=error.reasons)
    return ApiError(
        403,
        "not_eligible",
        _("You cannot take this case yet: see the reasons."),
        reasons=error.reasons,
    )


@router.post(
    "/cases/{str:code}/parties",
    response={200: PartiesOut, **responses(401, 403, 404, 409, 422, 429)},
    summary="Step 1 of taking a case: see the parties' names for the conflict check",
)
def case_parties(request: HttpRequest, code: str = CaseCode) -> dict[str, Any]:
    """For a verified attorney and a case on the board: the names of the client, the family
    members and the adverse parties, so that you can check them against your and your firm's
    clients. Each reveal is written to the audit log. Then, within 12 hours, take the case with
    `POST /cases/{id}/take`. 403 (with `reasons`) when you cannot take the case yet, 409 when
    another attorney has it, 404 when it is not on the board or you may not use the board."""
    authorize(request.user, "cases.take_case")
    case = board_case_get(code=code)
    if case is None:
        raise not_found()
    try:
        names = case_parties_reveal(case=case, attorney=request.user, request=request)
    except PlacementError as error:
        raise _placement_refused(error) from None
    return {
        "id": case.code,
        "names": names,
        "attest_within_hours": int(ATTESTATION_VALID_FOR.total_seconds() // 3600),
    }


@router.post(
    "/cases/{str:code}/take",
    response={200: TakeOut, 202: TakeOut, **responses(400, 401, 403, 404, 409, 422, 429)},
    summary="Step 2 of taking a case: attest no conflict and take it",
)
def case_take_endpoint(request: HttpRequest, payload: TakeIn, code: str = CaseCode) -> Status:
    """As on the board: first `POST /cases/{id}/parties` to see the names, then this call with
    `{"no_conflict_attested": true}` to attest that you have no conflict of interest and take
    the case. Exactly one attorney wins a case however many take it at once. 200 when the case
    is yours (also when it already was); 202 when the program approves placements itself and
    your request went to a coordinator; 403 with `reasons` (the unmet requirements, e.g. a
    training, capacity, the names not revealed yet) when you cannot take it; 409 when another
    attorney has it; 422 when `no_conflict_attested` is not true."""
    user: Any = request.user
    authorize(user, "cases.take_case")
    case = Case.objects.filter(code=code).first()
    if case is None:
        raise not_found()
    if case.attorney_of_record_id == user.pk and case.stage == Stage.PLACED:
        return Status(200, _taken_out(case, "placed"))
    if case.stage != Stage.READY or case.attorney_of_record_id is not None:
        # Only an attorney who saw this case on the board learns that it is gone.
        if ConflictAttestation.objects.filter(case=case, attorney=user).exists():
            raise ApiError(409, "taken", _("This case is no longer open for placement."))
        raise not_found()
    if not payload.no_conflict_attested:
        raise invalid(
            {
                "no_conflict_attested": [
                    _("Confirm that you have no conflict of interest (true) to take the case.")
                ]
            }
        )
    try:
        case_attest_no_conflict(case=case, attorney=user)
        case_take(case=case, attorney=user)
    except PlacementError as error:
        raise _placement_refused(error) from None
    if settings.AMPARO_PLACEMENT_REQUIRES_APPROVAL:
        return Status(202, _taken_out(case, "requested"))
    return Status(200, _taken_out(case, "placed"))


def _taken_out(case: Case, status: str) -> dict[str, Any]:
    message = (
        _("Your request was sent to the coordinator.")
        if status == "requested"
        else _("The case is yours. Its deadlines and plan are ready.")
    )
    return {"id": case.code, "status": status, "message": message}
