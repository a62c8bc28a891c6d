"""Who may do what with trainings.

Verified attorneys and mentors take courses; coordinators review certificates, schedule live
sessions and mark attendance; program admins read. A pending attorney sees the catalogue (to know
what is ahead) but takes courses only once verified. Certificates name a volunteer, never a
client: they are shown to their owner and to program staff.
"""

from __future__ import annotations

from typing import Any

import rules

from amparo.core.predicates import (
    is_attorney,
    is_coordinator,
    is_mentor,
    is_program_staff,
    is_verified_attorney,
    two_factor_ok,
)
from amparo.trainings.models import Certificate, Course, LiveSession, Module, Registration


def _course_of(obj: Any) -> Course | None:
    if isinstance(obj, Course):
        return obj
    if isinstance(obj, Module | LiveSession):
        return obj.course
    return None


@rules.predicate
def course_is_active(user: Any, obj: Any) -> bool:
    course = _course_of(obj)
    return course is not None and course.active


@rules.predicate
def course_takes_certificate(user: Any, obj: Any) -> bool:
    course = _course_of(obj)
    return course is not None and course.takes_certificate


@rules.predicate
def is_own(user: Any, obj: Certificate | Registration | None) -> bool:
    return obj is not None and obj.user_id == user.pk


is_learner = is_verified_attorney | is_mentor
is_staff_reader = is_program_staff & two_factor_ok
is_staff_writer = is_coordinator & two_factor_ok

rules.add_perm("trainings.view_catalogue", is_attorney | is_mentor | is_staff_reader)
# A course page, a module page and its video: learners see active courses; staff see all.
rules.add_perm("trainings.view_course", (is_learner & course_is_active) | is_staff_reader)
rules.add_perm("trainings.take_courses", is_learner)
rules.add_perm("trainings.take_course", is_learner & course_is_active)
rules.add_perm(
    "trainings.upload_certificate", is_learner & course_is_active & course_takes_certificate
)
rules.add_perm("trainings.view_certificate", is_own | is_staff_reader)
rules.add_perm("trainings.view_certificate_queue", is_staff_reader)
rules.add_perm("trainings.review_certificate", is_staff_writer)
rules.add_perm("trainings.register_session", is_learner & course_is_active)
rules.add_perm("trainings.cancel_registration", is_own)
rules.add_perm("trainings.view_sessions", is_staff_reader)
rules.add_perm("trainings.schedule_session", is_staff_writer)
rules.add_perm("trainings.mark_attendance", is_staff_writer)
# The catalogue, modules, quizzes and gates are kept in the Django admin.
rules.add_perm("trainings.manage_catalogue", is_staff_reader)
