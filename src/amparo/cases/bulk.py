"""Case writes for many new cases at once (the bulk import, intake/imports.py): the same outcome
as `case_code_next` called once per case and `case_board_refresh` run after each case's
deadlines, in a fixed number of queries instead of a few per case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import F
from django.utils import timezone

from amparo.cases.domain.urgency import UrgencyFacts, age_band, urgency_score
from amparo.cases.models import Case, CaseCodeCounter, Hearing, Stage
from amparo.cases.placement import _age
from amparo.cases.services import case_code_next

# The card facts `case_board_refresh` writes.
BOARD_FIELDS = (
    "urgency",
    "urgency_factors",
    "client_age_band",
    "has_children",
    "board_languages",
    "next_hearing_on",
)
_UPDATE_BATCH = 500


def case_codes_reserve(*, year: int, count: int) -> list[str]:
    """`count` consecutive case codes, as `case_code_next` would give them one after the other.

    Call inside the transaction that saves the cases: the first code comes from
    `case_code_next` (which creates the year's counter if needed and locks its row), the rest
    are taken by moving the locked counter on in one update."""
    if count <= 0:
        return []
    first = case_code_next(year=year)
    prefix, _dash, number = first.rpartition("-")
    if count > 1:
        CaseCodeCounter.objects.filter(year=year).update(last_number=F("last_number") + count - 1)
    start = int(number)
    return [f"{prefix}-{n:04d}" for n in range(start, start + count)]


def cases_board_refresh(
    *, cases: Sequence[Case], next_deadlines: dict[int, dt.date | None], today: dt.date
) -> None:
    """`case_board_refresh` for many cases whose hearings and client's family members are
    prefetched; `next_deadlines` holds each case's next open URGENT_RULES deadline (from today),
    which the caller knows from the deadlines it just wrote."""
    now = timezone.now()
    for case in cases:
        client = case.client
        hearings = [
            h
            for h in case.hearings.all()
            if h.status == Hearing.Status.SCHEDULED and timezone.localdate(h.starts_at) >= today
        ]
        next_hearing = min((timezone.localdate(h.starts_at) for h in hearings), default=None)
        next_deadline = next_deadlines.get(case.pk)
        children = [m for m in client.family_members.all() if m.relationship == "child"]
        client_age = _age(client.date_of_birth, today)
        waiting_since = case.ready_at or case.created_at
        result = urgency_score(
            UrgencyFacts(
                days_to_next_hearing=(next_hearing - today).days if next_hearing else None,
                days_to_next_filing_deadline=(next_deadline - today).days
                if next_deadline
                else None,
                detained=case.detained,
                children_involved=bool(children) or (client_age is not None and client_age < 18),
                unaccompanied_child=case.is_unaccompanied_child,
                days_waiting=max(0, (now - waiting_since).days)
                if case.stage == Stage.READY and waiting_since
                else 0,
            )
        )
        case.urgency = result.score
        case.urgency_factors = [
            {"factor": f.factor, "points": f.points, "en": f.en, "es": f.es} for f in result.factors
        ]
        case.client_age_band = age_band(client_age)
        case.has_children = bool(children) or (client_age is not None and client_age < 18)
        codes = case.languages or client.languages or []
        case.board_languages = "".join(f",{code}" for code in codes) + "," if codes else ""
        case.next_hearing_on = next_hearing
    # Like case_board_refresh's update(): updated_at is left as it is.
    Case.objects.bulk_update(cases, BOARD_FIELDS, batch_size=_UPDATE_BATCH)
