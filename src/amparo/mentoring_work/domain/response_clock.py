"""The mentee's response clock.

Rule (PRODUCT.md section 6; the national mentoring program in seeds/001: "mentees answer e-mail
within 2 business days"): a message from the mentor to the mentee must be answered by the end of
the second business day after the day it was sent. The day of sending is day 0 whatever day it
is (a message sent on a Saturday is due at the end of Tuesday). Business days are the deadline
engine's: Monday to Friday except the federal legal holidays of 5 U.S.C. 6103(a) with their
observed days (``holidays.US()``), counted by ``deadlines.domain.business_days.BusinessCalendar``.
Extra closures (court closures) do not stop this clock: they close courts, not e-mail.

"End of the day" is midnight in the program's time zone: the clock runs out at the first instant
of the day after the due day. The answer is the mentee's next message in the same conversation;
the response time is the time from the mentor's message to that answer, kept for reports.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from amparo.deadlines.domain.business_days import BusinessCalendar

#: Business days the mentee has to answer (program rule; seeds/001).
RESPONSE_BUSINESS_DAYS = 2

_ONE_DAY = timedelta(days=1)


class ClockState(enum.StrEnum):
    RUNNING = "running"
    OVERDUE = "overdue"
    ANSWERED_ON_TIME = "answered_on_time"
    ANSWERED_LATE = "answered_late"


@dataclass(frozen=True, slots=True)
class ResponseClock:
    """One message's clock: when it was sent, the last day to answer and the exact cut-off."""

    sent_at: datetime
    due_on: date
    runs_out_at: datetime

    def state(self, *, now: datetime, answered_at: datetime | None = None) -> ClockState:
        """Where the clock stands at ``now`` (or at the answer, once there is one)."""
        if answered_at is not None:
            if answered_at < self.runs_out_at:
                return ClockState.ANSWERED_ON_TIME
            return ClockState.ANSWERED_LATE
        return ClockState.OVERDUE if now >= self.runs_out_at else ClockState.RUNNING

    def is_overdue(self, *, now: datetime, answered_at: datetime | None = None) -> bool:
        """Unanswered past the cut-off (an answer, even a late one, stops the clock)."""
        return self.state(now=now, answered_at=answered_at) is ClockState.OVERDUE


def response_due_date(
    sent_on: date, calendar: BusinessCalendar, business_days: int = RESPONSE_BUSINESS_DAYS
) -> date:
    """The last day to answer: the ``business_days``-th business day after ``sent_on``."""
    if business_days < 1:
        raise ValueError("the response clock counts at least one business day")
    day = sent_on
    counted = 0
    while counted < business_days:
        day += _ONE_DAY
        if calendar.is_business_day(day):
            counted += 1
    return day


def response_clock(
    sent_at: datetime,
    *,
    zone: tzinfo,
    calendar: BusinessCalendar,
    business_days: int = RESPONSE_BUSINESS_DAYS,
) -> ResponseClock:
    """The clock of a message sent at ``sent_at`` (an aware datetime), counted in ``zone``."""
    if sent_at.tzinfo is None or sent_at.utcoffset() is None:
        raise ValueError("sent_at must be an aware datetime")
    sent_on = sent_at.astimezone(zone).date()
    due_on = response_due_date(sent_on, calendar, business_days)
    runs_out_at = datetime.combine(due_on + _ONE_DAY, time.min, tzinfo=zone)
    return ResponseClock(sent_at=sent_at, due_on=due_on, runs_out_at=runs_out_at)


def response_seconds(sent_at: datetime, answered_at: datetime) -> int:
    """Whole seconds from a message to its answer (never negative)."""
    return max(0, int((answered_at - sent_at).total_seconds()))
