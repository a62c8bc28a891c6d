"""The pure engines: progress and expiry, quiz grading, local times."""

from __future__ import annotations

import datetime as dt

import pytest

from amparo.trainings.domain.progress import (
    CourseFacts,
    Path,
    State,
    add_months,
    completion_expires_on,
    course_progress,
)
from amparo.trainings.domain.quiz import quiz_grade
from amparo.trainings.domain.times import TimeNotInZone, localize, zone_exists

TODAY = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 10), 12, dt.date(2027, 3, 10)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 12, 1), 1, dt.date(2027, 1, 1)),
    ],
)
def test_add_months_clamps_to_the_end_of_short_months(day, months, expected):
    assert add_months(day, months) == expected


def test_completion_expires_on_none_when_the_course_never_expires():
    assert completion_expires_on(dt.date(2020, 1, 1), None) is None


def test_progress_not_started_in_progress_and_complete():
    facts = CourseFacts(path=Path.MODULES, module_count=5)
    assert course_progress(facts, today=TODAY).state is State.NOT_STARTED
    partial = CourseFacts(path=Path.MODULES, module_count=5, modules_done=3)
    progress = course_progress(partial, today=TODAY)
    assert progress.state is State.IN_PROGRESS
    assert (progress.modules_done, progress.module_count) == (3, 5)
    done = CourseFacts(path=Path.MODULES, module_count=5, last_completed_on=TODAY)
    assert course_progress(done, today=TODAY).is_complete


def test_progress_expires_on_the_day_n_months_later_and_renewal_shows_both():
    completed = dt.date(2025, 6, 15)
    facts = CourseFacts(
        path=Path.MODULES, module_count=3, last_completed_on=completed, valid_for_months=12
    )
    day_before = course_progress(facts, today=dt.date(2026, 6, 14))
    assert day_before.is_complete and day_before.expires_on == dt.date(2026, 6, 15)
    expired = course_progress(facts, today=TODAY)
    assert expired.state is State.EXPIRED
    assert expired.expired_on == dt.date(2026, 6, 15)
    assert expired.completed_on == completed
    renewing = CourseFacts(
        path=Path.MODULES,
        module_count=3,
        modules_done=1,
        last_completed_on=completed,
        valid_for_months=12,
    )
    progress = course_progress(renewing, today=TODAY)
    assert progress.state is State.IN_PROGRESS and progress.expired_on == dt.date(2026, 6, 15)


def test_progress_waiting_states_come_before_progress():
    pending = CourseFacts(path=Path.CERTIFICATE, certificate="pending")
    assert course_progress(pending, today=TODAY).state is State.CERTIFICATE_PENDING
    rejected = CourseFacts(path=Path.CERTIFICATE, certificate="rejected")
    assert course_progress(rejected, today=TODAY).state is State.CERTIFICATE_REJECTED
    waitlisted = CourseFacts(
        path=Path.ATTENDANCE, registration="waitlisted", session_on=dt.date(2026, 7, 1)
    )
    progress = course_progress(waitlisted, today=TODAY)
    assert progress.state is State.WAITLISTED and progress.session_on == dt.date(2026, 7, 1)


def test_progress_a_valid_completion_wins_over_everything():
    facts = CourseFacts(
        path=Path.CERTIFICATE,
        last_completed_on=TODAY,
        certificate="rejected",
        registration="registered",
    )
    assert course_progress(facts, today=TODAY).is_complete


def test_quiz_grade_pass_mark_is_not_reached_by_rounding():
    correct = {1: frozenset({10}), 2: frozenset({20}), 3: frozenset({30})}
    two_of_three = quiz_grade(
        answers={1: 10, 2: 20, 3: 31}, correct_choices=correct, pass_mark_percent=67
    )
    assert (two_of_three.correct, two_of_three.percent, two_of_three.passed) == (2, 66, False)
    assert quiz_grade(
        answers={1: 10, 2: 20, 3: 30}, correct_choices=correct, pass_mark_percent=100
    ).passed


def test_quiz_grade_unanswered_counts_as_wrong():
    grade = quiz_grade(
        answers={1: None},
        correct_choices={1: frozenset({1}), 2: frozenset({2})},
        pass_mark_percent=50,
    )
    assert grade.correct == 0 and not grade.passed


def test_localize_keeps_the_wall_clock_and_refuses_skipped_times():
    aware = localize(dt.datetime(2026, 3, 15, 10, 0), "America/New_York")
    assert aware.utcoffset() == dt.timedelta(hours=-4)
    assert aware.astimezone(dt.UTC).hour == 14
    with pytest.raises(TimeNotInZone):
        localize(dt.datetime(2026, 3, 8, 2, 30), "America/New_York")  # clocks jump 2:00 -> 3:00
    repeated = localize(dt.datetime(2026, 11, 1, 1, 30), "America/New_York")
    assert repeated.utcoffset() == dt.timedelta(hours=-4)  # the first 1:30 (still daylight time)


def test_zone_exists():
    assert zone_exists("America/Chicago")
    assert not zone_exists("Mars/Olympus_Mons")
    assert not zone_exists("")
    assert not zone_exists("../../etc/passwd")
