"""Eligibility: every requirement kind checked and explained item by item, the mentee told how to
fix what is missing, staff overrides with a note."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from amparo.core.models import AuditEvent
from amparo.mentoring.eligibility import eligibility_evaluate, eligibility_evaluate_for
from amparo.mentoring.models import EligibilityOverride, EligibilityRequirement
from amparo.mentoring.services import (
    MentoringError,
    eligibility_override_record,
    mentoring_request_create,
    mentoring_requests_eligibility_refresh_open,
)
from amparo.trainings.models import Gate
from amparo.trainings.services.completion import module_complete
from tests.factories import (
    CaseFactory,
    CourseFactory,
    EligibilityRequirementFactory,
    ModuleFactory,
)
from tests.mentoring.conftest import individual_hearing


def _item(result, requirement):
    return next(i for i in result.items if i.requirement.pk == requirement.pk)


def test_all_met_when_the_attorney_fits(personas, program, open_request):
    result = eligibility_evaluate(request=open_request)
    assert result.ok
    assert [i.met for i in result.items] == [True, True, True, True]
    assert (
        "No individual hearing is scheduled yet."
        in _item(result, program.requirements["hearing"]).found
    )


def test_bar_not_verified_says_how_to_fix(personas, program):
    case = CaseFactory(stage="placed", attorney_of_record=personas.unverified_attorney)
    result = eligibility_evaluate_for(case=case, attorney=personas.unverified_attorney)
    item = _item(result, program.requirements["bar"])
    assert not item.met
    assert item.found == "Not verified (Pending verification)."
    assert "coordinator checks your bar admission" in item.how_to_fix
    assert item.fix_url == reverse("people:my_profile")
    assert not result.ok


def test_case_type_out_of_scope(personas, program):
    case = CaseFactory(stage="placed", attorney_of_record=personas.attorney, case_type="u_visa")
    item = _item(
        eligibility_evaluate_for(case=case, attorney=personas.attorney),
        program.requirements["scope"],
    )
    assert not item.met
    assert item.found == "This is a U visa case; the program mentors: Defensive asylum."


def test_attorney_of_record_item(personas, program):
    item = _item(
        eligibility_evaluate_for(case=program.case, attorney=personas.other_attorney),
        program.requirements["aor"],
    )
    assert not item.met
    assert "is not the attorney of record" in item.found


@pytest.mark.parametrize(("days", "met"), [(10, False), (21, True), (60, True)])
def test_hearing_at_least_n_days_away(personas, program, days, met):
    individual_hearing(program.case, days)
    item = _item(
        eligibility_evaluate_for(case=program.case, attorney=personas.attorney),
        program.requirements["hearing"],
    )
    assert item.met is met
    assert f"in {days} days" in item.found


def test_training_item_for_one_course(personas, program):
    course = CourseFactory(kind="program", title_en="Center of Excellence")
    module = ModuleFactory(course=course, position=1)
    requirement = EligibilityRequirementFactory(kind="training_completed", course=course)
    item = _item(
        eligibility_evaluate_for(case=program.case, attorney=personas.attorney), requirement
    )
    assert not item.met
    assert item.label == "Training completed: Center of Excellence"
    assert item.fix_url == reverse("trainings:course", args=[course.pk])
    module_complete(user=personas.attorney, module=module)
    item = _item(
        eligibility_evaluate_for(case=program.case, attorney=personas.attorney), requirement
    )
    assert item.met
    assert item.found.startswith("Completed on")


def test_training_item_without_course_asks_the_mentor_match_gate(personas, program):
    requirement = EligibilityRequirementFactory(kind="training_completed")
    item = _item(
        eligibility_evaluate_for(case=program.case, attorney=personas.attorney), requirement
    )
    assert item.met
    assert item.found == "The program requires no training."
    course = CourseFactory(kind="program", title_en="Asylum basics")
    ModuleFactory(course=course, position=1)
    gate = Gate.objects.create(action=Gate.Action.MENTOR_MATCH)
    gate.required_courses.set([course])
    item = _item(
        eligibility_evaluate_for(case=program.case, attorney=personas.attorney), requirement
    )
    assert not item.met
    assert "Asylum basics" in item.how_to_fix
    assert item.fix_url == reverse("trainings:course", args=[course.pk])


def test_inactive_requirements_are_not_checked(personas, program):
    program.requirements["scope"].active = False
    program.requirements["scope"].save()
    case = CaseFactory(stage="placed", attorney_of_record=personas.attorney, case_type="u_visa")
    assert eligibility_evaluate_for(case=case, attorney=personas.attorney).ok


def test_custom_wording_in_the_viewers_language(personas, program):
    from django.utils import translation

    requirement = program.requirements["scope"]
    requirement.label_en = "Defensive asylum only"
    requirement.label_es = "Solo asilo defensivo"
    requirement.how_to_fix_es = "Escriba al programa."
    requirement.save()
    case = CaseFactory(stage="placed", attorney_of_record=personas.attorney, case_type="u_visa")
    with translation.override("es"):
        item = _item(eligibility_evaluate_for(case=case, attorney=personas.attorney), requirement)
    assert item.label == "Solo asilo defensivo"
    assert item.how_to_fix == "Escriba al programa."


def test_requirement_configuration_is_validated(db):
    with pytest.raises(ValidationError):
        EligibilityRequirement(kind="case_type_in_scope", case_types=["tax"]).full_clean()
    with pytest.raises(ValidationError):
        EligibilityRequirement(kind="hearing_at_least_days").full_clean()
    EligibilityRequirement(kind="case_type_in_scope", case_types=["u_visa"]).full_clean()


def test_mentee_sees_what_is_missing_and_how_to_fix_it(client, personas, program):
    individual_hearing(program.case, 5)
    request = mentoring_request_create(case=program.case, actor=personas.attorney, help_wanted="x")
    assert request.eligibility_ok is False
    client.force_login(personas.attorney)
    html = client.get(reverse("mentoring:case", args=[program.case.code])).content.decode()
    assert "What is missing, and how to fix it:" in html
    assert "Individual hearing at least 21 days away" in html
    assert "Program staff can make an exception" in html
    assert "1 requirement not met yet: see below how to meet it." in html
    assert "Override this item" not in html  # only staff override


def test_staff_override_with_a_note(client, personas, program):
    individual_hearing(program.case, 5)
    request = mentoring_request_create(case=program.case, actor=personas.attorney, help_wanted="x")
    client.force_login(personas.program_admin)
    url = reverse("mentoring:request_override", args=[request.pk])
    requirement = program.requirements["hearing"]
    response = client.post(url, {"requirement": requirement.pk, "note": "Judge granted time"})
    assert response.status_code == 302
    override = EligibilityOverride.objects.get()
    assert override.by == personas.program_admin
    assert override.note == "Judge granted time"
    request.refresh_from_db()
    assert request.eligibility_ok is True
    event = AuditEvent.objects.get(action="mentoring_eligibility.overridden")
    assert event.data["requirement_id"] == requirement.pk
    result = eligibility_evaluate(request=request)
    item = _item(result, requirement)
    assert item.overridden and item.ok and result.ok
    # The mentee sees it was accepted, and why.
    client.force_login(personas.attorney)
    html = client.get(reverse("mentoring:case", args=[program.case.code])).content.decode()
    assert "Accepted by the program" in html
    assert "Judge granted time" in html


def test_override_without_a_note_saves_nothing(client, personas, program):
    individual_hearing(program.case, 5)
    request = mentoring_request_create(case=program.case, actor=personas.attorney, help_wanted="x")
    client.force_login(personas.program_admin)
    url = reverse("mentoring:request_override", args=[request.pk])
    response = client.post(url, {"requirement": program.requirements["hearing"].pk, "note": " "})
    assert response.status_code == 422
    assert "Say why the program accepts this request anyway." in response.content.decode()
    response = client.post(url, {"requirement": "not-a-number", "note": "x"})
    assert response.status_code == 422
    response = client.post(url, {"requirement": 999999, "note": "x"})
    assert response.status_code == 422
    assert not EligibilityOverride.objects.exists()


def test_override_of_a_met_item_or_twice_is_refused(personas, program):
    individual_hearing(program.case, 5)
    request = mentoring_request_create(case=program.case, actor=personas.attorney, help_wanted="x")
    with pytest.raises(MentoringError, match="met"):
        eligibility_override_record(
            request=request,
            requirement=program.requirements["bar"],
            actor=personas.program_admin,
            note="Why not",
        )
    eligibility_override_record(
        request=request,
        requirement=program.requirements["hearing"],
        actor=personas.program_admin,
        note="Ok",
    )
    with pytest.raises(MentoringError, match="already"):
        eligibility_override_record(
            request=request,
            requirement=program.requirements["hearing"],
            actor=personas.program_admin,
            note="Again",
        )
    assert EligibilityOverride.objects.count() == 1


def test_only_program_staff_override(client, personas, program):
    individual_hearing(program.case, 5)
    request = mentoring_request_create(case=program.case, actor=personas.attorney, help_wanted="x")
    for persona in ("attorney", "partner", "mentor"):
        client.force_login(getattr(personas, persona))
        response = client.post(
            reverse("mentoring:request_override", args=[request.pk]),
            {"requirement": program.requirements["hearing"].pk, "note": "Me"},
        )
        assert response.status_code == 404, persona
    assert not EligibilityOverride.objects.exists()


def test_daily_refresh_follows_a_completed_training(personas, program):
    course = CourseFactory(kind="program")
    module = ModuleFactory(course=course, position=1)
    EligibilityRequirementFactory(kind="training_completed", course=course)
    request = mentoring_request_create(case=program.case, actor=personas.attorney, help_wanted="x")
    assert request.eligibility_ok is False
    module_complete(user=personas.attorney, module=module)
    assert mentoring_requests_eligibility_refresh_open() == 1
    request.refresh_from_db()
    assert request.eligibility_ok is True
