"""Writes (and audited reads) of cases."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases.models import Case, CaseCodeCounter, CaseEvent, Stage
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent


def case_file_record_view(*, case: Case, viewer: Any, request: HttpRequest | None = None) -> None:
    """Every read of a client file is written to the audit log (8 CFR 208.6; 8 U.S.C. 1367)."""
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditEvent.Action.CLIENT_FILE_VIEWED,
            target=case,
            request=request,
            data={"client_id": case.client_id, "case_code": case.code},
        )


def case_code_next(*, year: int) -> str:
    """Codes like AMP-26-0042: what e-mails and calendars say instead of a client's name.

    Call inside the transaction that saves the case: the counter row stays locked until it
    commits, so concurrent callers queue instead of sharing a number."""
    prefix = f"AMP-{year % 100:02d}-"
    if not CaseCodeCounter.objects.filter(year=year).exists():
        # First case of the year (or codes created before the counter): start after the highest.
        last = (
            Case.objects.filter(code__startswith=prefix)
            .order_by("-code")
            .values_list("code", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                CaseCodeCounter.objects.create(
                    year=year, last_number=int(last.removeprefix(prefix)) if last else 0
                )
        except IntegrityError:
            pass  # another transaction created it first
    CaseCodeCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
    number = CaseCodeCounter.objects.get(year=year).last_number
    return f"{prefix}{number:04d}"


@transaction.atomic
def case_create(
    *, actor: Any, client: Any, case_type: str, placing_organization: Any, **facts: Any
) -> Case:
    code = case_code_next(year=timezone.localdate().year)
    case = Case.objects.create(
        code=code,
        client=client,
        case_type=case_type,
        placing_organization=placing_organization,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **facts,
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CASE_CREATED, target=case, data={"case_code": code}
    )
    case_event_record(case=case, kind=CaseEvent.Kind.CREATED, actor=actor)
    return case


@transaction.atomic
def case_place(*, case: Case, attorney: Any, actor: Any, how: str = "coordinator") -> Case:
    """Make the attorney the attorney of record, keep the placement history, open the case plan.

    Callers check eligibility (placement.py); here the case row is locked and must be unplaced,
    so two placements can never both win.
    """
    from amparo.deadlines.services import case_plan_create

    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.attorney_of_record_id or locked.stage in (Stage.PLACED, Stage.CLOSED):
        raise CasePlacementError(_("This case has already been placed."))
    locked.attorney_of_record = attorney
    locked.stage = Stage.PLACED
    locked.placed_at = timezone.now()
    locked.save(update_fields=["attorney_of_record", "stage", "placed_at", "updated_at"])
    placement_history_open(case=locked, attorney=attorney, actor=actor, how=how)
    case_plan_create(case=locked)
    return locked


def placement_history_open(*, case: Case, attorney: Any, actor: Any, how: str) -> None:
    """Record a new attorney of record: placement history, audit log and case timeline."""
    from amparo.cases.models import Placement

    Placement.objects.create(
        case=case,
        attorney=attorney,
        how=how,
        placed_by=actor if getattr(actor, "is_authenticated", False) else None,
        placed_at=case.placed_at or timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_PLACED,
        target=case,
        data={"attorney_id": attorney.pk, "how": how},
    )
    case_event_record(
        case=case,
        kind=CaseEvent.Kind.PLACED,
        actor=actor,
        data={"attorney_id": attorney.pk, "how": how},
    )


class CasePlacementError(Exception):
    pass


def case_event_record(
    *, case: Case, kind: str, actor: Any = None, data: dict[str, Any] | None = None
) -> CaseEvent:
    """Add to the case's timeline (call inside the service's transaction)."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data=data or {},
    )
