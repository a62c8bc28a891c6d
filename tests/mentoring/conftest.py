"""Mentoring fixtures: the program's requirements and agreement, two mentors with profiles, the
intro video gating the first meeting, and a placed case of the attorney persona (placed by the
partner persona's organization) ready for a mentor request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone, translation

from amparo.courts.models import ImmigrationCourt
from amparo.mentoring.models import MentoringRequest
from amparo.mentoring.services import mentoring_request_create
from amparo.trainings.models import Gate
from tests.factories import (
    CaseFactory,
    CourseFactory,
    EligibilityRequirementFactory,
    HearingFactory,
    MentoringAgreementFactory,
    MentorProfileFactory,
    ModuleFactory,
)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Each test starts in English (a request may leave the user's language active)."""
    with translation.override("en"):
        yield


@dataclass
class Program:
    court: Any
    case: Any  # the attorney persona's placed case, no request yet
    requirements: dict[str, Any]
    agreement: Any
    intro: Any  # the intro video course (one module)
    intro_module: Any
    mentor_profile: Any
    other_mentor_profile: Any


@pytest.fixture
def program(personas: Any) -> Program:
    court = ImmigrationCourt.objects.get(code="SFR")
    partner_org = personas.partner.organization
    case = CaseFactory(
        stage="placed",
        attorney_of_record=personas.attorney,
        placing_organization=partner_org,
        court=court,
        case_type="defensive_asylum",
        placed_at=timezone.now(),
    )
    requirements = {
        "bar": EligibilityRequirementFactory(kind="bar_verified", position=1),
        "aor": EligibilityRequirementFactory(kind="attorney_of_record", position=2),
        "scope": EligibilityRequirementFactory(
            kind="case_type_in_scope", case_types=["defensive_asylum"], position=3
        ),
        "hearing": EligibilityRequirementFactory(
            kind="hearing_at_least_days", min_days=21, position=4
        ),
    }
    agreement = MentoringAgreementFactory(version=1)
    intro = CourseFactory(
        kind="intro_video", title_en="Mentoring intro video", title_es="Video de introducción"
    )
    intro_module = ModuleFactory(course=intro, position=1)
    gate = Gate.objects.create(action=Gate.Action.MENTOR_FIRST_MEETING)
    gate.required_courses.set([intro])
    mentor_profile = MentorProfileFactory(user=personas.mentor, capacity=2)
    mentor_profile.courts.set([court])
    other_profile = MentorProfileFactory(user=personas.other_mentor, capacity=2)
    return Program(
        court=court,
        case=case,
        requirements=requirements,
        agreement=agreement,
        intro=intro,
        intro_module=intro_module,
        mentor_profile=mentor_profile,
        other_mentor_profile=other_profile,
    )


def individual_hearing(case: Any, days: int) -> Any:
    """An individual hearing `days` calendar days from today, at noon in the program's zone."""
    day = timezone.localdate() + dt.timedelta(days=days)
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
    return HearingFactory(case=case, kind="individual", starts_at=starts_at)


@pytest.fixture
def open_request(personas: Any, program: Program) -> MentoringRequest:
    return mentoring_request_create(
        case=program.case, actor=personas.attorney, help_wanted="Strategy", languages=["es"]
    )
