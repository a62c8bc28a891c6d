"""What needs a person's attention today, for the top of their dashboard.

Each role sees a short list of counted items, most urgent first, each a link to the page where
the work is done. Only items with something in them are shown; when nothing needs attention the
dashboard says so and suggests the next useful thing. Every item is one COUNT query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.accounts.models import Role
from amparo.core.policy import can

# Tones map to Bootstrap colours; "danger" items come first.
TONE_ORDER = {"danger": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class AttentionItem:
    text: str
    url: str
    tone: str  # "danger" (overdue), "warning" (due soon / waiting on me), "info"


def _item(count: int, text: str, url: str, tone: str) -> list[AttentionItem]:
    """`text` comes from ngettext(..., count) with a %(count)s placeholder (literal strings at
    each call, so makemessages finds them)."""
    if not count:
        return []
    return [AttentionItem(text % {"count": count}, url, tone)]


def _for_volunteer(user: Any, today: dt.date, now: dt.datetime) -> list[AttentionItem]:
    from amparo.deadlines.models import CaseDeadline, Milestone
    from amparo.mentoring_work.models import Message

    mine = Q(case__attorney_of_record=user) | Q(case__mentor=user)
    items: list[AttentionItem] = []
    deadlines = CaseDeadline.objects.filter(
        mine, case__stage="placed", completed_at=None
    ).aggregate(
        passed=Count("pk", filter=Q(date__lt=today)),
        this_week=Count("pk", filter=Q(date__gte=today, date__lte=today + dt.timedelta(days=7))),
    )
    items += _item(
        n := deadlines["passed"],
        ngettext(
            "%(count)s deadline has passed without being marked done",
            "%(count)s deadlines have passed without being marked done",
            n,
        ),
        "#due-heading",
        "danger",
    )
    items += _item(
        n := Milestone.objects.filter(mine, case__stage="placed", due_date__lt=today)
        .filter(status__in=[Milestone.Status.TO_DO, Milestone.Status.IN_PROGRESS])
        .count(),
        ngettext("%(count)s case task is overdue", "%(count)s case tasks are overdue", n),
        "#due-heading",
        "danger",
    )
    items += _item(
        n := deadlines["this_week"],
        ngettext("%(count)s deadline this week", "%(count)s deadlines this week", n),
        "#due-heading",
        "warning",
    )
    if user.role == Role.ATTORNEY:
        from amparo.workspace.models import StatusRequestRecipient

        waiting = Message.objects.filter(
            mentorship__mentee=user,
            mentorship__status="active",
            response_due_at__isnull=False,
            answered_at=None,
        ).aggregate(
            late=Count("pk", filter=Q(response_due_at__lte=now)),
            waiting=Count("pk", filter=Q(response_due_at__gt=now)),
        )
        items += _item(
            n := waiting["late"],
            ngettext(
                "%(count)s message from your mentor is waiting too long for your reply",
                "%(count)s messages from your mentor are waiting too long for your reply",
                n,
            ),
            reverse("mentoring_work:list"),
            "danger",
        )
        items += _item(
            n := waiting["waiting"],
            ngettext(
                "%(count)s message from your mentor waits for your reply",
                "%(count)s messages from your mentor wait for your reply",
                n,
            ),
            reverse("mentoring_work:list"),
            "warning",
        )
        pending_status = StatusRequestRecipient.objects.filter(
            attorney=user, answered_at=None
        ).aggregate(count=Count("pk"), first=Min("pk"))
        if pending_status["first"] is not None:
            items += _item(
                n := pending_status["count"],
                ngettext(
                    "%(count)s status update asked by the program",
                    "%(count)s status updates asked by the program",
                    n,
                ),
                reverse("workspace:status_answer", args=[pending_status["first"]]),
                "warning",
            )
    else:
        from amparo.mentoring.models import Mentorship

        items += _item(
            n := Mentorship.objects.filter(mentor=user, status=Mentorship.Status.INVITED).count(),
            ngettext(
                "%(count)s invitation to mentor a case waits for your answer",
                "%(count)s invitations to mentor a case wait for your answer",
                n,
            ),
            reverse("mentoring:home"),
            "warning",
        )
    return items


def _for_staff(user: Any, today: dt.date, now: dt.datetime) -> list[AttentionItem]:
    from amparo.cases.models import Case, PlacementRequest
    from amparo.conflicts.models import ConflictHit
    from amparo.mentoring.models import MentoringRequest
    from amparo.mentoring_work.models import Message, TimeEntry
    from amparo.people.models import AttorneyProfile
    from amparo.trainings.models import Certificate
    from amparo.workspace.models import WithdrawalRequest

    items: list[AttentionItem] = []
    if can(user, "cases.add_case"):
        # COUNT(stage), not COUNT(id): both figures come from the (stage, next_hearing_on)
        # index alone, without reading the table's rows.
        unplaced = Case.objects.filter(stage__in=["intake", "screening", "ready"]).aggregate(
            hearing_soon=Count(
                "stage",
                filter=Q(
                    next_hearing_on__gte=today,
                    next_hearing_on__lte=today + dt.timedelta(days=30),
                ),
            ),
            waiting=Count("stage", filter=Q(stage__in=["intake", "screening"])),
        )
        items += _item(
            n := unplaced["hearing_soon"],
            ngettext(
                "%(count)s unplaced case has a hearing in the next 30 days",
                "%(count)s unplaced cases have a hearing in the next 30 days",
                n,
            ),
            "#urgent-heading",
            "danger",
        )
        items += _item(
            n := ConflictHit.objects.filter(status=ConflictHit.Status.OPEN)
            .values("case_id")
            .distinct()
            .count(),
            ngettext(
                "%(count)s case has a possible conflict to review",
                "%(count)s cases have a possible conflict to review",
                n,
            ),
            reverse("cases:list") + "?show=conflicts",
            "warning",
        )
        items += _item(
            n := unplaced["waiting"],
            ngettext(
                "%(count)s case waits for intake or screening",
                "%(count)s cases wait for intake or screening",
                n,
            ),
            reverse("cases:list") + "?show=waiting",
            "info",
        )
    if can(user, "people.verify_attorney"):
        items += _item(
            n := AttorneyProfile.objects.filter(verification_status="pending").count(),
            ngettext(
                "%(count)s volunteer waits for verification",
                "%(count)s volunteers wait for verification",
                n,
            ),
            reverse("people:verification_queue"),
            "warning",
        )
    if can(user, "cases.place_case") and settings.AMPARO_PLACEMENT_REQUIRES_APPROVAL:
        items += _item(
            n := PlacementRequest.objects.filter(status=PlacementRequest.Status.PENDING).count(),
            ngettext(
                "%(count)s attorney asks to take a case",
                "%(count)s attorneys ask to take a case",
                n,
            ),
            reverse("cases:placement_requests"),
            "warning",
        )
    if can(user, "workspace.decide_withdrawal"):
        items += _item(
            n := WithdrawalRequest.objects.filter(status=WithdrawalRequest.Status.PENDING).count(),
            ngettext(
                "%(count)s withdrawal request to decide",
                "%(count)s withdrawal requests to decide",
                n,
            ),
            reverse("workspace:withdrawal_list"),
            "warning",
        )
    if can(user, "mentoring.manage"):
        items += _item(
            n := MentoringRequest.objects.filter(status=MentoringRequest.Status.PENDING).count(),
            ngettext("%(count)s case waits for a mentor", "%(count)s cases wait for a mentor", n),
            reverse("mentoring:queue"),
            "warning",
        )
    if can(user, "mentoring_work.view_overview"):
        items += _item(
            n := Message.objects.filter(
                mentorship__status="active", response_due_at__lte=now, answered_at=None
            ).count(),
            ngettext(
                "%(count)s mentor's message is waiting too long for a reply",
                "%(count)s mentors' messages are waiting too long for a reply",
                n,
            ),
            reverse("mentoring_work:overdue"),
            "danger",
        )
    if can(user, "mentoring_work.approve_time"):
        items += _item(
            n := TimeEntry.objects.filter(status=TimeEntry.Status.SUBMITTED).count(),
            ngettext(
                "%(count)s mentor time entry to approve",
                "%(count)s mentor time entries to approve",
                n,
            ),
            reverse("mentoring_work:time_queue"),
            "info",
        )
    if can(user, "trainings.view_certificate_queue"):
        items += _item(
            n := Certificate.objects.filter(status=Certificate.Status.PENDING).count(),
            ngettext(
                "%(count)s training certificate to review",
                "%(count)s training certificates to review",
                n,
            ),
            reverse("trainings:certificate_queue"),
            "info",
        )
    return items


def _for_partner(user: Any) -> list[AttentionItem]:
    from amparo.cases.models import Case

    return _item(
        n := Case.objects.filter(
            placing_organization_id=user.organization_id, stage__in=["intake", "screening", "ready"]
        ).count(),
        ngettext(
            "%(count)s of your organization's cases is not placed yet",
            "%(count)s of your organization's cases are not placed yet",
            n,
        ),
        "#cases-heading",
        "info",
    )


def attention_items_for_user(*, user: Any, now: dt.datetime | None = None) -> list[AttentionItem]:
    """The person's attention list, most urgent first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if user.role in (Role.ATTORNEY, Role.MENTOR):
        items = _for_volunteer(user, today, now)
    elif user.role in (Role.COORDINATOR, Role.PROGRAM_ADMIN):
        items = _for_staff(user, today, now)
    elif user.role == Role.PARTNER and user.organization_id:
        items = _for_partner(user)
    else:
        items = []
    return sorted(items, key=lambda item: TONE_ORDER[item.tone])


def next_step_for_user(*, user: Any) -> tuple[str, str] | None:
    """When nothing needs attention: one useful next step (text, url) for the role."""
    if user.role == Role.ATTORNEY:
        return _("Browse the case board for a case that fits you"), reverse("board:board")
    if user.role == Role.MENTOR:
        return _("Review your mentorships"), reverse("mentoring_work:list")
    if user.role in (Role.COORDINATOR, Role.PROGRAM_ADMIN):
        return _("Open the program tools"), reverse("program_tools")
    return None
