"""The JSON contract of ``manage.py solve_matching``: read a batch of requests and mentors,
solve it with ``matching.assign_all`` and write the result, so that admins can plan capacity.

Input (an object)::

    {"as_of": "2026-01-05",                      optional; default: the caller's today
     "requests": [{"id": "r1", "case_type": "defensive_asylum", "court": "San Francisco",
                   "languages": ["es"], "hearing_date": "2026-02-01", "conflicts": ["m7"],
                   "attorney": "a3", "topics": ["children"]}, ...],
     "mentors": [{"id": "m1", "languages": ["es"], "expertise": ["defensive_asylum"],
                  "courts": ["San Francisco"], "capacity": 3, "load": 1,
                  "prior_mentees": ["a3"]}, ...]}

Required: a request's ``id`` and ``case_type``; a mentor's ``id``, ``expertise`` and
``capacity``. Everything else may be left out (an empty list, null, ``load`` 0). Ids are strings
or integers, echoed as given; they are compared by their text, so a conflict written ``7`` still
excludes mentor ``"7"``. Unknown keys are errors (a typo must not silently drop a constraint).

Output::

    {"as_of": "2026-01-05",
     "assignments": [{"request": "r1", "mentor": "m1", "score": 87.5,
                      "reasons": [{"factor": "expertise", "points": 25.0, "text": "..."}, ...]}],
     "unassigned": [{"request": "r2", "code": "language", "why": "no mentor with ... speaks: K'iche'"}],
     "errors": [{"field": "requests[3].languages", "message": "must be a list of ..."}],
     "summary": {"requests": 10, "matched": 8, "unassigned": 2, "total_score": 690.5,
                 "places_before": 30, "places_after": 22}}

``code`` is a ``matching.Why`` value, or ``invalid`` for a request whose own entry has errors
(it is listed in ``errors`` and not matched). A mentor entry with errors is left out of the
batch. Only text that is not JSON, a top level that is not an object, ``requests`` or
``mentors`` that is missing or not an array, or a bad ``as_of`` fails the whole batch
(``MatchingReadError``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from amparo.mentoring.domain.matching import (
    Key,
    MentorFacts,
    RequestFacts,
    Unassigned,
    assign_all,
)

EARLIEST_DATE: Final = date(1900, 1, 1)
LATEST_DATE: Final = date(2100, 12, 31)
MAX_TEXT: Final = 200
MAX_CAPACITY: Final = 10_000
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

TOP_KEYS: Final = frozenset({"as_of", "requests", "mentors"})
REQUEST_KEYS: Final = frozenset(
    {"id", "case_type", "court", "languages", "hearing_date", "conflicts", "attorney", "topics"}
)
MENTOR_KEYS: Final = frozenset(
    {"id", "languages", "expertise", "courts", "capacity", "load", "prior_mentees"}
)

_TEXT = f"a non-empty string of at most {MAX_TEXT} characters"
_ID = f"a string of 1 to {MAX_TEXT} characters or an integer"


class MatchingReadError(ValueError):
    """Nothing could be read: the whole batch is refused."""


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


@dataclass(slots=True)
class ParsedInput:
    as_of: date
    requests: list[RequestFacts] = field(default_factory=list)
    mentors: list[MentorFacts] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    # Requests whose entry had errors but whose id could be read: reported as unassigned.
    invalid: list[tuple[Key, str]] = field(default_factory=list)


def _parse_date(value: object) -> date | None:
    """A YYYY-MM-DD date between 1900 and 2100, or None when the value is not one."""
    if not isinstance(value, str) or not _DATE_SHAPE.fullmatch(value):
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if EARLIEST_DATE <= parsed <= LATEST_DATE else None


def read_input_text(text: str, *, today: date) -> tuple[Mapping[str, object], date]:
    """Parse the text and check the top level; return the object and the ``as_of`` date."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise MatchingReadError(f"the input is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise MatchingReadError(
            'the input must be a JSON object with "requests" and "mentors" arrays'
        )
    for key in ("requests", "mentors"):
        if key not in data:
            raise MatchingReadError(f"{key}: this field is required (a JSON array)")
        if not isinstance(data[key], list):
            raise MatchingReadError(f"{key}: must be a JSON array")
    as_of = today
    if data.get("as_of") is not None:
        parsed = _parse_date(data["as_of"])
        if parsed is None:
            raise MatchingReadError(
                f"as_of: must be a real date written YYYY-MM-DD, between "
                f"{EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"
            )
        as_of = parsed
    return data, as_of


class _Entry:
    """Reads one request or mentor entry, collecting every problem with the field's path."""

    def __init__(self, raw: Mapping[str, object], path: str) -> None:
        self.raw = raw
        self.path = path
        self.errors: list[FieldError] = []

    def fail(self, key: str, message: str) -> None:
        self.errors.append(FieldError(f"{self.path}.{key}", message))

    def _is_text(self, value: object) -> bool:
        return isinstance(value, str) and len(value.strip()) > 0 and len(value) <= MAX_TEXT

    def _is_id(self, value: object) -> bool:
        return self._is_text(value) or (isinstance(value, int) and not isinstance(value, bool))

    def ident(self, key: str, *, required: bool) -> Key | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(key, "this field is required")
            return None
        if not self._is_id(value):
            self.fail(key, f"must be {_ID}")
            return None
        assert isinstance(value, int | str)
        return value

    def text(self, key: str, *, required: bool) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(key, "this field is required")
            return None
        if not self._is_text(value):
            self.fail(key, f"must be {_TEXT}")
            return None
        assert isinstance(value, str)
        return value.strip()

    def texts(self, key: str, *, required: bool = False) -> list[str]:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(key, "this field is required (a list)")
            return []
        if not isinstance(value, list):
            self.fail(key, f"must be a list of strings ({_TEXT})")
            return []
        good: list[str] = []
        for i, item in enumerate(value):
            if self._is_text(item):
                assert isinstance(item, str)
                good.append(item.strip())
            else:
                self.fail(f"{key}[{i}]", f"must be {_TEXT}")
        return good

    def idents(self, key: str) -> list[Key]:
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, "must be a list of ids (strings or integers)")
            return []
        good: list[Key] = []
        for i, item in enumerate(value):
            if self._is_id(item):
                assert isinstance(item, int | str)
                good.append(item)
            else:
                self.fail(f"{key}[{i}]", f"must be {_ID}")
        return good

    def count(self, key: str, *, required: bool, default: int = 0) -> int:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(key, "this field is required")
            return default
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_CAPACITY:
            self.fail(key, f"must be a whole number from 0 to {MAX_CAPACITY}")
            return default
        return value

    def day(self, key: str) -> date | None:
        value = self.raw.get(key)
        if value is None:
            return None
        parsed = _parse_date(value)
        if parsed is None:
            self.fail(
                key,
                f"must be a real date written YYYY-MM-DD, between {EARLIEST_DATE.isoformat()} "
                f"and {LATEST_DATE.isoformat()}",
            )
        return parsed


def _entry(
    raw: object, path: str, allowed: frozenset[str], errors: list[FieldError]
) -> _Entry | None:
    if not isinstance(raw, dict):
        errors.append(FieldError(path, "must be a JSON object"))
        return None
    entry = _Entry(raw, path)
    for key in raw:
        if key not in allowed:
            entry.fail(str(key), f"unknown field (expected one of: {', '.join(sorted(allowed))})")
    return entry


def parse_input(data: Mapping[str, object], *, as_of: date) -> ParsedInput:
    """Turn a read input into facts. Bad entries are reported in ``errors`` (with the path of
    each bad field) and left out; the others are kept."""
    parsed = ParsedInput(as_of=as_of)
    for key in data:
        if key not in TOP_KEYS:
            parsed.errors.append(
                FieldError(str(key), "unknown field (expected: as_of, requests, mentors)")
            )
    raw_mentors = data["mentors"]
    raw_requests = data["requests"]
    assert isinstance(raw_mentors, list) and isinstance(raw_requests, list)

    # Mentors first: requests' conflicts are resolved against their ids.
    mentor_ids: dict[str, Key] = {}
    for i, raw in enumerate(raw_mentors):
        entry = _entry(raw, f"mentors[{i}]", MENTOR_KEYS, parsed.errors)
        if entry is None:
            continue
        ident = entry.ident("id", required=True)
        if ident is not None and str(ident) in mentor_ids:
            entry.fail("id", f"duplicates the id of another mentor ({ident!r})")
        languages = entry.texts("languages")
        expertise = entry.texts("expertise", required=True)
        courts = entry.idents("courts")
        capacity = entry.count("capacity", required=True)
        load = entry.count("load", required=False)
        prior = entry.idents("prior_mentees")
        parsed.errors.extend(entry.errors)
        if entry.errors or ident is None:
            continue
        mentor_ids[str(ident)] = ident
        parsed.mentors.append(
            MentorFacts(
                id=ident,
                languages=frozenset(languages),
                expertise=frozenset(expertise),
                courts=frozenset(str(c) for c in courts),
                capacity=capacity,
                load=load,
                prior_mentee_ids=frozenset(str(p) for p in prior),
            )
        )

    seen_requests: set[str] = set()
    for i, raw in enumerate(raw_requests):
        entry = _entry(raw, f"requests[{i}]", REQUEST_KEYS, parsed.errors)
        if entry is None:
            continue
        ident = entry.ident("id", required=True)
        duplicate = ident is not None and str(ident) in seen_requests
        if duplicate:
            entry.fail("id", f"duplicates the id of another request ({ident!r})")
        case_type = entry.text("case_type", required=True)
        court = entry.ident("court", required=False)
        languages = entry.texts("languages")
        hearing_date = entry.day("hearing_date")
        conflicts = entry.idents("conflicts")
        attorney = entry.ident("attorney", required=False)
        topics = entry.texts("topics")
        parsed.errors.extend(entry.errors)
        if ident is None:
            continue
        if entry.errors:
            if not duplicate:
                seen_requests.add(str(ident))
                first = entry.errors[0]
                parsed.invalid.append((ident, f"invalid input: {first.field} {first.message}"))
            continue
        assert case_type is not None
        seen_requests.add(str(ident))
        parsed.requests.append(
            RequestFacts(
                id=ident,
                case_type=case_type,
                court=None if court is None else str(court),
                languages=frozenset(languages),
                hearing_date=hearing_date,
                # By text, so that 7 and "7" name the same mentor.
                conflicts=frozenset(mentor_ids.get(str(c), c) for c in conflicts),
                attorney_id=None if attorney is None else str(attorney),
                topics=frozenset(topics),
            )
        )
    return parsed


def _unassigned_json(item: Unassigned, language: str) -> dict[str, object]:
    return {
        "request": item.request_id,
        "code": str(item.code),
        "why": item.es if language == "es" else item.en,
    }


def solve(parsed: ParsedInput, *, language: str = "en") -> dict[str, object]:
    """Run the batch solver on parsed input and build the output object."""
    result = assign_all(parsed.requests, parsed.mentors, parsed.as_of)
    free = {m.id: m.free for m in parsed.mentors}
    places_before = sum(free.values())
    unassigned = [_unassigned_json(u, language) for u in result.unassigned]
    unassigned += [
        {"request": ident, "code": "invalid", "why": why} for ident, why in parsed.invalid
    ]
    return {
        "as_of": parsed.as_of.isoformat(),
        "assignments": [
            {
                "request": pair.request_id,
                "mentor": pair.mentor_id,
                "score": pair.score,
                "reasons": [
                    {"factor": str(r.factor), "points": r.points, "text": r.text(language)}
                    for r in pair.reasons
                ],
            }
            for pair in result.assignments
        ],
        "unassigned": unassigned,
        "errors": [{"field": e.field, "message": e.message} for e in parsed.errors],
        "summary": {
            "requests": len(parsed.requests) + len(parsed.invalid),
            "matched": result.matched,
            "unassigned": len(unassigned),
            "total_score": result.total_score,
            "places_before": places_before,
            "places_after": places_before - result.matched,
        },
    }


def solve_text(text: str, *, today: date, language: str = "en") -> dict[str, object]:
    """The whole contract: text in, output object out. Raises ``MatchingReadError``."""
    data, as_of = read_input_text(text, today=today)
    return solve(parse_input(data, as_of=as_of), language=language)
