"""Publishing a screened case on the board, ranking it, and placing it with one attorney.

Exactly one attorney wins a case however many take it at once: the take is a single conditional
UPDATE (stage READY and no attorney of record -> PLACED), so the database decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
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
    Placement,
    PlacementRequest,
    Stage,
)
from amparo.cases.services import case_event_record, placement_history_open
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
    next_deadline = (
        case.deadlines.filter(rule__in=URGENT_RULES, date__gte=today, completed_at__isnull=True)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    board_card_fill(
        case=case,
        hearings=list(case.hearings.all()),
        next_deadline=next_deadline,
        today=today,
        now=timezone.now(),
    )
    Case.objects.filter(pk=case.pk).update(
        urgency=case.urgency,
        urgency_factors=case.urgency_factors,
        client_age_band=case.client_age_band,
        has_children=case.has_children,
        board_languages=case.board_languages,
        next_hearing_on=case.next_hearing_on,
    )
    return case


def board_card_fill(
    *,
    case: Case,
    hearings: Iterable[Hearing],
    next_deadline: dt.date | None,
    today: dt.date,
    now: dt.datetime,
) -> None:
    """Set the card facts and the urgency score on `case` without saving: the one calculation
    behind case_board_refresh, the bulk import and seed_scale. `hearings` are the case's own,
    `next_deadline` its next open URGENT_RULES deadline from today; the client's family members
    should be prefetched."""
    client = case.client
    next_hearing = min(
        (
            timezone.localdate(h.starts_at)
            for h in hearings
            if h.status == Hearing.Status.SCHEDULED and timezone.localdate(h.starts_at) >= today
        ),
        default=None,
    )
    client_age = _age(client.date_of_birth, today)
    children_involved = any(m.relationship == "child" for m in client.family_members.all()) or (
        client_age is not None and client_age < 18
    )
    # A new case not inserted yet has no created_at: it is created now.
    waiting_since = case.ready_at or case.created_at or now
    result = urgency_score(
        UrgencyFacts(
            days_to_next_hearing=(next_hearing - today).days if next_hearing else None,
            days_to_next_filing_deadline=(next_deadline - today).days if next_deadline else None,
            detained=case.detained,
            children_involved=children_involved,
            unaccompanied_child=case.is_unaccompanied_child,
            days_waiting=max(0, (now - waiting_since).days) if case.stage == Stage.READY else 0,
        )
    )
    case.urgency = result.score
    case.urgency_factors = [
        {"factor": f.factor, "points": f.points, "en": f.en, "es": f.es} for f in result.factors
    ]
    case.client_age_band = age_band(client_age)
    case.has_children = children_involved
    codes = case.languages or client.languages or []
    case.board_languages = "".join(f",{code}" for code in codes) + "," if codes else ""
    case.next_hearing_on = next_hearing


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
        result.reasons += _conflict_reasons(case, attorney)
        if _declared_conflict_matches(case, attorney):
            result.reasons.append(
                _(
                    "A name you declared as a conflict, or your firm's name, may match someone "
                    "in this case. A coordinator can review it with you."
                )
            )
        from amparo.trainings.selectors import gate_reasons

        # The trainings the program requires for this kind of case (trainings' Gate).
        result.reasons += gate_reasons(
            user=attorney,
            action=f"take_case:{case.case_type}",
            language=translation.get_language(),
        )
    return result


def _declared_conflict_matches(case: Case, attorney: Any) -> bool:
    from amparo.conflicts.services import conflict_check_attorney

    return bool(conflict_check_attorney(attorney_user=attorney, case=case))


def _conflict_reasons(case: Case, attorney: Any) -> list[str]:
    """Open hits stop every placement; a confirmed one stops the attorney it concerns."""
    from amparo.conflicts.models import ConflictHit

    reasons = []
    hits = ConflictHit.objects.filter(case=case).exclude(status=ConflictHit.Status.CLEARED)
    open_hits = hits.filter(status=ConflictHit.Status.OPEN)
    if open_hits.exclude(
        Q(matched_type="declared_conflict") & ~Q(matched_attorney_id=attorney.pk)
    ).exists():
        reasons.append(_("A possible conflict of interest on this case is still being reviewed."))
    if (
        hits.filter(status=ConflictHit.Status.CONFIRMED)
        .filter(Q(matched_attorney_id=attorney.pk) | Q(matched_case__attorney_of_record=attorney))
        .exists()
    ):
        reasons.append(_("A conflict of interest with this attorney was confirmed on this case."))
    return reasons


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
        placement_history_open(
            case=case, attorney=attorney, actor=attorney, how=Placement.How.BOARD
        )
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


def coordinator_placement_blockers(
    *, case: Case, attorney: Any, over_capacity_ok: bool = False
) -> list[str]:
    """Why a coordinator cannot place this case with this attorney (empty: they can).

    Capacity is the attorney's own limit: a coordinator who has talked to them may go over it;
    verification and conflicts can never be overridden."""
    reasons: list[str] = []
    profile = AttorneyProfile.objects.filter(user=attorney).first()
    if attorney.role != Role.ATTORNEY or profile is None or not attorney.is_active:
        return [_("Only volunteer attorneys can be placed on cases.")]
    if not profile.is_verified:
        reasons.append(_("This attorney's bar standing has not been verified."))
    if case.attorney_of_record_id or case.stage in (Stage.PLACED, Stage.CLOSED):
        reasons.append(_("This case is no longer open for placement."))
    if not over_capacity_ok and attorney_active_case_count(attorney=attorney) >= profile.capacity:
        reasons.append(
            _(
                "This attorney is at their capacity of %(capacity)s active cases: confirm that "
                "they agreed to take one more."
            )
            % {"capacity": profile.capacity}
        )
    reasons += _conflict_reasons(case, attorney)
    from amparo.trainings.selectors import gate_reasons

    # Required trainings cannot be overridden either; told in the coordinator's language.
    reasons += gate_reasons(
        user=attorney,
        action=f"take_case:{case.case_type}",
        language=translation.get_language(),
        third_person=True,
    )
    return reasons


def case_place_by_coordinator(
    *, case: Case, attorney: Any, actor: Any, over_capacity_ok: bool = False
) -> Case:
    """A coordinator places the case directly (any pending requests for it are declined)."""
    from amparo.cases.services import CasePlacementError, case_place

    reasons = coordinator_placement_blockers(
        case=case, attorney=attorney, over_capacity_ok=over_capacity_ok
    )
    if reasons:
        raise PlacementError(reasons)
    with transaction.atomic():
        try:
            placed = case_place(
                case=case, attorney=attorney, actor=actor, how=Placement.How.COORDINATOR
            )
        except CasePlacementError as error:
            raise PlacementError([str(error)], code="taken") from error
        _pending_requests_decline(case=placed, actor=actor)
        transaction.on_commit(
            lambda: _notify_attorney(case_id=placed.pk, attorney_id=attorney.pk, placed=True)
        )
    return placed


def _pending_requests_decline(*, case: Case, actor: Any) -> None:
    PlacementRequest.objects.filter(case=case, status=PlacementRequest.Status.PENDING).update(
        status=PlacementRequest.Status.DECLINED, decided_by=actor, decided_at=timezone.now()
    )


def placement_request_decide(*, request: PlacementRequest, actor: Any, approve: bool) -> None:
    """Approve (the attorney becomes attorney of record) or decline an attorney's request."""
    from amparo.cases.services import CasePlacementError, case_place

    if request.status != PlacementRequest.Status.PENDING:
        raise PlacementError([_("This request was already decided.")], code="taken")
    if approve:
        # The attorney asked under their own capacity; conflicts may have appeared since.
        reasons = coordinator_placement_blockers(
            case=request.case, attorney=request.attorney, over_capacity_ok=True
        )
        if reasons:
            raise PlacementError(reasons)
    with transaction.atomic():
        request.status = (
            PlacementRequest.Status.APPROVED if approve else PlacementRequest.Status.DECLINED
        )
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        if approve:
            try:
                case_place(
                    case=request.case,
                    attorney=request.attorney,
                    actor=actor,
                    how=Placement.How.REQUEST,
                )
            except CasePlacementError as error:
                raise PlacementError([str(error)], code="taken") from error
            _pending_requests_decline(case=request.case, actor=actor)
        transaction.on_commit(
            lambda: _notify_attorney(
                case_id=request.case_id, attorney_id=request.attorney_id, placed=approve
            )
        )


@transaction.atomic
def case_withdrawal_record(*, case: Case, actor: Any, reason: str, back_on_board: bool) -> Case:
    """The attorney of record withdrew: close their placement (the history stays), take the file
    away from them, and put the case back on the board or back to screening."""
    reason = reason.strip()
    if not reason:
        raise PlacementError([_("Give the reason for the withdrawal.")], code="invalid")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    former = locked.attorney_of_record_id
    if former is None:
        raise PlacementError([_("This case has no attorney of record.")], code="invalid")
    now = timezone.now()
    for placement in Placement.objects.filter(case=locked, ended_at__isnull=True):
        placement.ended_at = now
        placement.ended_by = actor
        placement.end_reason = reason  # saved through the model, so the field encrypts it
        placement.save(update_fields=["ended_at", "ended_by", "end_reason"])
    locked.attorney_of_record = None
    locked.placed_at = None
    locked.stage = Stage.READY if back_on_board else Stage.SCREENING
    locked.save(update_fields=["attorney_of_record", "placed_at", "stage", "updated_at"])
    ConflictAttestation.objects.filter(case=locked).update(attested_at=None)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_WITHDRAWN,
        target=locked,
        data={"attorney_id": former, "back_on_board": back_on_board},
    )
    case_event_record(
        case=locked, kind=CaseEvent.Kind.WITHDRAWN, actor=actor, data={"attorney_id": former}
    )
    if back_on_board:
        locked.ready_at = now
        locked.published_at = now
        locked.save(update_fields=["ready_at", "published_at"])
        case_board_refresh(case=locked)
        case_event_record(case=locked, kind=CaseEvent.Kind.PUBLISHED, actor=actor)
    return locked


def placement_history_for_case(*, case: Case) -> list[Placement]:
    return list(case.placements.select_related("attorney", "placed_by", "ended_by"))


def placement_candidates(*, case: Case) -> list[dict[str, Any]]:
    """Verified attorneys a coordinator can choose from, with their load and whether they share
    a language with the client; a fixed number of queries whatever the number of attorneys."""
    profiles = list(
        AttorneyProfile.objects.filter(
            verification_status=AttorneyProfile.Verification.VERIFIED, user__is_active=True
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )
    load = attorney_load_by_id(attorney_ids=[p.user_id for p in profiles])
    languages = set(case.languages or case.client.languages or [])
    candidates: list[dict[str, Any]] = []
    for profile in profiles:
        active = load.get(profile.user_id, 0)
        candidates.append(
            {
                "attorney": profile.user,
                "active": active,
                "capacity": profile.capacity,
                "at_capacity": active >= profile.capacity,
                "shares_language": bool(languages & set(profile.languages)),
            }
        )
    candidates.sort(
        key=lambda c: (
            c["at_capacity"],
            not c["shares_language"],
            c["active"] / max(c["capacity"], 1),
        )
    )
    return candidates


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


_ATTORNEY_PLACED_SUBJECT = gettext_lazy("%(code)s is now your case")
_ATTORNEY_DECLINED_SUBJECT = gettext_lazy("%(code)s: your request was not approved")


def _notify_attorney(*, case_id: int, attorney_id: int, placed: bool) -> None:
    case = Case.objects.get(pk=case_id)
    attorney = User.objects.get(pk=attorney_id)
    with translation.override(attorney.language):
        subject = str(_ATTORNEY_PLACED_SUBJECT if placed else _ATTORNEY_DECLINED_SUBJECT) % {
            "code": case.code
        }
        body = render_to_string(
            "cases/email/attorney_placement.txt",
            {"case": case, "placed": placed, "site_url": settings.AMPARO_SITE_URL},
        )
    send_mail(subject, body, None, [attorney.email])
