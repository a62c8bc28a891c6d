"""Grading a module's short quiz: the share of questions answered right against the pass mark.

Program policy: a module with a quiz is complete only once an attempt passes; attempts are
unlimited, and each one is kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QuizGrade:
    correct: int
    total: int
    percent: int
    passed: bool


def quiz_grade(
    *,
    answers: Mapping[int, int | None],
    correct_choices: Mapping[int, frozenset[int]],
    pass_mark_percent: int,
) -> QuizGrade:
    """`answers` maps question id to the chosen choice id; `correct_choices` maps every question
    of the quiz to its right choices. An unanswered question counts as wrong. The percentage is
    rounded down, so a pass mark is never reached by rounding."""
    total = len(correct_choices)
    right = sum(
        1
        for question, choices in correct_choices.items()
        if answers.get(question) is not None and answers[question] in choices
    )
    percent = math.floor(100 * right / total) if total else 100
    return QuizGrade(
        correct=right, total=total, percent=percent, passed=percent >= pass_mark_percent
    )
