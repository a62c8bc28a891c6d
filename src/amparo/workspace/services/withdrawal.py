"""The attorney's request to withdraw and the coordinator's decision (with the hand-off packet)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases.models import Case, Stage
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.workspace import notifications
from amparo.workspace.handoff import handoff_snapshot
from amparo.workspace.models import HandoffPacket, WithdrawalRequest


@transaction.atomic
def withdrawal_request_create(*, case: Case, attorney: Any, reason: str) -> WithdrawalRequest:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    if case.attorney_of_record_id != attorney.pk or case.stage != Stage.PLACED:
        raise ValidationError(_("Only the attorney of record of a placed case can withdraw."))
    if case.withdrawal_requests.filter(status=WithdrawalRequest.Status.PENDING).exists():
        raise ValidationError(_("Your withdrawal request is already waiting for a coordinator."))
    try:
        with transaction.atomic():
            request = WithdrawalRequest.objects.create(case=case, attorney=attorney, reason=reason)
    except IntegrityError as error:  # a second click at the same moment
        raise ValidationError(
            _("Your withdrawal request is already waiting for a coordinator.")
        ) from error
    audit_record(
        actor=attorney,
        action=AuditEvent.Action.CASE_UPDATED,
        target=case,
        data={"withdrawal_requested": request.pk},
    )
    transaction.on_commit(lambda: notifications.withdrawal_requested_notify(request_id=request.pk))
    return request


@transaction.atomic
def withdrawal_request_decide(
    *, request: WithdrawalRequest, actor: Any, approve: bool, note: str = ""
) -> WithdrawalRequest:
    """Approve: the hand-off packet is prepared from the case as it stands, the withdrawal is
    recorded (cases.placement) and the case goes back to the board. Decline: the attorney stays
    attorney of record. Either way the attorney is told."""
    from amparo.cases.placement import PlacementError, case_withdrawal_record

    locked = WithdrawalRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != WithdrawalRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided."))
    case = Case.objects.select_related("court", "detention_facility", "mentor").get(
        pk=locked.case_id
    )
    locked.status = (
        WithdrawalRequest.Status.APPROVED if approve else WithdrawalRequest.Status.DECLINED
    )
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    if approve:
        if case.attorney_of_record_id != locked.attorney_id:
            raise ValidationError(_("This attorney is no longer the attorney of record."))
        snapshot = handoff_snapshot(case=case)
        try:
            case_withdrawal_record(case=case, actor=actor, reason=locked.reason, back_on_board=True)
        except PlacementError as error:
            raise ValidationError(error.reasons) from error
        HandoffPacket.objects.create(
            case=case,
            withdrawal_request=locked,
            former_attorney_id=locked.attorney_id,
            created_by=actor,
            content=json.dumps(snapshot),
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=case,
        data={"withdrawal_request": locked.pk, "decision": locked.status},
    )
    transaction.on_commit(lambda: notifications.withdrawal_decided_notify(request_id=locked.pk))
    return locked
