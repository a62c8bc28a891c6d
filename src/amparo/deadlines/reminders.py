"""The daily reminder e-mail: what is due in the next 14 days and what is overdue, per person.

Attorneys hear about the placed cases they are attorney of record on, mentors about the cases
they mentor, coordinators about the milestones they own and about escalations: a deadline
within 7 days whose legal-deadline milestone (LEGAL_DEADLINE_ANCHORS, due on or before it) is
not done. Subjects and bodies name cases by code and a neutral word only, never the client or
the relief sought (DEADLINE-RULES.md section 7, rule 6): rule labels such as "Asylum one-year
filing deadline" and free-text titles are therefore never used here.

The whole run reads a fixed number of queries (users, deadlines, milestones), whatever the
number of people and cases: rows are loaded once and shared out in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amparo.accounts.models import Role, User
from amparo.cases.models import Stage
from amparo.deadlines.models import (
    LEGAL_DEADLINE_ANCHORS,
    CaseDeadline,
    DeadlineSource,
    Milestone,
    OwnerRole,
)

REMINDER_HORIZON_DAYS = 14
ESCALATION_HORIZON_DAYS = 7
OPEN_MILESTONE_STATUSES = (Milestone.Status.TO_DO, Milestone.Status.IN_PROGRESS)
REMINDED_ROLES = (Role.ATTORNEY, Role.MENTOR, Role.COORDINATOR)

# Neutral words for what falls due: they never say which relief the case seeks.
FILING_DEADLINE = gettext_lazy("filing deadline")
RESPONSE_DEADLINE = gettext_lazy("response deadline")
KEY_DATE = gettext_lazy("key date")
DEADLINE = gettext_lazy("deadline")
MILESTONE = gettext_lazy("milestone")
# Calendar events carry no "overdue by" phrase, so there the word says what the date is.
MILESTONE_DUE = gettext_lazy("milestone due")
HEARING = gettext_lazy("hearing")

_RESPONSE_RULES = frozenset({"ICPM_RESPONSE_10", "USCIS_RESPONSE"})
# Dates that open a window or mark a birthday rather than close a filing period.
_KEY_DATE_RULES = frozenset(
    {"ASYLUM_EAD_FILE_150", "ASYLUM_EAD_GRANT_180", "UAC_TURNS_18", "DERIVATIVE_TURNS_21"}
)


def deadline_neutral_label(*, rule: str, source: str) -> Promise:
    """The word a deadline goes by in e-mails and calendars (see the module docstring)."""
    if source == DeadlineSource.CUSTOM:
        return DEADLINE
    if source == DeadlineSource.IJ_ORDER:
        return FILING_DEADLINE
    if rule in _RESPONSE_RULES:
        return RESPONSE_DEADLINE
    if rule in _KEY_DATE_RULES:
        return KEY_DATE
    return FILING_DEADLINE


@dataclass(frozen=True)
class ReminderItem:
    case_code: str
    what: Promise
    date: dt.date
    today: dt.date

    @property
    def days(self) -> int:
        """Days until the date (negative once it has passed)."""
        return (self.date - self.today).days

    @property
    def is_overdue(self) -> bool:
        return self.days < 0

    @property
    def case_url(self) -> str:
        return f"{settings.AMPARO_SITE_URL}/cases/{self.case_code}/"

    @property
    def when(self) -> str:
        """'in 5 days', 'today' or '3 days overdue', in the language active when rendered."""
        days = self.days
        if days == 0:
            return _("today")
        if days > 0:
            return ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
        return ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {"days": -days}

    def headline(self) -> str:
        """'AMP-26-0003: filing deadline in 5 days', for a subject line."""
        values: dict[str, Any] = {"code": self.case_code, "what": self.what}
        days = self.days
        if days == 0:
            return _("%(code)s: %(what)s today") % values
        if days > 0:
            values["days"] = days
            return (
                ngettext(
                    "%(code)s: %(what)s in %(days)s day",
                    "%(code)s: %(what)s in %(days)s days",
                    days,
                )
                % values
            )
        values["days"] = -days
        return (
            ngettext(
                "%(code)s: %(what)s overdue by %(days)s day",
                "%(code)s: %(what)s overdue by %(days)s days",
                -days,
            )
            % values
        )


def _sort_key(item: ReminderItem) -> tuple[dt.date, str, str]:
    return (item.date, item.case_code, str(item.what))


@dataclass
class Reminders:
    user: Any
    today: dt.date
    upcoming: list[ReminderItem] = field(default_factory=list)
    overdue: list[ReminderItem] = field(default_factory=list)
    escalations: list[ReminderItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.upcoming or self.overdue or self.escalations)

    @property
    def count(self) -> int:
        return len(self.upcoming) + len(self.overdue) + len(self.escalations)

    def subject(self) -> str:
        """The most pressing item (overdue, then escalated, then nearest) and how many more."""
        first = (self.overdue or self.escalations or self.upcoming)[0]
        more = self.count - 1
        if not more:
            return first.headline()
        return ngettext(
            "%(headline)s (and %(count)s more)", "%(headline)s (and %(count)s more)", more
        ) % {"headline": first.headline(), "count": more}


@dataclass
class ReminderSource:
    """Open deadlines and milestones of placed cases, loaded once and shared out per person."""

    today: dt.date
    deadlines: list[CaseDeadline]
    milestones: list[Milestone]
    by_attorney: dict[int, tuple[list[CaseDeadline], list[Milestone]]] = field(init=False)
    by_mentor: dict[int, tuple[list[CaseDeadline], list[Milestone]]] = field(init=False)
    coordinator_milestones: list[Milestone] = field(init=False)
    escalations: list[ReminderItem] = field(init=False)

    def __post_init__(self) -> None:
        self.by_attorney = defaultdict(lambda: ([], []))
        self.by_mentor = defaultdict(lambda: ([], []))
        for deadline in self.deadlines:
            case = deadline.case
            if case.attorney_of_record_id:
                self.by_attorney[case.attorney_of_record_id][0].append(deadline)
            if case.mentor_id:
                self.by_mentor[case.mentor_id][0].append(deadline)
        for milestone in self.milestones:
            case = milestone.case
            if case.attorney_of_record_id:
                self.by_attorney[case.attorney_of_record_id][1].append(milestone)
            if case.mentor_id:
                self.by_mentor[case.mentor_id][1].append(milestone)
        self.coordinator_milestones = [
            m for m in self.milestones if m.owner_role == OwnerRole.COORDINATOR
        ]
        self.escalations = self._escalations()

    def _escalations(self) -> list[ReminderItem]:
        legal_due: dict[int, list[dt.date]] = defaultdict(list)
        for milestone in self.milestones:
            if milestone.anchor in LEGAL_DEADLINE_ANCHORS and milestone.due_date is not None:
                legal_due[milestone.case_id].append(milestone.due_date)
        last_day = self.today + dt.timedelta(days=ESCALATION_HORIZON_DAYS)
        items = [
            _deadline_item(deadline, self.today)
            for deadline in self.deadlines
            if self.today <= deadline.date <= last_day
            and any(due <= deadline.date for due in legal_due.get(deadline.case_id, ()))
        ]
        return sorted(items, key=_sort_key)


def _deadline_item(deadline: CaseDeadline, today: dt.date) -> ReminderItem:
    return ReminderItem(
        case_code=deadline.case.code,
        what=deadline_neutral_label(rule=deadline.rule, source=deadline.source),
        date=deadline.date,
        today=today,
    )


def _milestone_item(milestone: Milestone, today: dt.date) -> ReminderItem:
    assert milestone.due_date is not None  # the queryset keeps dated milestones only
    return ReminderItem(
        case_code=milestone.case.code, what=MILESTONE, date=milestone.due_date, today=today
    )


def reminder_source_load(*, today: dt.date, scope: Q | None = None) -> ReminderSource:
    """Two queries: deadlines due in the window (and custom ones overdue), and open dated
    milestones up to the horizon (overdue included), of placed cases within `scope`."""
    horizon = today + dt.timedelta(days=REMINDER_HORIZON_DAYS)
    case_scope = Q(case__stage=Stage.PLACED) & (scope or Q())
    open_custom = Q(source=DeadlineSource.CUSTOM, completed_at__isnull=True)
    in_window = Q(date__gte=today, date__lte=horizon) & (
        ~Q(source=DeadlineSource.CUSTOM) | open_custom
    )
    case_fields = ("case__code", "case__attorney_of_record", "case__mentor", "case__stage")
    deadlines = (
        CaseDeadline.objects.filter(case_scope)
        .filter(in_window | (open_custom & Q(date__lt=today)))
        .select_related("case")
        .only("case_id", "rule", "source", "date", "completed_at", *case_fields)
        .order_by("date", "case__code", "rule")
    )
    milestones = (
        Milestone.objects.filter(
            case_scope, status__in=OPEN_MILESTONE_STATUSES, due_date__lte=horizon
        )
        .select_related("case")
        .only("case_id", "anchor", "due_date", "owner_role", "status", *case_fields)
        .order_by("due_date", "case__code", "order")
    )
    return ReminderSource(today=today, deadlines=list(deadlines), milestones=list(milestones))


def _user_scope(user: Any) -> Q | None:
    """The cases whose rows a user's reminders read (None: nothing to read)."""
    if user.role == Role.ATTORNEY:
        return Q(case__attorney_of_record=user)
    if user.role == Role.MENTOR:
        return Q(case__mentor=user)
    if user.role == Role.COORDINATOR:
        return Q()
    return None


def _split(reminders: Reminders, items: Iterable[ReminderItem]) -> None:
    for item in items:
        (reminders.overdue if item.is_overdue else reminders.upcoming).append(item)
    reminders.overdue.sort(key=_sort_key)
    reminders.upcoming.sort(key=_sort_key)


def reminders_collect(
    *, user: Any, today: dt.date, source: ReminderSource | None = None
) -> Reminders:
    """What is upcoming (today..today+14), overdue and escalated for one person.

    `source` lets the daily run share one load among everyone; without it the user's own
    cases are read."""
    reminders = Reminders(user=user, today=today)
    scope = _user_scope(user)
    if scope is None:
        return reminders
    if source is None:
        source = reminder_source_load(today=today, scope=scope)
    deadlines: Iterable[CaseDeadline]
    milestones: Iterable[Milestone]
    if user.role == Role.COORDINATOR:
        deadlines, milestones = (), source.coordinator_milestones
        reminders.escalations = list(source.escalations)
    else:
        index = source.by_attorney if user.role == Role.ATTORNEY else source.by_mentor
        deadlines, milestones = index.get(user.pk, ([], []))
    _split(
        reminders,
        [
            *(_deadline_item(d, today) for d in deadlines),
            *(_milestone_item(m, today) for m in milestones),
        ],
    )
    return reminders


def reminders_send_daily(*, today: dt.date | None = None) -> int:
    """E-mail each active attorney, mentor and coordinator their reminders, in their language;
    skip people with nothing due. Returns how many e-mails went out."""
    today = today or timezone.localdate()
    users = list(
        User.objects.filter(is_active=True, role__in=REMINDED_ROLES).only(
            "email", "full_name", "role", "language"
        )
    )
    if not users:
        return 0
    source = reminder_source_load(today=today)
    connection = get_connection()
    sent = 0
    for user in users:
        reminders = reminders_collect(user=user, today=today, source=source)
        if reminders.is_empty:
            continue
        with translation.override(user.language):
            subject = reminders.subject()
            body = render_to_string(
                "deadlines/email/reminders.txt",
                {"reminders": reminders, "site_url": settings.AMPARO_SITE_URL},
            )
        send_mail(subject, body, None, [user.email], connection=connection)
        sent += 1
    return sent
