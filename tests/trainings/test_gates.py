"""Gates: which courses an action needs, why a person is not ready, and their enforcement when an
attorney takes a case from the board or a coordinator places one."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from amparo.cases.models import Stage
from amparo.cases.placement import (
    PlacementError,
    attorney_eligibility,
    case_attest_no_conflict,
    case_parties_reveal,
    case_place_by_coordinator,
    case_publish,
    case_take,
    coordinator_placement_blockers,
)
from amparo.trainings import services
from amparo.trainings.models import Course, CourseCompletion, Gate
from amparo.trainings.selectors import gate_check, gate_progress_for_user
from tests.factories import CaseFactory, CourseFactory, LiveSessionFactory, ModuleFactory
from tests.trainings.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _finish(user, catalogue):
    for module in catalogue.modules[:2]:
        services.module_complete(user=user, module=module)
    services.quiz_submit(
        user=user,
        module=catalogue.quiz_module,
        answers={c.question_id: c.pk for c in catalogue.right},
    )


@pytest.mark.parametrize("action", Gate.Action.values)
def test_every_action_without_a_gate_needs_nothing(personas, action):
    result = gate_check(user=personas.attorney, action=action)
    assert result.ok and result.missing == []


def test_unknown_action_is_a_programming_error(personas):
    with pytest.raises(ValueError, match="Unknown gated action"):
        gate_check(user=personas.attorney, action="take_case:divorce")


@pytest.mark.parametrize("action", Gate.Action.values)
def test_every_gate_names_the_missing_course_and_why(personas, catalogue, action):
    gate = Gate.objects.create(action=action)
    gate.required_courses.set([catalogue.asylum, catalogue.external, catalogue.live])
    services.module_complete(user=personas.attorney, module=catalogue.modules[0])
    result = gate_check(user=personas.attorney, action=action)
    assert not result.ok
    assert {course.pk: why for course, why in result.missing} == {
        catalogue.asylum.pk: "1 of 3 modules done",
        catalogue.external.pk: "not started: upload your certificate once you complete the course",
        catalogue.live.pk: "not started: register for a live session",
    }
    # Done, one by one: each leaves the list.
    _finish(personas.attorney, catalogue)
    certificate = services.certificate_upload(
        user=personas.attorney,
        course=catalogue.external,
        upload=pdf_upload(),
        completed_on=dt.date.today() - dt.timedelta(days=1),
    )
    services.certificate_verify(certificate=certificate, actor=personas.coordinator)
    CourseCompletion.objects.create(
        user=personas.attorney, course=catalogue.live, completed_on=dt.date.today(), source="staff"
    )
    result = gate_check(user=personas.attorney, action=action)
    assert result.ok and result.missing == [] and len(result.items) == 3


def test_gate_reasons_not_started_and_expired(personas, catalogue, defensive_gate):
    result = gate_check(user=personas.attorney, action="take_case:defensive_asylum")
    assert [why for _course, why in result.missing] == ["not started"]
    with time_machine.travel(dt.datetime(2025, 1, 20, 18, 0, tzinfo=dt.UTC), tick=False):
        _finish(personas.attorney, catalogue)
        assert gate_check(user=personas.attorney, action="take_case:defensive_asylum").ok
    with time_machine.travel(dt.datetime(2026, 2, 1, 18, 0, tzinfo=dt.UTC), tick=False):
        result = gate_check(user=personas.attorney, action="take_case:defensive_asylum")
    assert not result.ok
    [(_course, why)] = result.missing
    assert why == "expired on Jan. 20, 2026: renew it"


def test_gate_reasons_for_sessions(personas, catalogue):
    gate = Gate.objects.create(action=Gate.Action.MENTOR_MATCH)
    gate.required_courses.set([catalogue.live])
    services.session_register(session=catalogue.session, user=personas.attorney)
    [(_course, why)] = gate_check(user=personas.attorney, action="mentor_match").missing
    assert why.startswith("registered for the session on ")


def test_gate_reasons_in_the_user_language(personas, catalogue, defensive_gate):
    personas.attorney.language = "es"
    personas.attorney.save()
    result = gate_check(user=personas.attorney, action="take_case:defensive_asylum")
    # Language-independent facts until the Spanish translations exist: the Spanish title.
    [(course, _why)] = result.missing
    with translation.override("es"):
        assert course.title == "Capacitación integral sobre asilo"
    english = gate_check(user=personas.attorney, action="take_case:defensive_asylum", language="en")
    assert english.missing[0].why == "not started"


def test_inactive_courses_are_not_required(personas, catalogue, defensive_gate):
    Course.objects.filter(pk=catalogue.asylum.pk).update(active=False)
    assert gate_check(user=personas.attorney, action="take_case:defensive_asylum").ok


def test_a_gate_only_concerns_its_case_type(personas, catalogue, defensive_gate):
    assert gate_check(user=personas.attorney, action="take_case:u_visa").ok


def test_gate_check_query_count_is_fixed(personas, catalogue, django_assert_max_num_queries):
    gate = Gate.objects.create(action=Gate.Action.TAKE_U_VISA)
    courses = [catalogue.asylum, catalogue.external, catalogue.live]
    for _n in range(6):
        course = CourseFactory()
        ModuleFactory(course=course)
        LiveSessionFactory(course=CourseFactory(kind="live"))
        courses.append(course)
    gate.required_courses.set(courses)
    with django_assert_max_num_queries(7):
        result = gate_check(user=personas.attorney, action="take_case:u_visa")
    assert len(result.missing) == len(courses)


# --- enforcement on the board and on placement ------------------------------------------------


@pytest.fixture
def board_case(personas):
    case = CaseFactory(case_type="defensive_asylum")
    return case_publish(case=case, actor=None)


def test_attorney_without_the_course_cannot_take_a_case_of_that_type(
    client, personas, catalogue, defensive_gate, board_case
):
    eligibility = attorney_eligibility(attorney=personas.attorney, case=board_case)
    assert not eligibility.ok
    assert any(
        "Comprehensive asylum training" in reason and "not started" in reason
        for reason in eligibility.reasons
    )
    client.force_login(personas.attorney)
    card = client.get(reverse("board:card", args=[board_case.code])).content.decode()
    assert "Complete the training" in card
    response = client.post(reverse("board:reveal", args=[board_case.code]))
    assert response.status_code == 403
    assert "Comprehensive asylum training" in response.content.decode()
    with pytest.raises(PlacementError):
        case_take(case=board_case, attorney=personas.attorney)
    board_case.refresh_from_db()
    assert board_case.stage == Stage.READY and board_case.attorney_of_record is None


def test_attorney_with_the_course_takes_the_case(
    client, personas, catalogue, defensive_gate, board_case
):
    services.module_complete(user=personas.attorney, module=catalogue.modules[0])
    reasons = attorney_eligibility(attorney=personas.attorney, case=board_case).reasons
    assert any("1 of 3 modules done" in reason for reason in reasons)
    _finish(personas.attorney, catalogue)
    assert attorney_eligibility(attorney=personas.attorney, case=board_case).ok
    client.force_login(personas.attorney)
    assert client.post(reverse("board:reveal", args=[board_case.code])).status_code == 200
    response = client.post(reverse("board:take", args=[board_case.code]), {"no_conflict": "on"})
    assert response.status_code == 302
    board_case.refresh_from_db()
    assert board_case.attorney_of_record == personas.attorney


def test_the_gate_does_not_stop_other_case_types(personas, catalogue, defensive_gate):
    case = case_publish(case=CaseFactory(case_type="u_visa"), actor=None)
    case_parties_reveal(case=case, attorney=personas.attorney)
    case_attest_no_conflict(case=case, attorney=personas.attorney)
    assert case_take(case=case, attorney=personas.attorney).attorney_of_record == personas.attorney


def test_coordinator_cannot_place_an_attorney_without_the_course(
    personas, catalogue, defensive_gate, board_case
):
    reasons = coordinator_placement_blockers(case=board_case, attorney=personas.other_attorney)
    assert any(
        "Required training" in reason and "Comprehensive asylum training" in reason
        for reason in reasons
    )
    with pytest.raises(PlacementError):
        case_place_by_coordinator(
            case=board_case, attorney=personas.other_attorney, actor=personas.coordinator
        )
    _finish(personas.other_attorney, catalogue)
    placed = case_place_by_coordinator(
        case=board_case, attorney=personas.other_attorney, actor=personas.coordinator
    )
    assert placed.attorney_of_record == personas.other_attorney


# --- the dashboard --------------------------------------------------------------------------


def test_dashboard_shows_progress_toward_each_gate(client, personas, catalogue, defensive_gate):
    first_meeting = Gate.objects.create(action=Gate.Action.MENTOR_FIRST_MEETING)
    first_meeting.required_courses.set([catalogue.external])
    services.module_complete(user=personas.attorney, module=catalogue.modules[0])
    client.force_login(personas.attorney)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Trainings you need" in html
    assert "Take a defensive asylum case" in html
    assert "1 of 3 modules done" in html
    assert "Hold the first meeting with a mentor" in html
    results = gate_progress_for_user(user=personas.attorney)
    assert [r.action for r in results] == ["mentor_first_meeting", "take_case:defensive_asylum"]


def test_dashboard_without_gates_has_no_trainings_section(client, personas):
    client.force_login(personas.attorney)
    assert "Trainings you need" not in client.get(reverse("dashboard")).content.decode()


def test_dashboard_with_gates_stays_within_the_query_budget(
    client, personas, catalogue, defensive_gate, django_assert_max_num_queries
):
    for action in ("mentor_match", "mentor_first_meeting", "take_case:u_visa"):
        gate = Gate.objects.create(action=action)
        gate.required_courses.set([catalogue.external, catalogue.live, catalogue.asylum])
    client.force_login(personas.attorney)
    # Constant however many gates and courses; the "needs your attention" list adds 4 COUNTs.
    with django_assert_max_num_queries(22):
        assert client.get(reverse("dashboard")).status_code == 200
