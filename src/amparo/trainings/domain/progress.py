"""Where a person stands on one course, from plain facts and an explicit `today`.

Program policy (PRODUCT.md point 2): a course is complete when all its modules are (or when staff
verify the certificate of a course taken elsewhere, or when the person attended a live session);
a course may be valid for N months only, and then needs renewal. The completion dates are kept:
renewing is completing the course again, and only the latest completion counts.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    CERTIFICATE_PENDING = "certificate_pending"
    CERTIFICATE_REJECTED = "certificate_rejected"
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    EXPIRED = "expired"
    COMPLETE = "complete"


class Path(StrEnum):
    """How the course is completed."""

    MODULES = "modules"
    CERTIFICATE = "certificate"
    ATTENDANCE = "attendance"


@dataclass(frozen=True, slots=True)
class CourseFacts:
    path: Path
    module_count: int = 0
    # Distinct modules completed since the latest course completion (all of them if none).
    modules_done: int = 0
    last_completed_on: dt.date | None = None
    valid_for_months: int | None = None
    # The latest certificate uploaded since the latest completion: "pending", "rejected" or None.
    certificate: str | None = None
    # An active registration for a session that has not ended: "registered", "waitlisted", None.
    registration: str | None = None
    session_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CourseProgress:
    state: State
    path: Path
    module_count: int = 0
    modules_done: int = 0
    completed_on: dt.date | None = None
    # While complete: the first day the completion is no longer valid (None: never expires).
    expires_on: dt.date | None = None
    # Once the latest completion has expired: the day it expired (kept during a renewal).
    expired_on: dt.date | None = None
    session_on: dt.date | None = None

    @property
    def is_complete(self) -> bool:
        return self.state is State.COMPLETE


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day N months later, or the month's last day when it is shorter (Jan 31 + 1 month
    is Feb 28 or 29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def completion_expires_on(completed_on: dt.date, valid_for_months: int | None) -> dt.date | None:
    """The first day a completion is no longer valid; None when the course never expires."""
    if not valid_for_months:
        return None
    return add_months(completed_on, valid_for_months)


def course_progress(facts: CourseFacts, *, today: dt.date) -> CourseProgress:
    """The person's state on the course today, most useful fact first: a valid completion wins;
    otherwise what they are waiting for (a certificate review, a session), then their progress,
    then the reason they must act (a rejected certificate, an expired completion)."""
    modules_done = min(facts.modules_done, facts.module_count)
    expired_on = None
    if facts.last_completed_on is not None:
        expires_on = completion_expires_on(facts.last_completed_on, facts.valid_for_months)
        if expires_on is None or today < expires_on:
            return CourseProgress(
                state=State.COMPLETE,
                path=facts.path,
                module_count=facts.module_count,
                modules_done=facts.module_count,
                completed_on=facts.last_completed_on,
                expires_on=expires_on,
                session_on=facts.session_on,
            )
        expired_on = expires_on
    if facts.certificate == "pending":
        state = State.CERTIFICATE_PENDING
    elif facts.registration == "registered":
        state = State.REGISTERED
    elif facts.registration == "waitlisted":
        state = State.WAITLISTED
    elif facts.path is Path.MODULES and modules_done > 0:
        state = State.IN_PROGRESS
    elif facts.certificate == "rejected":
        state = State.CERTIFICATE_REJECTED
    elif expired_on is not None:
        state = State.EXPIRED
    else:
        state = State.NOT_STARTED
    return CourseProgress(
        state=state,
        path=facts.path,
        module_count=facts.module_count,
        modules_done=modules_done,
        completed_on=facts.last_completed_on,
        expired_on=expired_on,
        session_on=facts.session_on,
    )
