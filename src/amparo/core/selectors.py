"""Reading the audit log: the staff's search, newest first, one keyset page at a time.

Keyset pages (`created_at`, `id` below or above a cursor) cost the same on the first page and
on the ten-thousandth, and never count the whole log (it only grows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from amparo.core.models import AuditEvent

AUDIT_LOG_PAGE_SIZE = 50

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
#: The person filter's matches named in the search's own audit event (ids only), at most.
SEARCHED_PEOPLE_LIMIT = 100


@dataclass(frozen=True)
class AuditCursor:
    """A position in the log: the (created_at, id) of the event a page starts or ends at."""

    created_at: dt.datetime
    id: int

    def encode(self) -> str:
        return f"{(self.created_at - _EPOCH) // _MICROSECOND}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> AuditCursor:
        """Raise ValueError when `value` is not a cursor this module wrote."""
        micros, _, pk = value.partition(".")
        if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
            raise ValueError(value)
        try:
            created_at = _EPOCH + int(micros) * _MICROSECOND
        except OverflowError as error:
            raise ValueError(value) from error
        return cls(created_at=created_at, id=int(pk))

    @classmethod
    def of(cls, event: AuditEvent) -> AuditCursor:
        return cls(created_at=event.created_at, id=event.pk)


@dataclass(frozen=True)
class AuditLogFilters:
    person: str = ""  # part of the actor's e-mail
    action: str = ""
    target: str = ""  # a case code, or an object id
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # included
    ip_address: str = ""

    def is_case_code(self) -> bool:
        return bool(self.target) and not self.target.isdigit()

    def query(self) -> Q:
        query = Q()
        if self.person:
            query &= Q(actor__email__icontains=self.person)
        if self.action:
            query &= Q(action=self.action)
        if self.target and self.is_case_code():
            code = self.target.upper()
            # Events on the case itself (its id as text), and events on other objects that
            # name the case by its code (a conflict hit, a mentoring request, a statement line).
            case_ids = (
                apps.get_model("cases", "Case")
                .objects.filter(code=code)
                .annotate(id_text=Cast("pk", output_field=CharField()))
                .values("id_text")
            )
            query &= Q(object_type="cases.case", object_id__in=case_ids) | Q(data__case_code=code)
        elif self.target:
            query &= Q(object_id=self.target)
        if self.date_from:
            query &= Q(created_at__gte=_start_of(self.date_from))
        if self.date_to:
            query &= Q(created_at__lt=_start_of(self.date_to + dt.timedelta(days=1)))
        if self.ip_address:
            query &= Q(ip_address=self.ip_address)
        return query

    def for_audit(self) -> dict[str, Any]:
        """The filters as the search's own audit event keeps them: codes, ids and dates."""
        kept: dict[str, Any] = {
            "action": self.action,
            "case_code": self.target.upper() if self.is_case_code() else "",
            "object_id": self.target if self.target and not self.is_case_code() else "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "ip_address": self.ip_address,
        }
        return {key: value for key, value in kept.items() if value}


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the program's time zone: the dates staff type are local dates."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class AuditLogPage:
    events: list[AuditEvent]
    newer: AuditCursor | None = None  # link to the newer events (`after=`), if any
    older: AuditCursor | None = None  # link to the older events (`before=`), if any
    is_first: bool = True


def audit_event_list(
    *,
    filters: AuditLogFilters,
    before: AuditCursor | None = None,
    after: AuditCursor | None = None,
    page_size: int = AUDIT_LOG_PAGE_SIZE,
) -> AuditLogPage:
    """One page of matching events, newest first: the page after `before` (older events), the
    page before `after` (newer events), or the newest page. One query (two when `after` has
    reached the newest events, which then shows the newest page)."""
    events: QuerySet[AuditEvent] = AuditEvent.objects.select_related("actor").filter(
        filters.query()
    )
    if after is not None:
        rows = list(
            events.filter(
                Q(created_at__gt=after.created_at) | Q(created_at=after.created_at, id__gt=after.id)
            ).order_by("created_at", "id")[: page_size + 1]
        )
        if len(rows) <= page_size:
            # Back at the newest events: show the newest page itself (full, and without cursor).
            return audit_event_list(filters=filters, page_size=page_size)
        rows = rows[:page_size][::-1]
        return AuditLogPage(
            events=rows,
            newer=AuditCursor.of(rows[0]),
            # The cursor's own event is older than this page: there is always an older page.
            older=AuditCursor.of(rows[-1]),
            is_first=False,
        )
    if before is not None:
        events = events.filter(
            Q(created_at__lt=before.created_at) | Q(created_at=before.created_at, id__lt=before.id)
        )
    rows = list(events.order_by("-created_at", "-id")[: page_size + 1])
    has_older = len(rows) > page_size
    rows = rows[:page_size]
    return AuditLogPage(
        events=rows,
        newer=(AuditCursor.of(rows[0]) if rows else before) if before is not None else None,
        older=AuditCursor.of(rows[-1]) if rows and has_older else None,
        is_first=before is None,
    )


def audit_log_people_ids(*, person: str) -> tuple[list[int], bool]:
    """Ids of the users the person filter matches (for the search's own audit event), at most
    SEARCHED_PEOPLE_LIMIT of them, and whether there were more."""
    from amparo.accounts.models import User

    ids = list(
        User.objects.filter(email__icontains=person)
        .order_by("pk")
        .values_list("pk", flat=True)[: SEARCHED_PEOPLE_LIMIT + 1]
    )
    return ids[:SEARCHED_PEOPLE_LIMIT], len(ids) > SEARCHED_PEOPLE_LIMIT
