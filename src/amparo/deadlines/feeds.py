"""Private calendar feeds (iCalendar, RFC 5545): each person's hearings and deadlines.

The address holds a long random token (`secrets.token_urlsafe(32)`, 256 bits), stored encrypted
(to show the address again) and as a keyed hash (to find the feed without decrypting). Calendar
apps fetch it without signing in, so whoever holds the address sees the dates: event titles and
descriptions therefore name the case by code and a neutral word only, never the client or the
relief sought (DEADLINE-RULES.md section 7, rule 6).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accounts.models import Role
from amparo.cases.models import Case, Hearing, Stage
from amparo.core.crypto import blind_index
from amparo.deadlines.models import CalendarFeed, CaseDeadline, DeadlineSource, Milestone, OwnerRole
from amparo.deadlines.reminders import (
    HEARING,
    MILESTONE_DUE,
    OPEN_MILESTONE_STATUSES,
    deadline_neutral_label,
)
from amparo.deadlines.selectors import deadline_birth_dates_hidden_from

TOKEN_PURPOSE = "calendar_feed"
# Past events kept in the feed: enough to look back at recent hearings, bounded in size.
FEED_PAST_DAYS = 90
# How long a hearing is shown as lasting (the notice gives a start time only).
HEARING_LENGTH: dict[str, dt.timedelta] = {
    Hearing.Kind.MASTER: dt.timedelta(hours=1),
    Hearing.Kind.INDIVIDUAL: dt.timedelta(hours=3),
}
# A token_urlsafe(32) is 43 characters; anything far longer is not worth hashing.
_TOKEN_MAX_LENGTH = 128
# Citations name statutes, not the case; a few name the relief, and those are left out.
_RELIEF_WORDS = re.compile(
    r"asylum|\bu[\s-]?visa|i-918|i-589|supplement b|\bsij\b|special immigrant", re.IGNORECASE
)


def _token_index(token: str) -> str:
    return blind_index(token, purpose=TOKEN_PURPOSE)


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _token_index(token)


def calendar_feed_get(*, user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_get_or_create(*, user: Any) -> CalendarFeed:
    """The user's feed, created with a fresh token if there is none."""
    token, index = _new_token()
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": token, "token_index": index}
    )
    return feed


@transaction.atomic
def calendar_feed_regenerate(*, user: Any) -> CalendarFeed:
    """A new token: the old address stops working at once."""
    token, index = _new_token()
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user, token=token, token_index=index)
    feed.token = token
    feed.token_index = index
    feed.last_fetched_at = None
    feed.save(update_fields=["token", "token_index", "last_fetched_at", "updated_at"])
    return feed


def calendar_feed_revoke(*, user: Any) -> bool:
    """Turn the address off (the row goes, so nothing is left to find). True if one existed."""
    deleted, _by_model = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_find(*, token: str) -> CalendarFeed | None:
    """The feed of an active user for this token, or None (unknown, revoked, replaced)."""
    if not token or len(token) > _TOKEN_MAX_LENGTH:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_index=_token_index(token), user__is_active=True)
        .first()
    )


def calendar_feed_mark_fetched(*, feed: CalendarFeed, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    # An UPDATE, not save(): a fetch is not an edit of the feed (updated_at stays).
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)
    feed.last_fetched_at = now


def _case_scope(user: Any) -> tuple[Q | None, bool]:
    """Which placed cases the feed covers, and whether milestones are limited to the
    coordinator's own (staff see every placed case, so all milestones would drown them)."""
    placed = Q(case__stage=Stage.PLACED)
    if user.role == Role.ATTORNEY:
        return placed & Q(case__attorney_of_record=user), False
    if user.role == Role.MENTOR:
        return placed & Q(case__mentor=user), False
    if user.role in (Role.COORDINATOR, Role.PROGRAM_ADMIN):
        return placed, True
    return None, False


def _case_url(case: Case) -> str:
    return f"{settings.AMPARO_SITE_URL}/cases/{case.code}/"


def _uid(kind: str, pk: int) -> str:
    host = urlsplit(settings.AMPARO_SITE_URL).hostname or "amparo"
    return f"{kind}-{pk}@{host}"


def _safe_citation(citation: str) -> str:
    return "" if _RELIEF_WORDS.search(citation) else citation


def _all_day(
    *, uid: str, summary: str, day: dt.date, url: str, description: str, stamp: dt.datetime
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("url", url)
    if description:
        event.add("description", description)
    return event


def _hearing_event(hearing: Hearing, stamp: dt.datetime) -> icalendar.Event:
    case = hearing.case
    zone = ZoneInfo(case.court.time_zone) if case.court else timezone.get_current_timezone()
    starts_at = timezone.localtime(hearing.starts_at, zone)
    event = icalendar.Event()
    event.add("uid", _uid("hearing", hearing.pk))
    event.add("dtstamp", stamp)
    event.add("summary", f"{case.code} — {HEARING}")
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + HEARING_LENGTH.get(hearing.kind, dt.timedelta(hours=1)))
    event.add("url", _case_url(case))
    if case.court:
        # The court's public name and city: a place, not a fact about the client.
        event.add("location", f"{case.court.name}, {case.court.city}")
    return event


def _deadline_event(deadline: CaseDeadline, stamp: dt.datetime) -> icalendar.Event:
    case = deadline.case
    lines = []
    citation = _safe_citation(deadline.citation)
    if citation:
        lines.append(_("Rule: %(citation)s") % {"citation": citation})
    if deadline.safe_target:
        lines.append(_("Internal target: %(date)s") % {"date": deadline.safe_target.isoformat()})
    label = deadline_neutral_label(rule=deadline.rule, source=deadline.source)
    return _all_day(
        uid=_uid("deadline", deadline.pk),
        summary=f"{case.code} — {label}",
        day=deadline.date,
        url=_case_url(case),
        description="\n".join(lines),
        stamp=stamp,
    )


def _milestone_event(milestone: Milestone, stamp: dt.datetime) -> icalendar.Event:
    assert milestone.due_date is not None  # the queryset keeps dated milestones only
    return _all_day(
        uid=_uid("milestone", milestone.pk),
        summary=f"{milestone.case.code} — {MILESTONE_DUE}",
        day=milestone.due_date,
        url=_case_url(milestone.case),
        description="",
        stamp=stamp,
    )


def calendar_feed_build_ics(*, user: Any, today: dt.date) -> bytes:
    """The user's calendar: scheduled hearings as timed events in the court's time zone,
    deadlines and open milestones as all-day events, from FEED_PAST_DAYS ago onwards.
    Three queries, whatever the number of cases."""
    since = today - dt.timedelta(days=FEED_PAST_DAYS)
    stamp = timezone.now().replace(microsecond=0)
    scope, coordinator_milestones_only = _case_scope(user)
    events: list[icalendar.Event] = []
    last_hearing = today
    with translation.override(user.language):
        name = _("Amparo: my hearings and deadlines")
        if scope is not None:
            hearings = (
                Hearing.objects.filter(scope, status=Hearing.Status.SCHEDULED)
                .filter(starts_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time())))
                .select_related("case", "case__court")
                .order_by("starts_at", "pk")
            )
            for hearing in hearings:
                events.append(_hearing_event(hearing, stamp))
                last_hearing = max(last_hearing, hearing.starts_at.date())
            deadlines = (
                CaseDeadline.objects.filter(scope, date__gte=since)
                .exclude(source=DeadlineSource.CUSTOM, completed_at__isnull=False)
                .exclude(deadline_birth_dates_hidden_from(user))
                .select_related("case")
                .order_by("date", "pk")
            )
            events += [_deadline_event(d, stamp) for d in deadlines]
            milestones = Milestone.objects.filter(
                scope, status__in=OPEN_MILESTONE_STATUSES, due_date__gte=since
            )
            if coordinator_milestones_only:
                milestones = milestones.filter(owner_role=OwnerRole.COORDINATOR)
            events += [
                _milestone_event(m, stamp)
                for m in milestones.select_related("case").order_by("due_date", "pk")
            ]
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Amparo//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for event in events:
        calendar.add_component(event)
    # Time-zone rules only for the span the events cover (the default is 1970-2038).
    calendar.add_missing_timezones(
        first_date=since - dt.timedelta(days=1), last_date=last_hearing + dt.timedelta(days=366)
    )
    return calendar.to_ical()
