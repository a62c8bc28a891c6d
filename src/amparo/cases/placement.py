"""Publishing a screened case on the board, ranking it, and placing it with one attorney.

Exactly one attorney wins a case however many take it at once: the take is a single conditional
UPDATE (stage READY and no attorney of record -> PLACED), so the database decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.accounts.models import Role, User
from amparo.cases.domain.urgency import UrgencyFacts, age_band, urgency_score
from amparo.cases.models import (
    Case,
    CaseEvent,
    ConflictAttestation,
    Hearing,
    PlacementRequest,
    Stage,
)
from amparo.cases.services import case_event_record
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.people.models import AttorneyProfile

# Filing deadlines that make a case urgent (birthdays and work-permit dates do not).
URGENT_RULES = (
    "ICPM_PREHEARING",
    "ICPM_RESPONSE_10",
    "ASYLUM_ONE_YEAR",
    "BIA_APPEAL_30",
    "UVISA_SUPB_6_MONTHS",
    "USCIS_RESPONSE",
    "CUSTOM",
)
# How long a conflict attestation stays good for taking the case.
ATTESTATION_VALID_FOR = dt.timedelta(hours=12)


class PlacementError(Exception):
    """The take was refused; `reasons` say why in the user's language."""

    def __init__(self, reasons: list[str], *, code: str = "not_eligible") -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.code = code


def _age(born: dt.date | None, today: dt.date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def case_board_refresh(*, case: Case, today: dt.date | None = None) -> Case:
    """Recompute the card facts and the urgency score (after facts or deadlines change)."""
    today = today or timezone.localdate()
    client = case.client
    hearings = [
        h
        for h in case.hearings.all()
        if h.status == Hearing.Status.SCHEDULED and timezone.localdate(h.starts_at) >= today
    ]
    next_hearing = min((timezone.localdate(h.starts_at) for h in hearings), default=None)
    next_deadline = (
        case.deadlines.filter(rule__in=URGENT_RULES, date__gte=today, completed_at__isnull=True)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    family = list(client.family_members.all())
    children = [m for m in family if m.relationship == "child"]
    client_age = _age(client.date_of_birth, today)
    waiting_since = case.ready_at or case.created_at
    result = urgency_score(
        UrgencyFacts(
            days_to_next_hearing=(next_hearing - today).days if next_hearing else None,
            days_to_next_filing_deadline=(next_deadline - today).days if next_deadline else None,
            detained=case.detained,
            children_involved=bool(children) or (client_age is not None and client_age < 18),
            unaccompanied_child=case.is_unaccompanied_child,
            days_waiting=max(0, (timezone.now() - waiting_since).days)
            if case.stage == Stage.READY and waiting_since
            else 0,
        )
    )
    case.urgency = result.score
    case.urgency_factors = [
        {"factor": f.factor, "points": f.points, "en": f.en, "es": f.es} for f in result.factors
    ]
    case.client_age_band = age_band(client_age)
    case.has_children = bool(children) or (client_age is not None and client_age < 18)
    codes = case.languages or client.languages or []
    case.board_languages = "".join(f",{code}" for code in codes) + "," if codes else ""
    case.next_hearing_on = next_hearing
    Case.objects.filter(pk=case.pk).update(
        urgency=case.urgency,
        urgency_factors=case.urgency_factors,
        client_age_band=case.client_age_band,
        has_children=case.has_children,
        board_languages=case.board_languages,
        next_hearing_on=case.next_hearing_on,
    )
    return case


@transaction.atomic
def case_publish(*, case: Case, actor: Any) -> Case:
    """Put a screened case on the board (stage READY)."""
    case.stage = Stage.READY
    case.ready_at = case.ready_at or timezone.now()
    case.published_at = timezone.now()
    case.save(update_fields=["stage", "ready_at", "published_at", "updated_at"])
    case_board_refresh(case=case)
    case_event_record(case=case, kind=CaseEvent.Kind.PUBLISHED, actor=actor)
    return case


@dataclass
class Eligibility:
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons


def attorney_active_case_count(*, attorney: Any) -> int:
    return Case.objects.filter(attorney_of_record=attorney, stage=Stage.PLACED).count()


def attorney_eligibility(*, attorney: Any, case: Case | None = None) -> Eligibility:
    """May this attorney take (this) case, and if not, what is missing — in plain words."""
    result = Eligibility()
    profile = AttorneyProfile.objects.filter(user=attorney).first()
    if attorney.role != Role.ATTORNEY or profile is None:
        result.reasons.append(_("Only volunteer attorneys can take cases."))
        return result
    if not profile.is_verified:
        result.reasons.append(_("A coordinator must verify your bar standing first."))
    if attorney_active_case_count(attorney=attorney) >= profile.capacity:
        result.reasons.append(
            _("You are at your capacity of %(capacity)s active cases: raise it in your profile.")
            % {"capacity": profile.capacity}
        )
    if case is not None:
        if case.stage != Stage.READY or case.attorney_of_record_id:
            result.reasons.append(_("This case is no longer open for placement."))
        if _open_conflicts(case):
            result.reasons.append(
                _("A possible conflict of interest on this case is still being reviewed.")
            )
    return result


def _open_conflicts(case: Case) -> bool:
    from amparo.conflicts.selectors import conflict_open_hits_exist

    return conflict_open_hits_exist(case=case)


@transaction.atomic
def case_parties_reveal(*, case: Case, attorney: Any, request: Any = None) -> list[str]:
    """Show the attorney the parties' names to check for conflicts; the reveal is audited."""
    eligibility = attorney_eligibility(attorney=attorney, case=case)
    if not eligibility.ok:
        raise PlacementError(eligibility.reasons)
    ConflictAttestation.objects.update_or_create(
        case=case, attorney=attorney, defaults={"attested_at": None}
    )
    audit_record(
        actor=attorney,
        action=AuditEvent.Action.PARTIES_REVEALED,
        target=case,
        request=request,
        data={"case_code": case.code},
    )
    case_event_record(case=case, kind=CaseEvent.Kind.PARTIES_REVEALED, actor=attorney)
    client = case.client
    names = [client.full_name]
    names += [m.full_name for m in client.family_members.all()]
    names += [p.name for p in client.adverse_parties.all()]
    return names


def _attested(case: Case, attorney: Any) -> bool:
    attestation = ConflictAttestation.objects.filter(case=case, attorney=attorney).first()
    return bool(
        attestation
        and attestation.attested_at
        and timezone.now() - attestation.attested_at <= ATTESTATION_VALID_FOR
    )


def case_attest_no_conflict(*, case: Case, attorney: Any) -> None:
    updated = ConflictAttestation.objects.filter(case=case, attorney=attorney).update(
        attested_at=timezone.now()
    )
    if not updated:
        raise PlacementError([_("Review the names of the people in the case first.")])


def case_take(*, case: Case, attorney: Any) -> Case:
    """The attorney takes the case, or asks for it when the program approves placements.

    Raises PlacementError with code "not_eligible" (with reasons) or "taken" (someone else won).
    """
    from amparo.deadlines.services import case_plan_create

    eligibility = attorney_eligibility(attorney=attorney, case=case)
    if not _attested(case, attorney):
        eligibility.reasons.append(_("Attest that you have no conflict of interest first."))
    if not eligibility.ok:
        if case.stage != Stage.READY or case.attorney_of_record_id:
            raise PlacementError(eligibility.reasons, code="taken")
        raise PlacementError(eligibility.reasons)
    if settings.AMPARO_PLACEMENT_REQUIRES_APPROVAL:
        placement_request_create(case=case, attorney=attorney)
        return case
    with transaction.atomic():
        won = Case.objects.filter(
            pk=case.pk, stage=Stage.READY, attorney_of_record__isnull=True
        ).update(stage=Stage.PLACED, attorney_of_record=attorney, placed_at=timezone.now())
        if not won:
            raise PlacementError([_("Another attorney took this case a moment ago.")], code="taken")
        case.refresh_from_db()
        audit_record(
            actor=attorney,
            action=AuditEvent.Action.CASE_PLACED,
            target=case,
            data={"attorney_id": attorney.pk, "how": "taken from the board"},
        )
        case_event_record(case=case, kind=CaseEvent.Kind.PLACED, actor=attorney)
        case_plan_create(case=case)
        transaction.on_commit(lambda: _notify_coordinators_placed(case_id=case.pk))
    return case


@transaction.atomic
def placement_request_create(*, case: Case, attorney: Any) -> PlacementRequest:
    request, created = PlacementRequest.objects.get_or_create(
        case=case, attorney=attorney, status=PlacementRequest.Status.PENDING
    )
    if created:
        case_event_record(case=case, kind=CaseEvent.Kind.REQUESTED, actor=attorney)
        transaction.on_commit(lambda: _notify_coordinators_placed(case_id=case.pk, requested=True))
    return request


@transaction.atomic
def placement_request_decide(*, request: PlacementRequest, actor: Any, approve: bool) -> None:
    from amparo.cases.services import case_place

    request.status = (
        PlacementRequest.Status.APPROVED if approve else PlacementRequest.Status.DECLINED
    )
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if approve:
        case_place(case=request.case, attorney=request.attorney, actor=actor)
        PlacementRequest.objects.filter(
            case=request.case, status=PlacementRequest.Status.PENDING
        ).update(
            status=PlacementRequest.Status.DECLINED, decided_by=actor, decided_at=timezone.now()
        )


_PLACED_SUBJECT = gettext_lazy("%(code)s was placed")
_REQUESTED_SUBJECT = gettext_lazy("%(code)s: an attorney asks to take the case")


def _notify_coordinators_placed(*, case_id: int, requested: bool = False) -> None:
    case = Case.objects.select_related("attorney_of_record").get(pk=case_id)
    for coordinator in User.objects.filter(role=Role.COORDINATOR, is_active=True):
        with translation.override(coordinator.language):
            subject = str(_REQUESTED_SUBJECT if requested else _PLACED_SUBJECT) % {
                "code": case.code
            }
            body = render_to_string(
                "cases/email/placed.txt",
                {"case": case, "requested": requested, "site_url": settings.AMPARO_SITE_URL},
            )
        send_mail(subject, body, None, [coordinator.email])


def attorney_load_by_id(*, attorney_ids: list[int]) -> dict[int, int]:
    rows = (
        Case.objects.filter(attorney_of_record_id__in=attorney_ids, stage=Stage.PLACED)
        .values("attorney_of_record_id")
        .annotate(n=Count("id"))
    )
    return {row["attorney_of_record_id"]: row["n"] for row in rows}
