"""Reads of the mentoring program: the queue, each person's lists, the state of a case's
mentoring (request, eligibility, mentorship, agreement, intro video, meetings) and what stops the
first meeting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amparo.accounts.models import Role
from amparo.cases.models import Case, Stage
from amparo.mentoring.eligibility import EligibilityResult, eligibility_evaluate
from amparo.mentoring.models import (
    AgreementSignature,
    MentoringAgreement,
    MentoringMeeting,
    MentoringRequest,
    Mentorship,
)

FIRST_MEETING_GATE = "mentor_first_meeting"

QUEUE_FILTERS = ("open", "waiting", "invited", "matched", "closed", "all")


def _queue_statuses(name: str) -> list[str] | None:
    S = MentoringRequest.Status
    choices: dict[str, list[str] | None] = {
        "open": [S.PENDING, S.PROPOSED],
        "waiting": [S.PENDING],
        "invited": [S.PROPOSED],
        "matched": [S.MATCHED],
        "closed": [S.WITHDRAWN, S.CLOSED],
        "all": None,
    }
    return choices.get(name, [S.PENDING, S.PROPOSED])


def _with_current_mentorship(requests: QuerySet[MentoringRequest]) -> QuerySet[MentoringRequest]:
    return requests.prefetch_related(
        Prefetch(
            "mentorships",
            queryset=Mentorship.objects.select_related("mentor").order_by("-created_at", "-pk"),
        )
    )


def request_queue(*, status: str = "open") -> QuerySet[MentoringRequest]:
    """Requests for program staff, oldest first (the hearing soonest matters most; staff see
    it in the row)."""
    requests = MentoringRequest.objects.select_related(
        "case", "case__court", "attorney", "requested_by"
    )
    statuses = _queue_statuses(status)
    if statuses is not None:
        requests = requests.filter(status__in=statuses)
    return _with_current_mentorship(requests).order_by("created_at", "pk")


def request_list_for_partner(*, user: Any) -> QuerySet[MentoringRequest]:
    """The requests on cases the partner's organization placed, newest first."""
    return _with_current_mentorship(
        MentoringRequest.objects.filter(case__placing_organization_id=user.organization_id)
        .select_related("case", "attorney", "requested_by")
        .order_by("-created_at", "-pk")
    )


def case_list_for_mentee(*, user: Any) -> QuerySet[Case]:
    """The attorney's placed cases, each with whether a mentor request is open."""
    open_request = MentoringRequest.objects.filter(
        case=OuterRef("pk"), status__in=MentoringRequest.OPEN_STATUSES
    )
    return (
        Case.objects.filter(attorney_of_record=user, stage=Stage.PLACED)
        .select_related("court", "mentor")
        .annotate(has_open_request=Exists(open_request))
        .order_by("code")
    )


def cases_open_for_partner_request(*, user: Any) -> QuerySet[Case]:
    """Cases the partner's organization placed with an attorney and without an open request."""
    open_request = MentoringRequest.objects.filter(
        case=OuterRef("pk"), status__in=MentoringRequest.OPEN_STATUSES
    )
    return (
        Case.objects.filter(
            placing_organization_id=user.organization_id,
            stage=Stage.PLACED,
            attorney_of_record__isnull=False,
        )
        .annotate(has_open_request=Exists(open_request))
        .filter(has_open_request=False)
        .select_related("attorney_of_record")
        .order_by("code")
    )


def invitations_for_mentor(*, mentor: Any) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(mentor=mentor, status=Mentorship.Status.INVITED)
        .select_related("case", "case__court", "mentee", "request")
        .order_by("confirmed_at", "pk")
    )


def mentorships_for_mentor(*, mentor: Any) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(
            mentor=mentor, status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.CLOSED]
        )
        .select_related("case", "case__court", "mentee")
        .order_by("status", "-started_at", "-pk")
    )


def mentoring_request_get(*, pk: int) -> MentoringRequest | None:
    return (
        MentoringRequest.objects.select_related(
            "case", "case__court", "case__placing_organization", "attorney", "requested_by"
        )
        .filter(pk=pk)
        .first()
    )


def signature_get(*, pk: int) -> AgreementSignature | None:
    return (
        AgreementSignature.objects.select_related(
            "agreement", "mentee", "mentorship", "mentorship__mentor", "mentorship__case"
        )
        .filter(pk=pk)
        .first()
    )


def signature_of_current_agreement(
    *, mentee: Any
) -> tuple[MentoringAgreement | None, AgreementSignature | None]:
    agreement = MentoringAgreement.objects.current()
    if agreement is None:
        return None, None
    signature = AgreementSignature.objects.filter(agreement=agreement, mentee=mentee).first()
    return agreement, signature


def first_meeting_blockers(*, mentorship: Mentorship, viewer: Any = None) -> list[str]:
    """What stops the first meeting: the agreement's current version unsigned, and the courses
    of the trainings gate "mentor_first_meeting" (the intro video) not complete. The reasons are
    addressed to the mentee, or speak of them when someone else (the mentor) reads them."""
    from amparo.trainings.selectors import gate_reasons

    mentee = mentorship.mentee
    to_mentee = viewer is None or viewer.pk == mentee.pk
    reasons: list[str] = []
    agreement, signature = signature_of_current_agreement(mentee=mentee)
    if agreement is None:
        reasons.append(_("The program has not published the mentoring agreement yet."))
    elif signature is None:
        reasons.append(
            _("Sign the mentoring agreement first.")
            if to_mentee
            else _("The mentee has not signed the mentoring agreement yet.")
        )
    reasons += gate_reasons(
        user=mentee,
        action=FIRST_MEETING_GATE,
        language=get_language(),
        third_person=not to_mentee,
    )
    return reasons


@dataclass
class CaseMentoring:
    """Everything the mentoring page of a case shows."""

    case: Case
    request: MentoringRequest | None
    mentorship: Mentorship | None
    eligibility: EligibilityResult | None
    agreement: MentoringAgreement | None
    signature: AgreementSignature | None
    gate_ok: bool
    gate_missing: list[Any] = field(default_factory=list)
    meetings: list[MentoringMeeting] = field(default_factory=list)
    first_meeting_blockers: list[str] = field(default_factory=list)
    past_requests: list[MentoringRequest] = field(default_factory=list)

    @property
    def first_meeting(self) -> MentoringMeeting | None:
        return next((m for m in self.meetings if m.is_first), None)

    @property
    def first_meeting_held(self) -> bool:
        return any(m.held for m in self.meetings)


def case_mentoring_state(*, case: Case, viewer: Any, refresh: bool = True) -> CaseMentoring:
    """The mentoring of the case as of now. With `refresh` the request's cached eligibility
    verdict (shown in the queue) is updated from this evaluation."""
    from amparo.trainings.selectors import gate_check

    requests = list(
        MentoringRequest.objects.filter(case=case).select_related("attorney").order_by("-pk")
    )
    current = next((r for r in requests if r.is_open), None)
    mentorship = None
    if current is not None:
        mentorship = (
            Mentorship.objects.filter(request=current)
            .exclude(status=Mentorship.Status.DECLINED)
            .select_related("mentor", "mentee")
            .order_by("-pk")
            .first()
        )
    if mentorship is None:
        mentorship = (
            Mentorship.objects.filter(case=case, status=Mentorship.Status.CLOSED)
            .select_related("mentor", "mentee")
            .order_by("-pk")
            .first()
            if current is None
            else None
        )
    eligibility = None
    if current is not None:
        if refresh:
            from amparo.mentoring.services import mentoring_request_eligibility_refresh

            eligibility = mentoring_request_eligibility_refresh(request=current)
        else:
            eligibility = eligibility_evaluate(request=current)
    mentee = (
        current.attorney if current is not None else (mentorship.mentee if mentorship else None)
    )
    if mentee is None and case.attorney_of_record_id is not None:
        mentee = case.attorney_of_record
    agreement, signature = signature_of_current_agreement(mentee=mentee) if mentee else (None, None)
    gate = gate_check(user=mentee, action=FIRST_MEETING_GATE) if mentee else None
    meetings = (
        list(mentorship.meetings.select_related("booked_by").order_by("starts_at", "pk"))
        if mentorship
        else []
    )
    blockers: list[str] = []
    if mentorship is not None and mentorship.status == Mentorship.Status.ACTIVE and not meetings:
        blockers = first_meeting_blockers(mentorship=mentorship, viewer=viewer)
    return CaseMentoring(
        case=case,
        request=current,
        mentorship=mentorship,
        eligibility=eligibility,
        agreement=agreement,
        signature=signature,
        gate_ok=gate.ok if gate else False,
        gate_missing=list(gate.missing) if gate else [],
        meetings=meetings,
        first_meeting_blockers=blockers,
        past_requests=[r for r in requests if not r.is_open],
    )


def viewer_is_mentee(*, viewer: Any, state: CaseMentoring) -> bool:
    return bool(
        viewer.role == Role.ATTORNEY
        and state.case.attorney_of_record_id == viewer.pk
        and (state.request is None or state.request.attorney_id == viewer.pk)
    )
