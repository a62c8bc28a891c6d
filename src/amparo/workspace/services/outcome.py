"""The result of the case, the decision it records for the deadline engine, and closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases.models import Case, CaseType, Outcome, Stage
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.deadlines import services as deadline_services
from amparo.mentoring_work.services import mentorships_close_for_case
from amparo.workspace.models import WithdrawalRequest

#: Court decisions the respondent can appeal to the BIA: a denial, and a grant of withholding or
#: CAT protection only (asylum itself was denied). 8 CFR 1003.38.
APPEALABLE_OUTCOMES = frozenset({Outcome.DENIED, Outcome.WITHHOLDING, Outcome.CAT})
_COMMON_OUTCOMES = [Outcome.PENDING, Outcome.GRANTED, Outcome.DENIED, Outcome.WITHDRAWN]
_OUTCOMES_BY_CASE_TYPE = {
    CaseType.DEFENSIVE_ASYLUM: [
        *_COMMON_OUTCOMES,
        Outcome.WITHHOLDING,
        Outcome.CAT,
        Outcome.ADMIN_CLOSED,
        Outcome.DISMISSED,
    ],
    CaseType.AFFIRMATIVE_ASYLUM: _COMMON_OUTCOMES,
    CaseType.U_VISA: [
        Outcome.PENDING,
        Outcome.U_APPROVED,
        Outcome.U_WAITING_LIST,
        Outcome.DENIED,
        Outcome.WITHDRAWN,
    ],
}


def outcome_choices_for(case: Case) -> list[tuple[str, str]]:
    """The results that make sense for the case type (labels in the active language)."""
    outcomes = _OUTCOMES_BY_CASE_TYPE.get(CaseType(case.case_type), _COMMON_OUTCOMES)
    return [(o.value, str(o.label)) for o in outcomes]


def outcome_is_appealable(case: Case, outcome: str) -> bool:
    """Before the immigration court only: USCIS decisions are not appealed to the BIA."""
    return case.case_type == CaseType.DEFENSIVE_ASYLUM and outcome in APPEALABLE_OUTCOMES


def _clear_decision(case: Case) -> None:
    case.decision_date = None
    case.decision_kind = ""
    case.decision_memo_mailed = None
    case.appeal_waived = False
    case.final_order_date = None


@transaction.atomic
def case_outcome_record(
    *,
    case: Case,
    actor: Any,
    outcome: str,
    decision_date: dt.date | None = None,
    decision_kind: str = "",
    memo_mailed: dt.date | None = None,
    appeal_waived: bool = False,
    today: dt.date | None = None,
) -> Case:
    """Record the result and its date. A court decision that can be appealed is recorded as a
    decision too, so that the deadline engine computes the BIA appeal (BIA_APPEAL_30) and the
    motion deadlines; "pending" clears what was recorded."""
    today = today or timezone.localdate()
    allowed = {value for value, _label in outcome_choices_for(case)}
    errors: dict[str, str] = {}
    if outcome not in allowed:
        errors["outcome"] = _("Choose a result that applies to this type of case.")
    elif outcome != Outcome.PENDING:
        if decision_date is None:
            errors["decision_date"] = _("Give the date of the decision.")
        elif decision_date > today:
            errors["decision_date"] = _("The decision date cannot be in the future.")
        elif case.last_arrival and decision_date < case.last_arrival:
            errors["decision_date"] = _(
                "The decision date cannot be before the client's last arrival."
            )
        if outcome_is_appealable(case, outcome) and decision_kind not in ("oral", "written"):
            errors["decision_kind"] = _(
                "Say whether the judge decided orally or in writing: the appeal deadline "
                "counts from it."
            )
        if memo_mailed and decision_date and memo_mailed < decision_date:
            errors["memo_mailed"] = _(
                "The written decision cannot be mailed before the decision date."
            )
        if memo_mailed and memo_mailed > today:
            errors["memo_mailed"] = _("This date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    case.outcome = outcome
    case.outcome_date = decision_date if outcome != Outcome.PENDING else None
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=case,
        data={"outcome": outcome or "pending"},
    )
    if outcome_is_appealable(case, outcome):
        assert decision_date is not None  # checked above
        # Saves the outcome here, then the decision there, and recomputes: BIA_APPEAL_30 and the
        # motions (decision_record saves only the decision's own fields).
        case.save(update_fields=["outcome", "outcome_date", "updated_at"])
        return deadline_services.decision_record(
            case=case,
            actor=actor,
            kind=decision_kind,
            date=decision_date,
            memo_mailed=memo_mailed,
            appeal_waived=appeal_waived,
        )
    _clear_decision(case)
    case.save(
        update_fields=[
            "outcome",
            "outcome_date",
            "decision_date",
            "decision_kind",
            "decision_memo_mailed",
            "appeal_waived",
            "final_order_date",
            "updated_at",
        ]
    )
    deadline_services.case_deadlines_recompute(case=case)
    return case


@transaction.atomic
def case_close(*, case: Case, actor: Any) -> Case:
    """Close the case once its result is recorded: it leaves the active lists (archived, still
    readable), and its mentoring is closed with it."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage == Stage.CLOSED:
        raise ValidationError(_("This case is already closed."))
    if not locked.outcome:
        raise ValidationError(_("Record the outcome of the case before closing it."))
    if locked.withdrawal_requests.filter(status=WithdrawalRequest.Status.PENDING).exists():
        raise ValidationError(
            _("A withdrawal request is waiting for a coordinator: it must be decided first.")
        )
    locked.stage = Stage.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["stage", "closed_at", "updated_at"])
    mentorships_close_for_case(case=locked, actor=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=locked,
        data={"closed": True, "outcome": locked.outcome},
    )
    return locked
