"""Writes around deadlines: recomputation from the case's facts, custom and judge-set dates,
hearings and decisions that move them, and the case plan (milestones)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases.models import Case, Hearing, OpposingFiling, Stage
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.deadlines.domain.business_days import us_federal_calendar
from amparo.deadlines.domain.engine import compute_case
from amparo.deadlines.domain.plans import milestone_due_date
from amparo.deadlines.domain.results import CaseResult, RuleId
from amparo.deadlines.models import (
    Anchor,
    CaseDeadline,
    CaseFlag,
    DeadlineSource,
    Milestone,
    MilestoneTemplate,
)
from amparo.deadlines.selectors import (
    case_facts_for_engine,
    case_hearings_for_engine,
    extra_closure_dates,
    hearing_local_date,
)


def _date_detail(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def case_deadlines_recompute(*, case: Case, today: dt.date | None = None) -> CaseResult:
    """Recompute every rule-based deadline and flag of the case from its stored facts.

    Custom deadlines stay; computed ones and flags are replaced (they are derived data). Milestone
    due dates that count from a deadline follow it unless someone set them by hand.
    """
    today = today or timezone.localdate()
    case = (
        Case.objects.select_related("court", "client")
        .prefetch_related("hearings", "opposing_filings", "client__family_members")
        .select_for_update(of=("self",))
        .get(pk=case.pk)
    )
    result = compute_case(
        case_facts_for_engine(case=case, today=today),
        calendar=us_federal_calendar(extra_closure_dates()),
    )
    hearings = case_hearings_for_engine(case=case)
    case.deadlines.exclude(source=DeadlineSource.CUSTOM).delete()
    case.flags.all().delete()
    CaseDeadline.objects.bulk_create(deadline_rows_build(case, result, hearings))
    CaseFlag.objects.bulk_create(flag_rows_build(case, result))
    _milestones_refresh_due_dates(case=case, result=result, hearings=hearings)
    # The board card ranks by the nearest hearing and filing deadline.
    from amparo.cases.placement import case_board_refresh

    case_board_refresh(case=case, today=today)
    return result


def deadline_rows_build(
    case: Case, result: CaseResult, hearings: list[Hearing]
) -> list[CaseDeadline]:
    """The unsaved CaseDeadline rows of an engine result (`hearings` in the engine's order)."""
    rows = []
    for deadline in result.deadlines:
        hearing = None
        if deadline.applies_to and deadline.applies_to.startswith("hearing:"):
            hearing = hearings[int(deadline.applies_to.split(":")[1])]
        rows.append(
            CaseDeadline(
                case=case,
                rule=deadline.rule.value,
                source=deadline.source.value,
                applies_to=deadline.applies_to or "",
                hearing=hearing,
                date=deadline.date,
                safe_target=deadline.safe_target,
                details={k: _date_detail(v) for k, v in deadline.details.items()},
                citation=deadline.citation,
                explanation_en=deadline.explanation.en,
                explanation_es=deadline.explanation.es,
            )
        )
    return rows


def flag_rows_build(case: Case, result: CaseResult) -> list[CaseFlag]:
    """The unsaved CaseFlag rows of an engine result."""
    return [
        CaseFlag(
            case=case,
            code=flag.code.value,
            applies_to=flag.applies_to or "",
            message_en=flag.message.en,
            message_es=flag.message.es,
        )
        for flag in result.flags
    ]


def new_cases_deadlines_compute(
    *, cases: Sequence[Case], hearings: Sequence[list[Hearing]], today: dt.date
) -> list[CaseResult]:
    """The first half of `case_deadlines_recompute` for new cases of a bulk import, before they
    are inserted: each case's deadlines and flags computed in memory by the engine, and the
    board card facts `case_board_refresh` would then write set on the case, so the INSERT
    carries them. Write the results with `new_cases_deadlines_insert` once the cases and their
    hearings are saved.

    `hearings[i]` holds `cases[i]`'s hearings (not saved yet either). The cases must carry their
    court and client, with the client's family members saved and prefetched, and nothing else:
    such a case has no opposing filing, custom deadline, flag or milestone yet, so there is
    nothing to delete or to move."""
    from amparo.cases.bulk import cases_board_fill
    from amparo.cases.placement import URGENT_RULES

    calendar = us_federal_calendar(extra_closure_dates())
    results = []
    next_deadlines = []
    for case, case_hearings in zip(cases, hearings, strict=True):
        facts = case_facts_for_engine(case=case, today=today, new_case_hearings=case_hearings)
        result = compute_case(facts, calendar=calendar)
        results.append(result)
        # What case_board_refresh reads back from the deadlines written from this result.
        next_deadlines.append(
            min(
                (
                    deadline.date
                    for deadline in result.deadlines
                    if deadline.rule.value in URGENT_RULES and deadline.date >= today
                ),
                default=None,
            )
        )
    cases_board_fill(cases=cases, hearings=hearings, next_deadlines=next_deadlines, today=today)
    return results


def new_cases_deadlines_insert(
    *,
    cases: Sequence[Case],
    hearings: Sequence[list[Hearing]],
    results: Sequence[CaseResult],
) -> None:
    """Write the deadlines and flags `new_cases_deadlines_compute` computed, in bulk, once the
    cases and their hearings are saved (the deadlines point at them)."""
    from amparo.cases.bulk import records_insert

    deadlines: list[CaseDeadline] = []
    flags: list[CaseFlag] = []
    for case, case_hearings, result in zip(cases, hearings, results, strict=True):
        scheduled = case_hearings_for_engine(case=case, hearings=case_hearings)
        deadlines += deadline_rows_build(case, result, scheduled)
        flags += flag_rows_build(case, result)
    records_insert(CaseDeadline, deadlines)
    records_insert(CaseFlag, flags)


def _anchor_dates(case: Case, result: CaseResult, hearings: list[Hearing]) -> dict[str, Any]:
    time_zone = case.court.time_zone if case.court else None
    today = result.as_of

    def next_hearing(kind: str) -> Hearing | None:
        upcoming = [
            h for h in hearings if h.kind == kind and hearing_local_date(h, time_zone) >= today
        ]
        return upcoming[0] if upcoming else None

    def first(rule: RuleId, *, hearing: Hearing | None = None, safe: bool = False) -> Any:
        for deadline in result.deadlines_for(rule):
            if hearing is not None and deadline.applies_to != f"hearing:{hearings.index(hearing)}":
                continue
            return (deadline.safe_target or deadline.date) if safe else deadline.date
        return None

    master = next_hearing(Hearing.Kind.MASTER)
    individual = next_hearing(Hearing.Kind.INDIVIDUAL)
    supb = result.deadlines_for(RuleId.UVISA_SUPB_6_MONTHS)
    return {
        Anchor.PLACEMENT: timezone.localdate(case.placed_at) if case.placed_at else None,
        Anchor.NEXT_MASTER_HEARING: hearing_local_date(master, time_zone) if master else None,
        Anchor.NEXT_INDIVIDUAL_HEARING: hearing_local_date(individual, time_zone)
        if individual
        else None,
        Anchor.PREHEARING_FILING_SAFE_TARGET: first(
            RuleId.ICPM_PREHEARING, hearing=individual, safe=True
        )
        if individual
        else None,
        Anchor.ONE_YEAR_DEADLINE: first(RuleId.ASYLUM_ONE_YEAR),
        Anchor.EAD_EARLIEST_FILING: first(RuleId.ASYLUM_EAD_FILE_150),
        Anchor.SUPPLEMENT_B_SIGNED: case.supplement_b_signed,
        Anchor.SUPPLEMENT_B_LAST_SAFE_RECEIPT: supb[0].date if supb else None,
        Anchor.USCIS_RESPONSE_DUE: first(RuleId.USCIS_RESPONSE),
    }


def _milestones_refresh_due_dates(
    *, case: Case, result: CaseResult, hearings: list[Hearing]
) -> None:
    anchors = _anchor_dates(case, result, hearings)
    changed = []
    for milestone in case.milestones.filter(due_date_set_by_hand=False).exclude(anchor=""):
        due = milestone_due_date(
            anchor=milestone.anchor, offset_days=milestone.offset_days, anchor_dates=anchors
        )
        if due != milestone.due_date:
            milestone.due_date = due
            changed.append(milestone)
    Milestone.objects.bulk_update(changed, ["due_date"])


@transaction.atomic
def case_plan_create(*, case: Case) -> list[Milestone]:
    """Turn the case type's milestone template into the case plan (once per case)."""
    if case.milestones.exists():
        return list(case.milestones.all())
    template = (
        MilestoneTemplate.objects.filter(case_type=case.case_type).prefetch_related("items").first()
    )
    if template is None:
        return []
    milestones = Milestone.objects.bulk_create(
        Milestone(
            case=case,
            template_item=item,
            order=item.order,
            title_en=item.title_en,
            title_es=item.title_es,
            anchor=item.anchor,
            offset_days=item.offset_days,
            owner_role=item.owner_role,
        )
        for item in template.items.all()
    )
    case_deadlines_recompute(case=case)
    return milestones


def milestone_set_status(*, milestone: Milestone, actor: Any, status: str) -> Milestone:
    if status not in Milestone.Status.values:
        raise ValidationError(_("Choose a valid status."))
    milestone.status = status
    done = status == Milestone.Status.DONE
    milestone.completed_at = timezone.now() if done else None
    milestone.completed_by = actor if done else None
    milestone.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
    return milestone


def milestone_set_due_date(*, milestone: Milestone, due_date: dt.date | None) -> Milestone:
    """A due date set by hand stays put when deadlines move; clearing it returns to the rule."""
    milestone.due_date_set_by_hand = due_date is not None
    milestone.due_date = due_date
    milestone.save(update_fields=["due_date", "due_date_set_by_hand", "updated_at"])
    if due_date is None:
        case_deadlines_recompute(case=milestone.case)
        milestone.refresh_from_db()
    return milestone


@transaction.atomic
def deadline_add_custom(*, case: Case, actor: Any, title: str, date: dt.date) -> CaseDeadline:
    deadline = CaseDeadline.objects.create(
        case=case,
        rule="CUSTOM",
        source=DeadlineSource.CUSTOM,
        date=date,
        title=title.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=case,
        data={"deadline_added": deadline.pk},
    )
    return deadline


def deadline_set_done(*, deadline: CaseDeadline, actor: Any, done: bool = True) -> CaseDeadline:
    if deadline.source != DeadlineSource.CUSTOM:
        raise ValidationError(_("Only deadlines the team added can be marked done."))
    deadline.completed_at = timezone.now() if done else None
    deadline.save(update_fields=["completed_at", "updated_at"])
    return deadline


@transaction.atomic
def hearing_record_ij_deadline(
    *, hearing: Hearing, actor: Any, deadline: dt.date | None
) -> Hearing:
    """The judge's filing date controls over the manual's default (ICPM ch. 3.1(b))."""
    case = hearing.case
    if deadline is not None:
        hearing_day = hearing_local_date(hearing, case.court.time_zone if case.court else None)
        if deadline > hearing_day:
            raise ValidationError(
                {"deadline": _("The judge's filing deadline cannot be after the hearing.")}
            )
    hearing.ij_filing_deadline = deadline
    hearing.save(update_fields=["ij_filing_deadline", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=case,
        data={
            "hearing": hearing.pk,
            "ij_filing_deadline": deadline.isoformat() if deadline else None,
        },
    )
    case_deadlines_recompute(case=case)
    return hearing


def hearing_check_after_arrival(case: Case, starts_at: dt.datetime) -> None:
    """Refuse (ValidationError) a hearing before the client's last arrival."""
    if case.last_arrival and timezone.localtime(starts_at).date() < case.last_arrival:
        raise ValidationError(
            {"starts_at": _("A hearing cannot be before the client's last arrival.")}
        )


@transaction.atomic
def hearing_add(
    *, case: Case, actor: Any, kind: str, starts_at: dt.datetime, ruling_requested: bool = False
) -> Hearing:
    hearing_check_after_arrival(case, starts_at)
    hearing = Hearing.objects.create(
        case=case, kind=kind, starts_at=starts_at, ruling_requested=ruling_requested
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=case,
        data={"hearing_added": hearing.pk},
    )
    case_deadlines_recompute(case=case)
    return hearing


@transaction.atomic
def hearing_reschedule(*, hearing: Hearing, actor: Any, starts_at: dt.datetime) -> Hearing:
    """Keep the old hearing (status rescheduled) and schedule the new date; deadlines move."""
    case = hearing.case
    hearing_check_after_arrival(case, starts_at)
    hearing.status = Hearing.Status.RESCHEDULED
    hearing.save(update_fields=["status", "updated_at"])
    new = Hearing.objects.create(
        case=case,
        kind=hearing.kind,
        starts_at=starts_at,
        ruling_requested=hearing.ruling_requested,
        rescheduled_from=hearing,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=case,
        data={"hearing_rescheduled": hearing.pk, "to": new.pk},
    )
    case_deadlines_recompute(case=case)
    return new


@transaction.atomic
def decision_record(
    *,
    case: Case,
    actor: Any,
    kind: str,
    date: dt.date,
    memo_mailed: dt.date | None = None,
    appeal_waived: bool = False,
    final_order: bool = True,
) -> Case:
    if memo_mailed and memo_mailed < date:
        raise ValidationError(
            {"memo_mailed": _("The written decision cannot be mailed before the decision date.")}
        )
    case.decision_kind = kind
    case.decision_date = date
    case.decision_memo_mailed = memo_mailed
    case.appeal_waived = appeal_waived
    if final_order:
        case.final_order_date = memo_mailed or date
    # Only the decision's fields: a facts edit committed meanwhile must not be undone.
    case.save(
        update_fields=[
            "decision_kind",
            "decision_date",
            "decision_memo_mailed",
            "appeal_waived",
            "final_order_date",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CASE_UPDATED, target=case, data={"decision": kind}
    )
    case_deadlines_recompute(case=case)
    return case


@transaction.atomic
def opposing_filing_add(
    *, case: Case, actor: Any, received_on: dt.date, description: str = ""
) -> OpposingFiling:
    filing = OpposingFiling.objects.create(
        case=case, received_on=received_on, description=description
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CASE_UPDATED, target=case, data={"filing": filing.pk}
    )
    case_deadlines_recompute(case=case)
    return filing


def case_deadlines_recompute_open(*, today: dt.date | None = None) -> int:
    """Recompute every case not closed: flags such as ONE_YEAR_DEADLINE_MISSED or
    REQUEST_NEW_SUPB depend on today's date, not only on the facts."""
    count = 0
    for case in Case.objects.exclude(stage=Stage.CLOSED).only("pk").iterator(chunk_size=500):
        case_deadlines_recompute(case=case, today=today)
        count += 1
    return count
