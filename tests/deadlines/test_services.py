"""Deadlines in the application: recomputed from the case's facts whenever they change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from amparo.cases.models import Hearing, Stage
from amparo.cases.services import CasePlacementError, case_place
from amparo.courts.models import ImmigrationCourt
from amparo.deadlines.models import (
    CaseDeadline,
    CaseFlag,
    ExtraClosure,
    Milestone,
    MilestoneTemplate,
)
from amparo.deadlines.services import (
    case_deadlines_recompute,
    deadline_add_custom,
    decision_record,
    hearing_add,
    hearing_record_ij_deadline,
    hearing_reschedule,
    milestone_set_due_date,
    milestone_set_status,
    opposing_filing_add,
)
from tests.factories import CaseFactory

SF = ZoneInfo("America/Los_Angeles")
TODAY = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)


def at_court(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SF)


@pytest.fixture
def case(db):
    return CaseFactory(
        court=ImmigrationCourt.objects.get(code="SFR"),
        last_arrival=dt.date(2025, 6, 1),
        stage=Stage.READY,
    )


def _deadline(case, rule, **filters):
    return CaseDeadline.objects.get(case=case, rule=rule, **filters)


@time_machine.travel(TODAY)
def test_recompute_stores_prehearing_deadline_with_rule_and_citation(case):
    # DEADLINE-RULES.md section 2: individual hearing Mon 2026-03-16 -> day 30 is Sat 2026-02-14,
    # Mon 2/16 is Washington's Birthday -> official Tue 2026-02-17; safe target Fri 2026-02-13.
    hearing = hearing_add(
        case=case, actor=None, kind="individual", starts_at=at_court(dt.date(2026, 3, 16))
    )
    deadline = _deadline(case, "ICPM_PREHEARING")
    assert deadline.date == dt.date(2026, 2, 17)
    assert deadline.safe_target == dt.date(2026, 2, 13)
    assert deadline.source == "rule"
    assert deadline.hearing == hearing
    assert "3.1" in deadline.citation
    assert deadline.explanation_en and deadline.explanation_es


@time_machine.travel(TODAY)
def test_recompute_one_year_deadline_from_last_arrival(case):
    case_deadlines_recompute(case=case)
    assert _deadline(case, "ASYLUM_ONE_YEAR").date == dt.date(2026, 6, 1)


@time_machine.travel(TODAY)
def test_hearing_reschedule_moves_its_deadline_and_keeps_history(case):
    hearing = hearing_add(
        case=case, actor=None, kind="individual", starts_at=at_court(dt.date(2026, 3, 16))
    )
    new = hearing_reschedule(hearing=hearing, actor=None, starts_at=at_court(dt.date(2026, 5, 4)))
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.RESCHEDULED
    assert new.rescheduled_from == hearing
    deadlines = CaseDeadline.objects.filter(case=case, rule="ICPM_PREHEARING")
    assert [d.date for d in deadlines] == [
        dt.date(2026, 4, 6)
    ]  # 30 days before Mon May 4 is Sat Apr 4 -> Mon Apr 6
    assert deadlines[0].hearing == new


@time_machine.travel(TODAY)
def test_judge_ordered_date_controls(case):
    hearing = hearing_add(
        case=case, actor=None, kind="individual", starts_at=at_court(dt.date(2026, 3, 16))
    )
    hearing_record_ij_deadline(hearing=hearing, actor=None, deadline=dt.date(2026, 3, 2))
    deadline = _deadline(case, "ICPM_PREHEARING")
    assert deadline.date == dt.date(2026, 3, 2)
    assert deadline.source == "ij_order"
    assert CaseFlag.objects.filter(case=case, code="IJ_ORDER_CONTROLS").exists()
    # Clearing it goes back to the manual's default.
    hearing_record_ij_deadline(hearing=hearing, actor=None, deadline=None)
    assert _deadline(case, "ICPM_PREHEARING").date == dt.date(2026, 2, 17)


@time_machine.travel(TODAY)
def test_judge_ordered_date_after_the_hearing_is_refused(case):
    hearing = hearing_add(
        case=case, actor=None, kind="individual", starts_at=at_court(dt.date(2026, 3, 16))
    )
    with pytest.raises(ValidationError):
        hearing_record_ij_deadline(hearing=hearing, actor=None, deadline=dt.date(2026, 3, 20))
    hearing.refresh_from_db()
    assert hearing.ij_filing_deadline is None


@time_machine.travel(TODAY)
def test_hearing_before_arrival_is_refused(case):
    with pytest.raises(ValidationError):
        hearing_add(case=case, actor=None, kind="master", starts_at=at_court(dt.date(2025, 5, 1)))
    assert not case.hearings.exists()


@time_machine.travel(TODAY)
def test_detained_case_without_judge_date_raises_flag_not_default(db):
    case = CaseFactory(court=ImmigrationCourt.objects.get(code="SFR"), detained=True)
    hearing_add(case=case, actor=None, kind="individual", starts_at=at_court(dt.date(2026, 3, 16)))
    assert not CaseDeadline.objects.filter(case=case, rule="ICPM_PREHEARING").exists()
    assert CaseFlag.objects.filter(case=case, code="COURT_SET_DEADLINE_REQUIRED").exists()


@time_machine.travel(TODAY)
def test_decision_gives_appeal_and_motion_deadlines(case):
    # Matter of Morales-Morales: IJ decision 2021-12-13 -> appeal due 2022-01-12.
    decision_record(case=case, actor=None, kind="oral", date=dt.date(2021, 12, 13))
    assert _deadline(case, "BIA_APPEAL_30").date == dt.date(2022, 1, 12)
    assert CaseDeadline.objects.filter(case=case, rule="MOTION_REOPEN_90").exists()


@time_machine.travel(TODAY)
def test_waived_appeal_has_no_appeal_deadline(case):
    decision_record(
        case=case, actor=None, kind="oral", date=dt.date(2025, 12, 1), appeal_waived=True
    )
    assert not CaseDeadline.objects.filter(case=case, rule="BIA_APPEAL_30").exists()
    assert CaseFlag.objects.filter(case=case, code="APPEAL_WAIVED").exists()


@time_machine.travel(TODAY)
def test_opposing_filing_starts_response_deadline(case):
    hearing_add(case=case, actor=None, kind="individual", starts_at=at_court(dt.date(2026, 6, 1)))
    opposing_filing_add(case=case, actor=None, received_on=dt.date(2026, 1, 9))
    assert _deadline(case, "ICPM_RESPONSE_10").date == dt.date(2026, 1, 20)  # Jan 19 is MLK Day


@time_machine.travel(TODAY)
def test_custom_deadlines_survive_recompute(case):
    deadline_add_custom(
        case=case, actor=None, title="Send documents to the translator", date=dt.date(2026, 2, 2)
    )
    case_deadlines_recompute(case=case)
    assert CaseDeadline.objects.filter(case=case, source="custom").count() == 1


@time_machine.travel(TODAY)
def test_extra_closure_raises_possible_closure(case):
    hearing_add(case=case, actor=None, kind="individual", starts_at=at_court(dt.date(2026, 3, 16)))
    ExtraClosure.objects.create(date=dt.date(2026, 2, 17), reason="Court closed (test)")
    case_deadlines_recompute(case=case)
    assert CaseFlag.objects.filter(case=case, code="POSSIBLE_CLOSURE").exists()
    assert _deadline(case, "ICPM_PREHEARING").date == dt.date(2026, 2, 17)  # never moved


def test_milestone_templates_exist_for_every_case_type(db):
    assert set(MilestoneTemplate.objects.values_list("case_type", flat=True)) == {
        "defensive_asylum",
        "affirmative_asylum",
        "u_visa",
    }
    for template in MilestoneTemplate.objects.all():
        assert template.items.count() >= 5


@time_machine.travel(TODAY)
def test_placement_creates_plan_anchored_to_deadlines(personas):
    case = personas.ready_case
    case.court = ImmigrationCourt.objects.get(code="SFR")
    case.save()
    hearing_add(case=case, actor=None, kind="individual", starts_at=at_court(dt.date(2026, 3, 16)))
    case_place(case=case, attorney=personas.attorney, actor=personas.coordinator)
    case.refresh_from_db()
    assert case.stage == Stage.PLACED and case.attorney_of_record == personas.attorney
    milestones = {m.title_en: m for m in case.milestones.all()}
    brief = next(m for t, m in milestones.items() if t.startswith("File the pre-hearing brief"))
    assert brief.due_date == dt.date(2026, 2, 13)  # the ICPM deadline's safe target
    declaration = next(m for t, m in milestones.items() if t.startswith("Client declaration"))
    assert declaration.due_date == dt.date(2026, 1, 15)  # 60 days before the hearing
    entry = next(m for t, m in milestones.items() if t.startswith("File Form EOIR-28"))
    assert entry.due_date == dt.date(2026, 1, 8)  # placement + 3
    assert all(m.status == Milestone.Status.TO_DO for m in milestones.values())


@time_machine.travel(TODAY)
def test_placement_twice_is_refused(personas):
    case_place(case=personas.ready_case, attorney=personas.attorney, actor=personas.coordinator)
    with pytest.raises(CasePlacementError):
        case_place(
            case=personas.ready_case, attorney=personas.other_attorney, actor=personas.coordinator
        )
    personas.ready_case.refresh_from_db()
    assert personas.ready_case.attorney_of_record == personas.attorney


@time_machine.travel(TODAY)
def test_milestones_follow_a_rescheduled_hearing_unless_set_by_hand(personas):
    case = personas.ready_case
    case.court = ImmigrationCourt.objects.get(code="SFR")
    case.save()
    hearing = hearing_add(
        case=case, actor=None, kind="individual", starts_at=at_court(dt.date(2026, 3, 16))
    )
    case_place(case=case, attorney=personas.attorney, actor=personas.coordinator)
    declaration = case.milestones.get(title_en__startswith="Client declaration")
    mock = case.milestones.get(title_en__startswith="Mock hearing")
    milestone_set_due_date(milestone=mock, due_date=dt.date(2026, 3, 1))
    hearing_reschedule(hearing=hearing, actor=None, starts_at=at_court(dt.date(2026, 5, 4)))
    declaration.refresh_from_db()
    mock.refresh_from_db()
    assert declaration.due_date == dt.date(2026, 3, 5)  # May 4 - 60 days
    assert mock.due_date == dt.date(2026, 3, 1)  # set by hand: stays


@time_machine.travel(TODAY)
def test_milestone_status_done_records_who_and_when(personas):
    case_place(case=personas.ready_case, attorney=personas.attorney, actor=personas.coordinator)
    milestone = personas.ready_case.milestones.first()
    milestone_set_status(milestone=milestone, actor=personas.attorney, status="done")
    milestone.refresh_from_db()
    assert milestone.completed_by == personas.attorney and milestone.completed_at is not None
    with pytest.raises(ValidationError):
        milestone_set_status(milestone=milestone, actor=personas.attorney, status="bogus")


def test_nightly_recompute_raises_date_dependent_flags(db):
    case = CaseFactory(case_type="affirmative_asylum", last_arrival=dt.date(2025, 1, 10))
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)):
        case_deadlines_recompute(case=case)
    assert not CaseFlag.objects.filter(case=case, code="ONE_YEAR_DEADLINE_MISSED").exists()
    with time_machine.travel(dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC)):
        from amparo.deadlines.services import case_deadlines_recompute_open

        assert case_deadlines_recompute_open() == 1
    assert CaseFlag.objects.filter(case=case, code="ONE_YEAR_DEADLINE_MISSED").exists()


def test_admin_edit_of_case_facts_moves_deadlines(client, personas):
    personas.coordinator.is_staff = True
    personas.coordinator.save()
    case = personas.placed_case
    case_deadlines_recompute(case=case)
    client.force_login(personas.coordinator)
    change_url = f"/admin/cases/case/{case.pk}/change/"
    form = client.get(change_url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "code": case.code,
            "case_type": case.case_type,
            "stage": case.stage,
            "client": case.client_id,
            "placing_organization": case.placing_organization_id,
            "attorney_of_record": case.attorney_of_record_id,
            "mentor": case.mentor_id or "",
            "last_arrival": "2025-03-03",
            "languages": "[]",
            "urgency": 0,
            "asylum_clock_delay_days": 0,
            "hearings-TOTAL_FORMS": 0,
            "hearings-INITIAL_FORMS": 0,
        }
    )
    data.pop("created_by", None)
    response = client.post(change_url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    )
    assert CaseDeadline.objects.get(case=case, rule="ASYLUM_ONE_YEAR").date == dt.date(2026, 3, 3)
