"""Reads for the deadline engine: a case's stored facts, as the engine's frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from amparo.cases.models import Case, Hearing
from amparo.core.policy import get_for_user_or_404
from amparo.deadlines.domain import facts as engine
from amparo.deadlines.models import CaseDeadline, CaseFlag, ExtraClosure, Milestone

_ENGINE_RELATIONSHIPS = {r.value for r in engine.Relationship}


def hearing_local_date(hearing: Hearing, court_time_zone: str | None) -> dt.date:
    """The hearing's calendar date where the court sits (deadlines count from that day)."""
    zone = ZoneInfo(court_time_zone) if court_time_zone else timezone.get_current_timezone()
    return timezone.localtime(hearing.starts_at, zone).date()


def case_hearings_for_engine(
    *, case: Case, hearings: Iterable[Hearing] | None = None
) -> list[Hearing]:
    """Scheduled hearings in date order: their positions are the engine's `hearing:N`.
    `hearings`: all the case's hearings, given for a case not inserted yet (a bulk import)."""
    return sorted(
        (
            h
            for h in (case.hearings.all() if hearings is None else hearings)
            if h.status == Hearing.Status.SCHEDULED
        ),
        key=lambda h: h.starts_at,
    )


def case_facts_for_engine(
    *, case: Case, today: dt.date, new_case_hearings: Iterable[Hearing] | None = None
) -> engine.CaseFacts:
    """The case's facts. For a new case not inserted yet (a bulk import), whose related
    managers cannot be used, give its hearings in `new_case_hearings`: it has no opposing
    filing yet."""
    time_zone = case.court.time_zone if case.court_id and case.court else None
    hearings = case_hearings_for_engine(case=case, hearings=new_case_hearings)
    decision = None
    if case.decision_date:
        decision = engine.Decision(
            kind=engine.DecisionKind(case.decision_kind or "oral"),
            date=case.decision_date,
            memo_mailed=case.decision_memo_mailed,
            appeal_waived=case.appeal_waived,
        )
    family = tuple(
        engine.FamilyMember(
            id=str(member.pk),
            relationship=engine.Relationship(member.relationship),
            date_of_birth=member.date_of_birth,
            married=member.married,
        )
        for member in case.client.family_members.all()
        if member.relationship in _ENGINE_RELATIONSHIPS
    )
    return engine.CaseFacts(
        id=case.code,
        as_of=today,
        case_type=engine.CaseType(case.case_type),
        detained=case.detained,
        last_arrival=case.last_arrival,
        is_uac=case.is_unaccompanied_child,
        arrived_with_parent=case.arrived_with_parent,
        date_of_birth=case.client.date_of_birth,
        sij=case.sij_considered,
        i589_received=case.i589_received,
        asylum_clock_delay_days=case.asylum_clock_delay_days,
        hearings=tuple(
            engine.Hearing(
                kind=engine.HearingKind(h.kind),
                date=hearing_local_date(h, time_zone),
                ruling_requested=h.ruling_requested,
                ij_filing_deadline=h.ij_filing_deadline,
            )
            for h in hearings
        ),
        filings_received=tuple(
            engine.FilingReceived(date=f.received_on)
            for f in (case.opposing_filings.all() if new_case_hearings is None else ())
        ),
        decision=decision,
        final_order_date=case.final_order_date,
        supplement_b_signed=case.supplement_b_signed,
        i918_filed=case.i918_filed,
        i918_planned=case.i918_planned,
        i360_filed=case.i360_filed,
        family=family,
        uscis_response_due=case.uscis_response_due,
        uscis_response_method=engine.FilingMethod(case.uscis_response_method)
        if case.uscis_response_method
        else None,
    )


def extra_closure_dates() -> list[dt.date]:
    return list(ExtraClosure.objects.values_list("date", flat=True))


def case_get_for_deadlines(*, viewer: Any, code: str) -> Case:
    """The case whose deadlines and plan the viewer may read (its file: attorney of record,
    staff, placing partner, mentor with access)."""
    queryset = Case.objects.select_related("court", "client", "attorney_of_record", "mentor")
    return get_for_user_or_404(queryset, user=viewer, permission="cases.view_case_file", code=code)


def case_deadline_list(*, case: Case) -> QuerySet[CaseDeadline]:
    return case.deadlines.select_related("hearing").order_by("date", "rule")


def case_flag_list(*, case: Case) -> QuerySet[CaseFlag]:
    return case.flags.order_by("code", "applies_to")


def case_milestone_list(*, case: Case) -> QuerySet[Milestone]:
    return case.milestones.order_by("order", "id")


def _cases_of(user: Any) -> Q:
    return Q(case__attorney_of_record=user) | Q(case__mentor=user)


# Dates computed from a birth date give the birth date away: only those who see the client file
# see them (the anonymized tier shows an age band only, DEADLINE-RULES.md section 7).
BIRTH_DATE_RULES = frozenset({"UAC_TURNS_18", "SIJ_UNDER_21", "DERIVATIVE_TURNS_21"})


def deadline_birth_dates_hidden_from(user: Any) -> Q:
    """The deadlines `user` works on but may not see: those computed from a birth date, on the
    cases they mentor without the file shared with them (cases.view_case_file)."""
    mentored_without_file = Q(case__mentor=user, case__mentor_file_access=False)
    return Q(rule__in=BIRTH_DATE_RULES) & mentored_without_file & ~Q(case__attorney_of_record=user)


def deadline_list_upcoming_for_user(
    *, user: Any, today: dt.date, days: int = 14
) -> QuerySet[CaseDeadline]:
    """Deadlines in the next `days` on the cases the user works on (attorney or mentor)."""
    return (
        CaseDeadline.objects.filter(_cases_of(user), case__stage="placed")
        .filter(date__gte=today, date__lte=today + dt.timedelta(days=days))
        .exclude(completed_at__isnull=False)
        .exclude(deadline_birth_dates_hidden_from(user))
        .select_related("case")
        .order_by("date", "case__code")
    )


def milestone_list_open_for_user(
    *, user: Any, today: dt.date, days: int = 14
) -> QuerySet[Milestone]:
    """Open milestones due in the next `days`, and every overdue one, on the user's cases."""
    return (
        Milestone.objects.filter(_cases_of(user), case__stage="placed")
        .filter(status__in=[Milestone.Status.TO_DO, Milestone.Status.IN_PROGRESS])
        .filter(due_date__lte=today + dt.timedelta(days=days))
        .select_related("case")
        .order_by("due_date", "case__code")
    )
