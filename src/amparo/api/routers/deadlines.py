"""POST /deadlines/compute (stateless) and GET /me/deadlines (the caller's upcoming ones)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from amparo.api.errors import ApiError, invalid, responses
from amparo.api.pagination import cursor_decode_date, cursor_encode
from amparo.api.schemas import DeadlineComputeOut, DeadlinePageOut
from amparo.deadlines.domain import facts
from amparo.deadlines.domain.business_days import us_federal_calendar
from amparo.deadlines.domain.contract import (
    MAX_DELAY_DAYS,
    BatchReadError,
    compute_batch,
    read_batch_text,
)
from amparo.deadlines.models import CaseDeadline
from amparo.deadlines.selectors import deadline_list_upcoming_for_user, extra_closure_dates

router = Router(tags=["deadlines"])

MAX_BATCH = 500

_DATE = {"type": "string", "format": "date", "example": "2026-03-02"}


def _enum(kind: Any) -> dict[str, Any]:
    return {"type": "string", "enum": [member.value for member in kind]}


def _array_of(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "object", "properties": properties, "required": required},
    }


# The JSON contract of amparo.deadlines.domain.contract (the same as manage.py compute_deadlines),
# described for OpenAPI; the contract itself reads and checks the body.
CASE_FACTS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "maxItems": MAX_BATCH,
    "items": {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "maxLength": 200},
            "as_of": _DATE,
            "case_type": _enum(facts.CaseType),
            "detained": {"type": "boolean"},
            "last_arrival": _DATE,
            "is_uac": {"type": "boolean"},
            "arrived_with_parent": {"type": "boolean"},
            "date_of_birth": _DATE,
            "sij": {"type": "boolean"},
            "i589_received": _DATE,
            "asylum_clock_delay_days": {"type": "integer", "minimum": 0, "maximum": MAX_DELAY_DAYS},
            "hearings": _array_of(
                {
                    "kind": _enum(facts.HearingKind),
                    "date": _DATE,
                    "ruling_requested": {"type": "boolean"},
                    "ij_filing_deadline": _DATE,
                },
                ["kind", "date"],
            ),
            "filings_received": _array_of({"date": _DATE}, ["date"]),
            "decision": {
                "type": "object",
                "required": ["kind", "date"],
                "properties": {
                    "kind": _enum(facts.DecisionKind),
                    "date": _DATE,
                    "memo_mailed": _DATE,
                    "appeal_waived": {"type": "boolean"},
                },
            },
            "final_order_date": _DATE,
            "supplement_b_signed": _DATE,
            "i918_filed": _DATE,
            "i918_planned": _DATE,
            "i360_filed": _DATE,
            "family": _array_of(
                {
                    "id": {"type": "string"},
                    "relationship": _enum(facts.Relationship),
                    "date_of_birth": _DATE,
                    "married": {"type": "boolean"},
                },
                ["id", "relationship"],
            ),
            "uscis_response_due": _DATE,
            "uscis_response_method": _enum(facts.FilingMethod),
        },
    },
}


def _language() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


@router.post(
    "/deadlines/compute",
    response={200: list[DeadlineComputeOut], **responses(400, 401, 413, 422, 429)},
    summary="Compute deadlines from case facts (stateless)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CASE_FACTS_SCHEMA}},
        }
    },
)
def deadlines_compute(request: HttpRequest) -> JsonResponse:
    """Send a JSON array of case facts; get one JSON object per element, in order: the
    deadlines, flags and U visa derivative assessments the rules engine computes (each with its
    citation and explanation, in your language), or that element's `error`/`errors` (field path
    and message). The input and output are exactly those of `manage.py compute_deadlines`
    (docs/deadline-rules.md). Nothing is stored. Federal holidays are built in; the program's
    extra closure days are taken into account for warnings and safe targets."""
    language = _language()
    try:
        raw = read_batch_text(request.body)
    except RequestDataTooBig:
        raise ApiError(413, "too_large", _("The request is too large: send fewer cases.")) from None
    except BatchReadError as error:
        raise invalid({"body": [error.text.in_language(language)]}) from None
    except RecursionError:
        raise ApiError(400, "bad_request", _("The request body is not valid JSON.")) from None
    if len(raw) > MAX_BATCH:
        raise invalid({"body": [_("Send at most %(n)d cases per request.") % {"n": MAX_BATCH}]})
    results = compute_batch(
        raw,
        today=timezone.localdate(),
        calendar=us_federal_calendar(extra_closure_dates()),
        language=language,
    )
    # ASCII-escaped: the same JSON values as the command prints, and an id with a lone
    # surrogate (valid in JSON text) is echoed back without breaking the encoding.
    return JsonResponse(results, safe=False)


def deadline_out(deadline: CaseDeadline) -> dict[str, Any]:
    return {
        "case": deadline.case.code,
        "rule": deadline.rule,
        "label": deadline.label,
        "date": deadline.date,
        "safe_target": deadline.safe_target,
        "source": deadline.source,
        "citation": deadline.citation,
        "explanation": deadline.explanation or deadline.title,
        "done": deadline.completed_at is not None,
    }


class UpcomingQuery(Schema):
    days: int = Field(14, ge=1, le=366, description="How far ahead to look, in days.")
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=200)


@router.get(
    "/me/deadlines",
    response={200: DeadlinePageOut, **responses(401, 422, 429)},
    summary="Your upcoming deadlines",
)
def my_deadlines(request: HttpRequest, query: Query[UpcomingQuery]) -> dict[str, Any]:
    """The open deadlines of the next `days` days on the cases you work on (as attorney of
    record or as mentor), soonest first, by cursor pages."""
    today = timezone.localdate()
    deadlines = (
        deadline_list_upcoming_for_user(user=request.user, today=today, days=query.days)
        .only("id", "rule", "date", "safe_target", "source", "citation", "title",
              "explanation_en", "explanation_es", "completed_at", "case__code")
        .order_by("date", "id")
    )  # fmt: skip
    if query.cursor:
        after, pk = cursor_decode_date(query.cursor)
        deadlines = deadlines.filter(date__gte=after).exclude(date=after, id__lte=pk)
    rows = list(deadlines[: query.limit + 1])
    page = rows[: query.limit]
    more = len(rows) > query.limit
    return {
        "results": [deadline_out(d) for d in page],
        "next_cursor": cursor_encode(page[-1].date, page[-1].pk) if more else None,
    }
