"""The urgent-case board: anonymized cards of cases ready for placement, ranked by urgency.

A card carries only what DEADLINE-RULES.md section 7 allows before placement: age band, country,
case type, court, detention, languages, next hearing date, the anonymized summary and the
urgency factors. The queryset below never selects the client row, so a name cannot leak into a
card by accident; the page costs the same few queries whatever its size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from amparo.cases.models import Case, CaseType, Stage

BOARD_FIELDS = (
    "id",
    "code",
    "case_type",
    "court__name",
    "court__city",
    "detained",
    "is_unaccompanied_child",
    "client_age_band",
    "has_children",
    "board_languages",
    "next_hearing_on",
    "summary_en",
    "summary_es",
    "urgency",
    "urgency_factors",
    "client__country_of_nationality",
    "published_at",
)


@dataclass(frozen=True)
class BoardFilters:
    case_type: str = ""
    court: int | None = None
    language: str = ""
    detained: bool | None = None
    children: bool | None = None
    hearing_within_days: int | None = None

    @classmethod
    def from_query(cls, query: Any) -> BoardFilters:
        """Read filters from GET parameters; anything malformed is ignored, never an error."""

        def as_bool(value: str) -> bool | None:
            return {"yes": True, "no": False}.get(value)

        def as_int(value: str, *, upper: int) -> int | None:
            return int(value) if value.isdigit() and 0 < int(value) <= upper else None

        case_type = query.get("type", "")
        language = query.get("language", "")
        return cls(
            case_type=case_type if case_type in CaseType.values else "",
            court=as_int(query.get("court", ""), upper=10**9),
            language=language if language.isalpha() and len(language) <= 4 else "",
            detained=as_bool(query.get("detained", "")),
            children=as_bool(query.get("children", "")),
            hearing_within_days=as_int(query.get("within", ""), upper=3650),
        )


def board_case_list(*, filters: BoardFilters, today: dt.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    cases = Case.objects.filter(stage=Stage.READY, attorney_of_record__isnull=True)
    if filters.case_type:
        cases = cases.filter(case_type=filters.case_type)
    if filters.court:
        cases = cases.filter(court_id=filters.court)
    if filters.language:
        cases = cases.filter(board_languages__contains=f",{filters.language},")
    if filters.detained is not None:
        cases = cases.filter(detained=filters.detained)
    if filters.children is not None:
        cases = cases.filter(has_children=filters.children)
    if filters.hearing_within_days:
        cases = cases.filter(
            next_hearing_on__gte=today,
            next_hearing_on__lte=today + dt.timedelta(days=filters.hearing_within_days),
        )
    return (
        cases.select_related("court", "client")
        .only(*BOARD_FIELDS)
        .order_by("-urgency", "next_hearing_on", "id")
    )


@dataclass(frozen=True)
class BoardPage:
    page: Page  # numbers and count for the pager; its object_list holds the cases' ids
    cases: list[Case]


def board_page(*, filters: BoardFilters, number: Any, per_page: int) -> BoardPage:
    """One page of the board, read in two steps: the page's ids in board order (from the
    board's own index, which holds the order and the id, however deep the page), then those
    cases with their court and client's country. An OFFSET over the joined rows would read
    and sort every case on the board for a deep page."""
    ids = board_case_list(filters=filters).values_list("id", flat=True)
    page = Paginator(ids, per_page).get_page(number)
    page_ids = list(page.object_list)
    by_id = board_case_list(filters=filters).order_by().in_bulk(page_ids)
    return BoardPage(page=page, cases=[by_id[pk] for pk in page_ids if pk in by_id])


def board_case_get(*, code: str) -> Case | None:
    return (
        Case.objects.filter(stage=Stage.READY, attorney_of_record__isnull=True, code=code)
        .select_related("court", "client")
        .only(*BOARD_FIELDS)
        .first()
    )
