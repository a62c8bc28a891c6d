"""Reads of the case workspace, always scoped by the policy; list reads take a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from amparo.cases.models import Case, Hearing, Stage
from amparo.core.policy import authorize, get_for_user_or_404
from amparo.deadlines.models import Milestone
from amparo.deadlines.selectors import hearing_local_date
from amparo.mentoring_work.models import Message
from amparo.workspace.domain.risk import Risk, RiskFacts, risk_score
from amparo.workspace.models import (
    IN_PERSON_CHANNELS,
    CaseDocument,
    CaseDocumentVersion,
    ClientContact,
    DocumentComment,
    HandoffPacket,
    HoursEntry,
    StatusRequest,
    StatusRequestRecipient,
    WithdrawalRequest,
)

#: The program recommends meeting the client in person at least once before the individual
#: hearing; the workspace warns when that hearing is this close and no such meeting is logged.
IN_PERSON_WARNING_DAYS = 14
ZERO_HOURS = Decimal("0.00")


def as_hours(value: Decimal | None) -> Decimal:
    """Hours with two decimals (SQLite's SUM loses the column's scale)."""
    return (value or ZERO_HOURS).quantize(Decimal("0.01"))


def case_get_for_workspace(*, viewer: Any, code: str) -> Case:
    queryset = Case.objects.select_related(
        "client", "court", "placing_organization", "attorney_of_record", "mentor"
    )
    return get_for_user_or_404(
        queryset, user=viewer, permission="workspace.view_workspace", code=code
    )


def case_hearing_list(*, case: Case) -> list[Hearing]:
    """Every hearing of the case, rescheduled and past ones included, with its outcome."""
    return list(
        Hearing.objects.filter(case=case)
        .select_related("outcome", "rescheduled_from")
        .order_by("starts_at", "id")
    )


def hearing_get_for_case(*, case: Case, pk: int) -> Hearing | None:
    return Hearing.objects.filter(case=case, pk=pk).select_related("outcome").first()


def next_hearing(*, hearings: list[Hearing], now: dt.datetime) -> Hearing | None:
    upcoming = [h for h in hearings if h.status == Hearing.Status.SCHEDULED and h.starts_at >= now]
    return min(upcoming, key=lambda h: h.starts_at, default=None)


def case_contact_list(*, case: Case) -> list[ClientContact]:
    return list(case.client_contacts.select_related("logged_by").order_by("-contacted_on", "-id"))


def in_person_meeting_missing(
    *,
    case: Case,
    hearings: list[Hearing],
    contacts: list[ClientContact],
    today: dt.date,
) -> Hearing | None:
    """The individual hearing within IN_PERSON_WARNING_DAYS for which no in-person meeting (or
    detention visit) has been logged, if any: the program's recommendation (seeds/000)."""
    if any(contact.channel in IN_PERSON_CHANNELS for contact in contacts):
        return None
    time_zone = case.court.time_zone if case.court_id and case.court else None
    last_day = today + dt.timedelta(days=IN_PERSON_WARNING_DAYS)
    for hearing in sorted(hearings, key=lambda h: h.starts_at):
        if hearing.status != Hearing.Status.SCHEDULED or hearing.kind != Hearing.Kind.INDIVIDUAL:
            continue
        if today <= hearing_local_date(hearing, time_zone) <= last_day:
            return hearing
    return None


def case_hours_list(*, case: Case) -> list[HoursEntry]:
    return list(case.hours.select_related("attorney").order_by("-worked_on", "-id"))


def hours_entry_get_for_case(*, case: Case, pk: int) -> HoursEntry | None:
    return case.hours.filter(pk=pk).first()


def withdrawal_request_pending(*, case: Case) -> WithdrawalRequest | None:
    return (
        case.withdrawal_requests.filter(status=WithdrawalRequest.Status.PENDING)
        .select_related("attorney")
        .first()
    )


def withdrawal_request_get_for_case(*, case: Case, pk: int) -> WithdrawalRequest | None:
    return case.withdrawal_requests.filter(pk=pk).select_related("attorney").first()


def withdrawal_request_list_pending() -> QuerySet[WithdrawalRequest]:
    return (
        WithdrawalRequest.objects.filter(status=WithdrawalRequest.Status.PENDING)
        .select_related("case", "attorney")
        .order_by("created_at", "id")
    )


def handoff_packet_list(*, case: Case) -> list[HandoffPacket]:
    return list(
        case.handoff_packets.select_related("former_attorney")
        .defer("content")
        .order_by("-created_at", "-id")
    )


def handoff_packet_get_for_user(*, viewer: Any, code: str, pk: int) -> HandoffPacket:
    packet = (
        HandoffPacket.objects.select_related("case", "former_attorney", "created_by")
        .filter(pk=pk, case__code=code)
        .first()
    )
    if packet is None:
        raise Http404
    authorize(viewer, "workspace.view_handoff", packet.case)
    return packet


# --- hours totals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HoursPeriod:
    start: dt.date | None
    end: dt.date | None

    def filter(self) -> Q:
        query = Q()
        if self.start:
            query &= Q(worked_on__gte=self.start)
        if self.end:
            query &= Q(worked_on__lte=self.end)
        return query


def hours_entries(*, period: HoursPeriod, attorney: Any = None) -> QuerySet[HoursEntry]:
    entries = HoursEntry.objects.filter(period.filter())
    if attorney is not None:
        entries = entries.filter(attorney=attorney)
    return entries


def hours_totals_by_attorney(*, period: HoursPeriod, attorney: Any = None) -> list[dict[str, Any]]:
    """One row per attorney: name, firm (as logged), number of cases and hours. One query."""
    rows = (
        hours_entries(period=period, attorney=attorney)
        .values("attorney_id", "attorney__full_name", "attorney__email", "firm__name")
        .annotate(hours=Sum("hours"), cases=Count("case", distinct=True))
        .order_by("attorney__full_name", "attorney_id", "firm__name")
    )
    return [
        {
            "attorney_id": row["attorney_id"],
            "attorney": row["attorney__full_name"] or row["attorney__email"],
            "firm": row["firm__name"] or "",
            "cases": row["cases"],
            "hours": as_hours(row["hours"]),
        }
        for row in rows
    ]


def hours_totals_by_firm(*, period: HoursPeriod) -> list[dict[str, Any]]:
    """One row per law firm (hours of attorneys without a firm are one row). One query."""
    rows = (
        hours_entries(period=period)
        .values("firm_id", "firm__name")
        .annotate(
            hours=Sum("hours"),
            attorneys=Count("attorney", distinct=True),
            cases=Count("case", distinct=True),
        )
        .order_by("firm__name", "firm_id")
    )
    return [
        {
            "firm_id": row["firm_id"],
            "firm": row["firm__name"] or "",
            "attorneys": row["attorneys"],
            "cases": row["cases"],
            "hours": as_hours(row["hours"]),
        }
        for row in rows
    ]


def hours_totals_by_case(*, period: HoursPeriod, attorney: Any) -> list[dict[str, Any]]:
    rows = (
        hours_entries(period=period, attorney=attorney)
        .values("case__code")
        .annotate(hours=Sum("hours"))
        .order_by("case__code")
    )
    return [{"case": row["case__code"], "hours": as_hours(row["hours"])} for row in rows]


def hours_total(*, period: HoursPeriod, attorney: Any = None) -> Decimal:
    total = hours_entries(period=period, attorney=attorney).aggregate(total=Sum("hours"))
    return as_hours(total["total"])


def hours_entries_for_export(*, period: HoursPeriod, attorney: Any = None) -> QuerySet[HoursEntry]:
    """Entries with case codes, never client names nor the (encrypted) descriptions."""
    return (
        hours_entries(period=period, attorney=attorney)
        .select_related("attorney", "firm", "case")
        .only(
            "worked_on",
            "activity",
            "hours",
            "attorney__full_name",
            "attorney__email",
            "firm__name",
            "case__code",
        )
        .order_by("worked_on", "attorney__full_name", "id")
    )


# --- status-update requests -----------------------------------------------------------------


def status_request_list() -> QuerySet[StatusRequest]:
    return (
        StatusRequest.objects.select_related("sent_by")
        .annotate(
            recipient_count=Count("recipients"),
            answered_count=Count("recipients", filter=Q(recipients__answered_at__isnull=False)),
        )
        .order_by("-created_at", "-id")
    )


def status_request_get(*, pk: int) -> StatusRequest | None:
    return StatusRequest.objects.select_related("sent_by").filter(pk=pk).first()


def status_request_recipient_list(*, status_request: StatusRequest) -> list[StatusRequestRecipient]:
    """Who was asked: those who have not answered first, then answers in the order they came."""
    recipients = list(status_request.recipients.select_related("attorney"))
    recipients.sort(
        key=lambda r: (r.is_answered, r.answered_at or r.created_at, r.attorney.full_name)
    )
    return recipients


def status_request_recipient_get_for_user(*, viewer: Any, pk: int) -> StatusRequestRecipient:
    return get_for_user_or_404(
        StatusRequestRecipient.objects.select_related("status_request", "attorney"),
        user=viewer,
        permission="workspace.answer_status_request",
        pk=pk,
    )


def status_requests_for_attorney(*, attorney: Any) -> list[StatusRequestRecipient]:
    return list(
        StatusRequestRecipient.objects.filter(attorney=attorney)
        .select_related("status_request", "status_request__sent_by")
        .order_by(F("answered_at").asc(nulls_first=True), "-status_request__created_at")
    )


# --- documents ------------------------------------------------------------------------------


def case_document_list(*, case: Case) -> list[CaseDocument]:
    """The case's documents, newest first, each with its versions (newest first) and their
    comments: four queries whatever the number of documents."""
    versions = (
        CaseDocumentVersion.objects.select_related("uploaded_by")
        .prefetch_related(
            Prefetch("comments", queryset=DocumentComment.objects.select_related("author"))
        )
        .order_by("-number")
    )
    return list(
        CaseDocument.objects.filter(case=case)
        .select_related("milestone")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("-created_at", "-id")
    )


def case_document_get_for_case(*, case: Case, pk: int) -> CaseDocument | None:
    return CaseDocument.objects.filter(case=case, pk=pk).first()


def case_document_version_get_for_case(*, case: Case, pk: int) -> CaseDocumentVersion | None:
    return (
        CaseDocumentVersion.objects.filter(document__case=case, pk=pk)
        .select_related("document", "document__case")
        .first()
    )


# --- early warning --------------------------------------------------------------------------


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) of `queryset` (which filters on OuterRef) as an annotation."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _latest(queryset: QuerySet[Any], field: str) -> Subquery:
    return Subquery(queryset.order_by().annotate(_m=Func(F(field), function="MAX")).values("_m"))


@dataclass(frozen=True)
class CaseRisk:
    case: Case
    facts: RiskFacts
    risk: Risk


def _days_between(later: dt.date, earlier: dt.date | dt.datetime | None) -> int | None:
    if earlier is None:
        return None
    if isinstance(earlier, dt.datetime):
        earlier = timezone.localdate(earlier)
    return (later - earlier).days


def case_risk_list(*, viewer: Any, now: dt.datetime | None = None) -> list[CaseRisk]:
    """Every placed case with its early-warning score, riskiest first (ties: the nearest hearing,
    then the code). One query whatever the number of cases: each fact is a correlated subquery
    or an aggregate of the case row, never a query per case."""
    authorize(viewer, "workspace.view_cases_at_risk")
    now = now or timezone.now()
    today = timezone.localdate(now)
    case_ref = OuterRef("pk")
    cases = (
        Case.objects.filter(stage=Stage.PLACED)
        .select_related("attorney_of_record", "mentor")
        .annotate(
            next_hearing_at=Subquery(
                Hearing.objects.filter(
                    case=case_ref, status=Hearing.Status.SCHEDULED, starts_at__gte=now
                )
                .order_by("starts_at")
                .values("starts_at")[:1]
            ),
            last_contact_on=_latest(ClientContact.objects.filter(case=case_ref), "contacted_on"),
            last_hours_on=_latest(HoursEntry.objects.filter(case=case_ref), "worked_on"),
            last_document_at=_latest(
                CaseDocumentVersion.objects.filter(document__case=case_ref), "uploaded_at"
            ),
            overdue_milestones=_count(
                Milestone.objects.filter(
                    case=case_ref,
                    due_date__lt=today,
                    status__in=(Milestone.Status.TO_DO, Milestone.Status.IN_PROGRESS),
                )
            ),
            overdue_messages=_count(
                Message.objects.filter(
                    mentorship__case=case_ref,
                    response_due_at__lt=now,
                    answered_at__isnull=True,
                )
            ),
            unanswered_status_requests=_count(
                StatusRequestRecipient.objects.filter(
                    attorney=OuterRef("attorney_of_record"), answered_at__isnull=True
                )
            ),
        )
    )
    rows = []
    for case in cases:
        next_hearing_at = case.next_hearing_at
        facts = RiskFacts(
            days_to_next_hearing=_days_between(timezone.localdate(next_hearing_at), today)
            if next_hearing_at
            else None,
            days_since_last_contact=_days_between(today, case.last_contact_on),
            days_since_last_hours=_days_between(today, case.last_hours_on),
            days_since_last_document=_days_between(today, case.last_document_at),
            days_since_placed=_days_between(today, case.placed_at),
            overdue_milestones=case.overdue_milestones,
            overdue_mentor_messages=case.overdue_messages,
            unanswered_status_requests=case.unanswered_status_requests,
        )
        rows.append(CaseRisk(case=case, facts=facts, risk=risk_score(facts)))
    far = 10**6
    rows.sort(
        key=lambda row: (
            -row.risk.score,
            row.facts.days_to_next_hearing if row.facts.days_to_next_hearing is not None else far,
            row.case.code,
        )
    )
    return rows
