"""The mentoring plan: written at the logged first meeting from the case type's template, with
due dates counted from the case's own dates as the case plan counts them; milestones edited
afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases.models import Case
from amparo.deadlines.domain.business_days import us_federal_calendar
from amparo.deadlines.domain.engine import compute_case
from amparo.deadlines.domain.plans import milestone_due_date
from amparo.deadlines.selectors import (
    case_facts_for_engine,
    case_hearings_for_engine,
    extra_closure_dates,
)

# The case plan's own anchoring (private in deadlines.services): reused so that a mentoring
# milestone "hearing minus 60 days" means exactly what a case-plan milestone means.
from amparo.deadlines.services import _anchor_dates
from amparo.mentoring.models import Mentorship
from amparo.mentoring_work.models import (
    MentoringAnchor,
    MentoringPlan,
    MentoringPlanTemplate,
    MilestoneKind,
    MilestoneOwner,
    PlanMilestone,
)
from amparo.mentoring_work.services._common import (
    EARLIEST_DATE,
    MAX_DUE_YEARS,
    MAX_NOTES_LENGTH,
    _audit,
    _lock,
    _require_active,
    _require_participant,
)

# --- anchors: the case plan's own computation --------------------------------------------------


def case_anchor_dates(*, case: Case, today: dt.date | None = None) -> dict[str, dt.date | None]:
    """The dates the case plan's milestones count from (placement, next hearings, the pre-hearing
    filing safe target, the one-year deadline...), computed exactly as the case plan does:
    the deadline engine's result passed through deadlines.services' anchoring."""
    today = today or timezone.localdate()
    case = (
        Case.objects.select_related("court", "client")
        .prefetch_related("hearings", "opposing_filings", "client__family_members")
        .get(pk=case.pk)
    )
    result = compute_case(
        case_facts_for_engine(case=case, today=today),
        calendar=us_federal_calendar(extra_closure_dates()),
    )
    anchors: dict[str, Any] = _anchor_dates(case, result, case_hearings_for_engine(case=case))
    return {str(key): value for key, value in anchors.items()}


def _anchors_for(mentorship: Mentorship, plan: MentoringPlan | None) -> dict[str, dt.date | None]:
    anchors = case_anchor_dates(case=mentorship.case)
    anchors[MentoringAnchor.FIRST_MEETING] = (
        timezone.localdate(plan.first_meeting_at) if plan is not None else None
    )
    return anchors


def _due(milestone: PlanMilestone, anchors: Mapping[str, dt.date | None]) -> dt.date | None:
    if not milestone.anchor:
        return None
    return milestone_due_date(
        anchor=milestone.anchor, offset_days=milestone.offset_days, anchor_dates=anchors
    )


# --- the plan ----------------------------------------------------------------------------------


@transaction.atomic
def plan_create_at_first_meeting(
    *, mentorship: Mentorship, actor: Any, met_at: dt.datetime, mode: str, notes: str = ""
) -> MentoringPlan:
    """Log the first meeting and write the plan from the case type's template: milestones with
    owners and due dates counted from the case's deadlines (editable afterwards)."""
    mentorship = _lock(mentorship)
    _require_active(mentorship)
    _require_participant(mentorship, actor)
    if MentoringPlan.objects.filter(mentorship=mentorship).exists():
        raise ValidationError(_("The plan of this mentorship is already written."))
    errors: dict[str, str] = {}
    if mode not in MentoringPlan.MeetingMode.values:
        errors["mode"] = _("Say whether you met in person or by video.")
    if timezone.is_naive(met_at):
        met_at = timezone.make_aware(met_at)
    if met_at > timezone.now():
        errors["met_at"] = _(
            "Log the first meeting once it has happened: the time is in the future."
        )
    elif mentorship.started_at and met_at < mentorship.started_at - dt.timedelta(days=1):
        errors["met_at"] = _("The first meeting cannot be before the mentorship started.")
    if len(notes) > MAX_NOTES_LENGTH:
        errors["notes"] = _("The notes are too long (at most %(max)s characters).") % {
            "max": MAX_NOTES_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    template = (
        MentoringPlanTemplate.objects.filter(case_type=mentorship.case.case_type)
        .prefetch_related("steps")
        .first()
    )
    plan = MentoringPlan.objects.create(
        mentorship=mentorship,
        template=template,
        first_meeting_at=met_at,
        first_meeting_mode=mode,
        first_meeting_notes=notes.strip(),
        created_by=actor,
    )
    if template is not None:
        anchors = _anchors_for(mentorship, plan)
        milestones = []
        for step in template.steps.all():
            milestone = PlanMilestone(
                mentorship=mentorship,
                template_step=step,
                order=step.order,
                title_en=step.title_en,
                title_es=step.title_es,
                kind=step.kind,
                owner=step.owner,
                anchor=step.anchor,
                offset_days=step.offset_days,
            )
            milestone.due_date = _due(milestone, anchors)
            if (
                step.anchor == MentoringAnchor.FIRST_MEETING
                and step.offset_days == 0
                and step.kind == MilestoneKind.MEETING
            ):
                # The first meeting itself: it is what is being logged.
                milestone.status = PlanMilestone.Status.DONE
                milestone.completed_at = timezone.now()
            milestones.append(milestone)
        PlanMilestone.objects.bulk_create(milestones)
    _audit(actor=actor, mentorship=mentorship, what="plan_written", plan=plan.pk)
    return plan


def plan_due_dates_refresh(*, mentorship: Mentorship) -> int:
    """Due dates that count from an anchor follow it when the case's dates move (a hearing
    rescheduled, a judge's filing date), unless someone set them by hand. Returns how many
    changed; a moved date may be flagged overdue again."""
    plan = MentoringPlan.objects.filter(mentorship=mentorship).first()
    milestones = list(
        mentorship.plan_milestones.filter(due_date_set_by_hand=False).exclude(anchor="")
    )
    if plan is None or not milestones:
        return 0
    anchors = _anchors_for(mentorship, plan)
    changed = []
    for milestone in milestones:
        due = _due(milestone, anchors)
        if due != milestone.due_date:
            milestone.due_date = due
            milestone.overdue_flagged_at = None
            changed.append(milestone)
    PlanMilestone.objects.bulk_update(changed, ["due_date", "overdue_flagged_at"])
    return len(changed)


def _clean_milestone_fields(*, title: str, kind: str, owner: str, due_date: dt.date | None) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the milestone a title.")
    elif len(title.strip()) > 200:
        errors["title"] = _("The title is too long (at most 200 characters).")
    if kind not in MilestoneKind.values:
        errors["kind"] = _("Choose what kind of milestone this is.")
    if owner not in MilestoneOwner.values:
        errors["owner"] = _("Choose who owns this milestone.")
    if due_date is not None:
        latest = timezone.localdate() + dt.timedelta(days=365 * MAX_DUE_YEARS)
        if not (EARLIEST_DATE <= due_date <= latest):
            errors["due_date"] = _("Give a due date between %(first)s and %(last)s.") % {
                "first": EARLIEST_DATE.isoformat(),
                "last": latest.isoformat(),
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def milestone_add(
    *,
    mentorship: Mentorship,
    actor: Any,
    title: str,
    kind: str,
    owner: str,
    due_date: dt.date | None,
) -> PlanMilestone:
    mentorship = _lock(mentorship)
    _require_active(mentorship)
    _require_participant(mentorship, actor)
    if not MentoringPlan.objects.filter(mentorship=mentorship).exists():
        raise ValidationError(_("Log the first meeting first: the plan is written there."))
    _clean_milestone_fields(title=title, kind=kind, owner=owner, due_date=due_date)
    last = mentorship.plan_milestones.aggregate(last=Max("order"))["last"] or 0
    milestone = PlanMilestone.objects.create(
        mentorship=mentorship,
        order=last + 1,
        title_en=title.strip(),
        title_es=title.strip(),
        kind=kind,
        owner=owner,
        due_date=due_date,
        due_date_set_by_hand=due_date is not None,
    )
    _audit(actor=actor, mentorship=mentorship, what="milestone_added", milestone=milestone.pk)
    return milestone


@transaction.atomic
def milestone_update(
    *,
    milestone: PlanMilestone,
    actor: Any,
    title: str,
    kind: str,
    owner: str,
    due_date: dt.date | None,
    status: str,
) -> PlanMilestone:
    """Edit a milestone. A due date typed by hand stays put when the case's dates move; an
    empty one goes back to the template's rule (counted from its anchor)."""
    mentorship = _lock(milestone.mentorship)
    _require_active(mentorship)
    _require_participant(mentorship, actor)
    milestone = PlanMilestone.objects.select_for_update().get(pk=milestone.pk)
    _clean_milestone_fields(title=title, kind=kind, owner=owner, due_date=due_date)
    if status not in PlanMilestone.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    title = title.strip()
    if title not in (milestone.title_en, milestone.title_es):
        milestone.title_en = milestone.title_es = title
    milestone.kind = kind
    milestone.owner = owner
    previous_due = milestone.due_date
    if due_date is not None:
        # An unchanged date that a rule computed stays the rule's (it keeps following the case).
        if due_date != previous_due or milestone.due_date_set_by_hand:
            milestone.due_date = due_date
            milestone.due_date_set_by_hand = True
    elif milestone.due_date_set_by_hand or milestone.anchor:
        milestone.due_date_set_by_hand = False
        plan = MentoringPlan.objects.filter(mentorship=mentorship).first()
        milestone.due_date = _due(milestone, _anchors_for(mentorship, plan))
    else:
        milestone.due_date = None
    if milestone.due_date != previous_due:
        milestone.overdue_flagged_at = None
    if status != milestone.status:
        milestone.status = status
        milestone.completed_at = timezone.now() if status == PlanMilestone.Status.DONE else None
    milestone.save()
    _audit(actor=actor, mentorship=mentorship, what="milestone_updated", milestone=milestone.pk)
    return milestone


def plan_due_dates_refresh_active() -> int:
    changed = 0
    for mentorship in (
        Mentorship.objects.filter(status=Mentorship.Status.ACTIVE, plan__isnull=False)
        .select_related("case")
        .iterator(chunk_size=200)
    ):
        with transaction.atomic():
            changed += plan_due_dates_refresh(mentorship=mentorship)
    return changed
