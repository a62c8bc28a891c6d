"""GET /board: the anonymized board of cases ready for placement, for eligible attorneys."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from pydantic import Field

from amparo.api.errors import responses
from amparo.api.pagination import cursor_decode_int, cursor_encode
from amparo.api.schemas import BoardPageOut
from amparo.cases.board import BoardFilters, board_case_list
from amparo.cases.models import Case, CaseType
from amparo.core.policy import authorize

router = Router(tags=["board"])

MAX_URGENCY = 32767  # Case.urgency is a PositiveSmallIntegerField


class BoardQuery(Schema):
    type: CaseType | None = Field(None, description="Case type.")
    court: int | None = Field(None, ge=1, le=10**9, description="Immigration court id.")
    language: str | None = Field(
        None, pattern=r"^[a-z]{2,4}$", description="A language the client speaks, e.g. es, quc."
    )
    detained: bool | None = None
    children: bool | None = Field(None, description="Children involved.")
    within: int | None = Field(
        None, ge=1, le=3650, description="Next hearing within this many days."
    )
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=200)


def board_card(case: Case, language: str) -> dict[str, Any]:
    """The card's anonymized facts only (the queryset never loads a name: cases/board.py)."""
    return {
        "code": case.code,
        "case_type": case.case_type,
        "case_type_label": case.get_case_type_display(),
        "court": case.court.name if case.court else "",
        "detained": case.detained,
        "unaccompanied_child": case.is_unaccompanied_child,
        "age_band": case.client_age_band,
        "country": case.client.country_of_nationality,
        "languages": [code for code in case.board_languages.split(",") if code],
        "next_hearing_on": case.next_hearing_on,
        "summary": case.summary_es if language == "es" and case.summary_es else case.summary_en,
        "urgency": case.urgency,
        "factors": [
            {
                "factor": str(factor.get("factor", "")),
                "points": int(factor.get("points", 0)),
                "text": str(factor.get(language, factor.get("en", ""))),
            }
            for factor in case.urgency_factors
        ],
    }


@router.get(
    "/board",
    response={200: BoardPageOut, **responses(401, 404, 422, 429)},
    summary="The urgent-case board (anonymized)",
)
def board(request: HttpRequest, query: Query[BoardQuery]) -> dict[str, Any]:
    """Cases ready for placement, anonymized (no name, A-number, birth date or address), most
    urgent first (urgency descending, then id), with the web board's filters. For verified
    attorneys and program staff; anyone else gets 404. Pages by cursor: pass `next_cursor`
    back as `cursor`."""
    authorize(request.user, "cases.view_board")
    filters = BoardFilters(
        case_type=query.type.value if query.type else "",
        court=query.court,
        language=query.language or "",
        detained=query.detained,
        children=query.children,
        hearing_within_days=query.within,
    )
    cases = board_case_list(filters=filters).order_by("-urgency", "id")
    if query.cursor:
        urgency, pk = cursor_decode_int(query.cursor, upper=MAX_URGENCY)
        cases = cases.filter(urgency__lte=urgency).exclude(urgency=urgency, id__lte=pk)
    rows = list(cases[: query.limit + 1])
    page = rows[: query.limit]
    language = "es" if (get_language() or "en").startswith("es") else "en"
    return {
        "results": [board_card(case, language) for case in page],
        "next_cursor": cursor_encode(page[-1].urgency, page[-1].pk)
        if len(rows) > query.limit
        else None,
    }
