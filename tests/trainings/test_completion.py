"""Completion per module and per course, quizzes, expiry and renewal."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from amparo.trainings import services
from amparo.trainings.domain.progress import State
from amparo.trainings.models import CourseCompletion, ModuleCompletion, QuizAttempt
from amparo.trainings.selectors import course_progress_for_user, progress_sentence

pytestmark = pytest.mark.django_db


def _pass_quiz(user, catalogue):
    return services.quiz_submit(
        user=user,
        module=catalogue.quiz_module,
        answers={c.question_id: c.pk for c in catalogue.right},
    )


def _complete_course(user, catalogue):
    for module in catalogue.modules[:2]:
        services.module_complete(user=user, module=module)
    return _pass_quiz(user, catalogue)


def test_module_completion_counts_toward_the_course(personas, catalogue):
    attorney = personas.attorney
    progress = course_progress_for_user(user=attorney, course=catalogue.asylum)
    assert progress.state is State.NOT_STARTED
    assert progress_sentence(progress) == "not started"
    services.module_complete(user=attorney, module=catalogue.modules[0])
    services.module_complete(user=attorney, module=catalogue.modules[0])  # twice: one row
    assert ModuleCompletion.objects.filter(user=attorney).count() == 1
    progress = course_progress_for_user(user=attorney, course=catalogue.asylum)
    assert progress.state is State.IN_PROGRESS
    assert progress_sentence(progress) == "1 of 3 modules done"
    assert not CourseCompletion.objects.exists()


def test_course_is_complete_when_all_modules_are(personas, catalogue):
    attorney = personas.attorney
    _complete_course(attorney, catalogue)
    completion = CourseCompletion.objects.get(user=attorney, course=catalogue.asylum)
    assert completion.source == "modules"
    progress = course_progress_for_user(user=attorney, course=catalogue.asylum)
    assert progress.is_complete
    # Another person's progress is their own.
    assert (
        course_progress_for_user(user=personas.other_attorney, course=catalogue.asylum).state
        is State.NOT_STARTED
    )


def test_module_with_a_quiz_is_not_marked_done_by_hand(personas, catalogue):
    with pytest.raises(ValidationError, match="Pass the quiz"):
        services.module_complete(user=personas.attorney, module=catalogue.quiz_module)
    assert not ModuleCompletion.objects.exists()


def test_quiz_fail_keeps_the_attempt_and_does_not_complete(personas, catalogue):
    attorney = personas.attorney
    attempt = services.quiz_submit(
        user=attorney,
        module=catalogue.quiz_module,
        answers={c.question_id: c.pk for c in catalogue.wrong},
    )
    assert not attempt.passed and attempt.percent == 0
    assert not ModuleCompletion.objects.filter(module=catalogue.quiz_module).exists()
    attempt = _pass_quiz(attorney, catalogue)
    assert attempt.passed and attempt.percent == 100
    completion = ModuleCompletion.objects.get(module=catalogue.quiz_module, user=attorney)
    assert completion.quiz_attempt == attempt
    assert QuizAttempt.objects.filter(user=attorney).count() == 2


def test_quiz_half_right_against_the_pass_mark(personas, catalogue):
    # 1 of 2 right = 50%, under the module's 60% pass mark.
    attempt = services.quiz_submit(
        user=personas.attorney,
        module=catalogue.quiz_module,
        answers={
            catalogue.right[0].question_id: catalogue.right[0].pk,
            catalogue.wrong[1].question_id: catalogue.wrong[1].pk,
        },
    )
    assert (attempt.correct, attempt.total, attempt.passed) == (1, 2, False)


def test_quiz_refuses_an_answer_from_another_question(personas, catalogue):
    with pytest.raises(ValidationError):
        services.quiz_submit(
            user=personas.attorney,
            module=catalogue.quiz_module,
            answers={
                catalogue.right[0].question_id: catalogue.right[1].pk,
                catalogue.right[1].question_id: catalogue.right[1].pk,
            },
        )
    assert not QuizAttempt.objects.exists()


def test_quiz_page_pass_and_fail(client, personas, catalogue):
    client.force_login(personas.attorney)
    url = reverse("trainings:module_quiz", args=[catalogue.quiz_module.pk])
    page = client.get(reverse("trainings:module", args=[catalogue.quiz_module.pk]))
    assert page.status_code == 200
    assert "Submit my answers" in page.content.decode()
    fail = client.post(
        url, {f"question_{c.question_id}": c.pk for c in catalogue.wrong}, follow=True
    )
    assert "Not passed yet: 0 of 2 right" in fail.content.decode()
    passed = client.post(
        url, {f"question_{c.question_id}": c.pk for c in catalogue.right}, follow=True
    )
    assert "You passed: 2 of 2 right" in passed.content.decode()
    assert ModuleCompletion.objects.filter(module=catalogue.quiz_module).exists()


def test_quiz_page_unanswered_question_is_a_422_with_the_error(client, personas, catalogue):
    client.force_login(personas.attorney)
    first = catalogue.right[0]
    response = client.post(
        reverse("trainings:module_quiz", args=[catalogue.quiz_module.pk]),
        {f"question_{first.question_id}": first.pk},
    )
    assert response.status_code == 422
    assert "Choose an answer." in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_module_done_button_then_next_module(client, personas, catalogue):
    client.force_login(personas.attorney)
    response = client.post(reverse("trainings:module_complete", args=[catalogue.modules[0].pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("trainings:module", args=[catalogue.modules[1].pk])


def test_expiry_and_renewal_keep_the_dates(personas, catalogue):
    attorney = personas.attorney
    with time_machine.travel(dt.datetime(2025, 3, 10, 18, 0, tzinfo=dt.UTC), tick=False):
        _complete_course(attorney, catalogue)
    with time_machine.travel(dt.datetime(2026, 3, 9, 18, 0, tzinfo=dt.UTC), tick=False):
        progress = course_progress_for_user(user=attorney, course=catalogue.asylum)
        assert progress.is_complete
        assert (
            progress_sentence(progress) == "completed on March 10, 2025; valid until March 9, 2026"
        )
    with time_machine.travel(dt.datetime(2026, 3, 11, 18, 0, tzinfo=dt.UTC), tick=False):
        progress = course_progress_for_user(user=attorney, course=catalogue.asylum)
        assert progress.state is State.EXPIRED
        assert progress.expired_on == dt.date(2026, 3, 10)
        assert progress_sentence(progress) == "expired on March 10, 2026: renew it"
        # Renewal: the modules done the first time do not count again.
        services.module_complete(user=attorney, module=catalogue.modules[0])
        progress = course_progress_for_user(user=attorney, course=catalogue.asylum)
        assert progress.state is State.IN_PROGRESS and progress.modules_done == 1
        assert "renewal under way, 1 of 3 modules done" in progress_sentence(progress)
        _complete_course(attorney, catalogue)
        progress = course_progress_for_user(user=attorney, course=catalogue.asylum)
        assert progress.is_complete and progress.completed_on == dt.date(2026, 3, 11)
    dates = list(
        CourseCompletion.objects.filter(user=attorney).values_list("completed_on", flat=True)
    )
    assert dates == [dt.date(2026, 3, 11), dt.date(2025, 3, 10)]
    assert ModuleCompletion.objects.filter(user=attorney).count() == 6


def test_course_page_shows_modules_and_my_progress(client, personas, catalogue):
    services.module_complete(user=personas.attorney, module=catalogue.modules[0])
    client.force_login(personas.attorney)
    html = client.get(reverse("trainings:course", args=[catalogue.asylum.pk])).content.decode()
    assert "My progress" in html
    assert "1 of 3 modules done" in html
    assert catalogue.modules[1].title_en in html


def test_course_page_in_spanish_shows_spanish_titles(client, personas, catalogue):
    personas.attorney.language = "es"
    personas.attorney.save()
    client.force_login(personas.attorney)
    html = client.get(reverse("trainings:course", args=[catalogue.asylum.pk])).content.decode()
    assert "Capacitación integral sobre asilo" in html
    assert catalogue.modules[0].title_es in html


def test_module_page_of_a_completed_course_has_nothing_left_to_do(client, personas, catalogue):
    _complete_course(personas.attorney, catalogue)
    client.force_login(personas.attorney)
    html = client.get(reverse("trainings:module", args=[catalogue.modules[0].pk])).content.decode()
    assert "You have completed this course" in html
    assert "mark it done" not in html and "Submit my answers" not in html
