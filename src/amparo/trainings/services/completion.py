"""Completing modules (by hand or by passing the quiz) and, with the last one, the course.

A renewal is completing the course again: only modules done since the latest course completion
count toward the next one, and every earlier row is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.trainings.domain.quiz import quiz_grade
from amparo.trainings.models import Course, CourseCompletion, Module, ModuleCompletion, QuizAttempt
from amparo.trainings.selectors import module_ids_done_in_cycle


def _course_complete_if_all_done(*, user: Any, course: Course) -> CourseCompletion | None:
    """Record the course as complete once every module is done in this cycle."""
    module_ids = set(course.modules.values_list("pk", flat=True))
    if not module_ids or not module_ids <= module_ids_done_in_cycle(user=user, course=course):
        return None
    return CourseCompletion.objects.create(
        user=user,
        course=course,
        completed_on=timezone.localdate(),
        source=CourseCompletion.Source.MODULES,
    )


def _module_check_open(module: Module) -> None:
    if not module.course.active:
        raise ValidationError(_("This course is no longer offered."))
    if not module.course.has_modules:
        raise ValidationError(_("This course has no modules to complete."))


@transaction.atomic
def module_complete(*, user: Any, module: Module) -> ModuleCompletion:
    """Mark a module without a quiz as done (again, when renewing the course)."""
    _module_check_open(module)
    if module.questions.exists():
        raise ValidationError(_("Pass the quiz to complete this module."))
    return _module_completion_record(user=user, module=module)


def _module_completion_record(
    *, user: Any, module: Module, attempt: QuizAttempt | None = None
) -> ModuleCompletion:
    existing = ModuleCompletion.objects.filter(
        user=user, module=module, pk__in=_cycle_completions(user=user, module=module)
    ).first()
    if existing is not None:
        return existing  # already done in this cycle: nothing new to record
    completion = ModuleCompletion.objects.create(user=user, module=module, quiz_attempt=attempt)
    _course_complete_if_all_done(user=user, course=module.course)
    return completion


def _cycle_completions(*, user: Any, module: Module) -> list[int]:
    last = (
        CourseCompletion.objects.filter(user=user, course_id=module.course_id)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    done = ModuleCompletion.objects.filter(user=user, module=module)
    if last is not None:
        done = done.filter(completed_at__gt=last)
    return list(done.values_list("pk", flat=True))


@transaction.atomic
def quiz_submit(*, user: Any, module: Module, answers: Mapping[int, int | None]) -> QuizAttempt:
    """Grade an attempt at the module's quiz and keep it; a pass completes the module."""
    _module_check_open(module)
    questions = list(module.questions.prefetch_related("choices"))
    if not questions:
        raise ValidationError(_("This module has no quiz."))
    choices_of = {q.pk: {c.pk for c in q.choices.all()} for q in questions}
    unanswered = [q for q in questions if answers.get(q.pk) is None]
    if unanswered:
        raise ValidationError(_("Answer every question."))
    if any(answers[q.pk] not in choices_of[q.pk] for q in questions):
        raise ValidationError(_("Choose each answer from the list."))
    grade = quiz_grade(
        answers=answers,
        correct_choices={
            q.pk: frozenset(c.pk for c in q.choices.all() if c.is_correct) for q in questions
        },
        pass_mark_percent=module.quiz_pass_mark,
    )
    attempt = QuizAttempt.objects.create(
        user=user,
        module=module,
        answers={str(q.pk): answers[q.pk] for q in questions},
        correct=grade.correct,
        total=grade.total,
        percent=grade.percent,
        passed=grade.passed,
    )
    if grade.passed:
        _module_completion_record(user=user, module=module, attempt=attempt)
    return attempt
