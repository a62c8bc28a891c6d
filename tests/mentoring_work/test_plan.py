"""The mentoring plan: written at the logged first meeting from the case type's template, due
dates counted from the case's deadlines (as the case plan's are), editable, following the case
when its dates move unless set by hand; overdue milestones flagged once to both and the admin."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from amparo.cases.models import Hearing
from amparo.deadlines.models import CaseDeadline
from amparo.deadlines.services import case_deadlines_recompute, hearing_reschedule
from amparo.mentoring.models import Mentorship
from amparo.mentoring_work.models import (
    MentoringPlan,
    MentoringPlanTemplate,
    MilestoneKind,
    MilestoneOwner,
    PlanMilestone,
)
from amparo.mentoring_work.services import (
    milestone_add,
    milestone_update,
    overdue_flag,
    plan_create_at_first_meeting,
    plan_due_dates_refresh,
)
from tests.factories import HearingFactory


def _individual_hearing(case, days=200):
    starts = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(9, 0))
    )
    return HearingFactory(case=case, kind=Hearing.Kind.INDIVIDUAL, starts_at=starts)


def _by_order(mentorship):
    return {m.order: m for m in mentorship.plan_milestones.all()}


def test_templates_exist_for_every_case_type(db):
    assert set(MentoringPlanTemplate.objects.values_list("case_type", flat=True)) == {
        "defensive_asylum",
        "affirmative_asylum",
        "u_visa",
    }
    steps = MentoringPlanTemplate.objects.get(case_type="defensive_asylum").steps.all()
    kinds = {step.kind for step in steps}
    assert {"declaration", "brief", "evidence", "filing"} <= kinds


def test_plan_from_template_counts_from_the_case_deadlines(mentorship, personas):
    case = mentorship.case
    hearing = _individual_hearing(case)
    met_at = timezone.now() - dt.timedelta(days=2)
    plan = plan_create_at_first_meeting(
        mentorship=mentorship,
        actor=personas.attorney,
        met_at=met_at,
        mode=MentoringPlan.MeetingMode.IN_PERSON,
        notes="Met at the firm.",
    )
    assert plan.first_meeting_mode == "in_person"
    assert plan.template.case_type == "defensive_asylum"
    milestones = _by_order(mentorship)
    assert len(milestones) == 9
    hearing_day = timezone.localdate(hearing.starts_at)
    # "hearing minus 90 days" (first draft of the declaration)
    assert milestones[3].kind == MilestoneKind.DECLARATION
    assert milestones[3].due_date == hearing_day - dt.timedelta(days=90)
    assert milestones[3].owner == MilestoneOwner.MENTEE
    # "ICPM_PREHEARING safe target minus 14 days": checked against the deadline engine's row.
    case_deadlines_recompute(case=case)
    prehearing = CaseDeadline.objects.get(case=case, rule="ICPM_PREHEARING")
    assert milestones[6].due_date == prehearing.safe_target - dt.timedelta(days=14)
    assert milestones[8].due_date == prehearing.safe_target
    # The first meeting itself is an anchor, and the milestone of the meeting is done.
    assert milestones[1].due_date == timezone.localdate(met_at)
    assert milestones[1].status == PlanMilestone.Status.DONE
    assert all(m.status == PlanMilestone.Status.TO_DO for o, m in milestones.items() if o > 1)
    # No master hearing scheduled: no date yet, not a guess.
    assert milestones[2].due_date is None


def test_plan_written_once_and_only_by_the_two_of_them(mentorship, plan, personas):
    with pytest.raises(ValidationError):
        plan_create_at_first_meeting(
            mentorship=mentorship,
            actor=personas.mentor,
            met_at=timezone.now(),
            mode="video",
        )
    other = Mentorship.objects.get(pk=mentorship.pk)
    MentoringPlan.objects.filter(mentorship=other).delete()
    with pytest.raises(ValidationError):
        plan_create_at_first_meeting(
            mentorship=other, actor=personas.program_admin, met_at=timezone.now(), mode="video"
        )


def test_first_meeting_in_the_future_is_refused_and_nothing_saved(client, mentorship, personas):
    client.force_login(personas.mentor)
    future = timezone.localtime() + dt.timedelta(days=3)
    response = client.post(
        reverse("mentoring_work:first_meeting", args=[mentorship.pk]),
        {"met_at": future.strftime("%Y-%m-%dT%H:%M"), "mode": "video"},
    )
    assert response.status_code == 422
    assert "the time is in the future" in response.content.decode()
    assert not MentoringPlan.objects.exists()
    response = client.post(
        reverse("mentoring_work:first_meeting", args=[mentorship.pk]),
        {"met_at": "not a date", "mode": "by pigeon"},
    )
    assert response.status_code == 422
    assert not MentoringPlan.objects.exists()


def test_first_meeting_page_writes_the_plan(client, mentorship, personas):
    client.force_login(personas.attorney)
    met = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("mentoring_work:first_meeting", args=[mentorship.pk]),
        {"met_at": met, "mode": "video", "notes": "Theory of the case."},
    )
    assert response.status_code == 302
    plan = MentoringPlan.objects.get(mentorship=mentorship)
    assert plan.first_meeting_notes == "Theory of the case."
    page = client.get(reverse("mentoring_work:workspace", args=[mentorship.pk]))
    assert "Draft pre-hearing brief, for review" in page.content.decode()


def test_milestones_are_editable_and_hand_dates_stay_when_the_hearing_moves(mentorship, personas):
    hearing = _individual_hearing(mentorship.case)
    plan_create_at_first_meeting(
        mentorship=mentorship,
        actor=personas.mentor,
        met_at=timezone.now() - dt.timedelta(days=1),
        mode="video",
    )
    milestones = _by_order(mentorship)
    by_hand = dt.date.today() + dt.timedelta(days=40)
    milestone_update(
        milestone=milestones[4],
        actor=personas.attorney,
        title="Final declaration, read back in Mam",
        kind=MilestoneKind.DECLARATION,
        owner=MilestoneOwner.BOTH,
        due_date=by_hand,
        status=PlanMilestone.Status.IN_PROGRESS,
    )
    edited = PlanMilestone.objects.get(pk=milestones[4].pk)
    assert edited.title == "Final declaration, read back in Mam"
    assert edited.owner == "both"
    assert edited.due_date_set_by_hand
    # The hearing moves 30 days later: rule dates follow, the hand date stays.
    old_due = milestones[3].due_date
    hearing_reschedule(
        hearing=hearing,
        actor=personas.coordinator,
        starts_at=hearing.starts_at + dt.timedelta(days=30),
    )
    assert plan_due_dates_refresh(mentorship=mentorship) >= 1
    assert PlanMilestone.objects.get(pk=milestones[3].pk).due_date == old_due + dt.timedelta(
        days=30
    )
    assert PlanMilestone.objects.get(pk=milestones[4].pk).due_date == by_hand
    # Clearing the date goes back to the rule.
    milestone_update(
        milestone=edited,
        actor=personas.mentor,
        title=edited.title,
        kind=edited.kind,
        owner=edited.owner,
        due_date=None,
        status=PlanMilestone.Status.DONE,
    )
    edited.refresh_from_db()
    assert not edited.due_date_set_by_hand
    assert edited.due_date == timezone.localdate(hearing.starts_at) + dt.timedelta(days=30 - 60)
    assert edited.completed_at is not None


def test_milestone_added_by_hand(mentorship, plan, personas):
    milestone = milestone_add(
        mentorship=mentorship,
        actor=personas.mentor,
        title="Moot the cross-examination",
        kind=MilestoneKind.MEETING,
        owner=MilestoneOwner.BOTH,
        due_date=dt.date.today() + dt.timedelta(days=10),
    )
    assert milestone.order == mentorship.plan_milestones.count()
    with pytest.raises(ValidationError) as error:
        milestone_add(
            mentorship=mentorship,
            actor=personas.mentor,
            title="  ",
            kind="nonsense",
            owner=MilestoneOwner.BOTH,
            due_date=dt.date(2099, 1, 1),
        )
    assert set(error.value.message_dict) == {"title", "kind", "due_date"}


def test_milestone_edit_page_bad_input_changes_nothing(client, mentorship, plan, personas):
    milestone = mentorship.plan_milestones.order_by("order").first()
    client.force_login(personas.mentor)
    response = client.post(
        reverse("mentoring_work:milestone", args=[milestone.pk]),
        {"title": "", "kind": "declaration", "owner": "mentee", "status": "finished"},
    )
    assert response.status_code == 422
    fresh = PlanMilestone.objects.get(pk=milestone.pk)
    assert fresh.title_en == milestone.title_en
    assert fresh.status == milestone.status


def test_overdue_milestones_flagged_once_to_both_and_the_admin(mentorship, plan, personas):
    milestone = mentorship.plan_milestones.get(order=3)
    milestone.due_date = dt.date(2026, 11, 20)
    milestone.save()
    with time_machine.travel(dt.datetime(2026, 11, 20, 23, 0, tzinfo=dt.UTC), tick=False):
        assert overdue_flag().milestones == 0  # due today: not late yet
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC), tick=False):
        run = overdue_flag()
    assert run.milestones == 1
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {
        personas.mentor.email,
        personas.attorney.email,
        personas.program_admin.email,
    }
    body = mail.outbox[0].body
    assert mentorship.case.code in body
    assert mentorship.case.client.full_name not in body
    assert milestone.title_en not in body  # neutral words only
    milestone.refresh_from_db()
    assert milestone.overdue_flagged_at is not None
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 11, 24, 16, 0, tzinfo=dt.UTC), tick=False):
        assert overdue_flag().milestones == 0
    assert mail.outbox == []


def test_done_milestones_and_closed_mentorships_are_not_flagged(mentorship, plan, personas):
    milestones = list(mentorship.plan_milestones.order_by("order")[:2])
    for milestone in milestones:
        milestone.due_date = dt.date.today() - dt.timedelta(days=5)
    milestones[0].status = PlanMilestone.Status.DONE
    PlanMilestone.objects.bulk_update(milestones, ["due_date", "status"])
    assert overdue_flag().milestones == 1
    PlanMilestone.objects.update(overdue_flagged_at=None)
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.CLOSED)
    assert overdue_flag().milestones == 0
