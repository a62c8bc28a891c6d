"""The JSON contract shared by ``manage.py compute_deadlines`` and ``POST /api/v1/deadlines/compute``.

Input: a JSON array of case facts (see ``parse_case``; every key but ``id`` is optional, dates are
``YYYY-MM-DD``). Output: one JSON object per input element, in order. A case whose facts are bad
(unknown key, wrong type, malformed date, impossible dates such as a hearing before the last
arrival) gives, in place of its result::

    {"id": "c2",
     "error": {"field": "hearings[0].date", "message": "..."},
     "errors": [{"field": "hearings[0].date", "message": "..."}, ...]}

``error`` is the first entry of ``errors`` (every problem found in that case). ``field`` is the
path of the offending key (``decision.memo_mailed``, ``family[1].id``) or null when the element
itself is not an object. ``id`` echoes the input's id when it is a JSON scalar, else null. The
other cases still compute. Only a top level that is not an array, or text that is not JSON, fails
the whole batch (``BatchReadError``).

A successful result also carries ``as_of`` (the date the flags were computed for: the input's
``as_of`` or, when it is missing, the caller's ``today``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import TypeVar

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.engine import compute_case
from amparo.deadlines.domain.facts import (
    CaseFacts,
    CaseType,
    Decision,
    DecisionKind,
    FamilyMember,
    FilingMethod,
    FilingReceived,
    Hearing,
    HearingKind,
    Relationship,
)
from amparo.deadlines.domain.results import (
    LANGUAGES,
    CaseResult,
    Deadline,
    DeadlineSource,
    DerivativeAssessment,
    DetailValue,
    Flag,
    FlagCode,
    RuleId,
    Text,
)
from amparo.deadlines.domain.settings import DEFAULT_SETTINGS, DeadlineSettings

JsonScalar = str | int | float | bool | None
E = TypeVar("E", bound=StrEnum)

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
MAX_DELAY_DAYS = 3650
MAX_ID_LENGTH = 200
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

CASE_KEYS = frozenset(
    {
        "id", "as_of", "case_type", "detained", "last_arrival", "is_uac", "arrived_with_parent",
        "date_of_birth", "sij", "i589_received", "asylum_clock_delay_days", "hearings",
        "filings_received", "decision", "final_order_date", "supplement_b_signed", "i918_filed",
        "i918_planned", "i360_filed", "family", "uscis_response_due", "uscis_response_method",
    }
)  # fmt: skip
HEARING_KEYS = frozenset({"kind", "date", "ruling_requested", "ij_filing_deadline"})
FILING_KEYS = frozenset({"date"})
DECISION_KEYS = frozenset({"kind", "date", "memo_mailed", "appeal_waived"})
FAMILY_KEYS = frozenset({"id", "relationship", "date_of_birth", "married"})


class BatchReadError(ValueError):
    """Nothing could be read: the input is not JSON or its top level is not an array."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.text = message


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str | None
    message: Text


@dataclass(frozen=True, slots=True)
class CaseError:
    case_id: JsonScalar
    errors: tuple[FieldError, ...]


_NOT_OBJECT = Text(en="must be a JSON object", es="debe ser un objeto JSON")
_NOT_ARRAY = Text(en="must be a JSON array", es="debe ser un arreglo JSON")
_UNKNOWN = Text(en="unknown field", es="campo desconocido")
_REQUIRED = Text(en="this field is required", es="este campo es obligatorio")
_NOT_BOOL = Text(en="must be true or false", es="debe ser true o false")
_NOT_TEXT = Text(
    en=f"must be a non-empty string of at most {MAX_ID_LENGTH} characters",
    es=f"debe ser un texto no vacío de {MAX_ID_LENGTH} caracteres como máximo",
)
_BAD_DATE_SHAPE = Text(
    en="must be a date written YYYY-MM-DD", es="debe ser una fecha con el formato AAAA-MM-DD"
)
_BAD_DATE = Text(en="is not a real calendar date", es="no es una fecha válida del calendario")
_DATE_RANGE = Text(
    en=f"must be between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}",
    es=f"debe estar entre {EARLIEST_DATE.isoformat()} y {LATEST_DATE.isoformat()}",
)
_BAD_DELAY = Text(
    en=f"must be a whole number from 0 to {MAX_DELAY_DAYS}",
    es=f"debe ser un número entero de 0 a {MAX_DELAY_DAYS}",
)
_DUPLICATE_ID = Text(
    en="duplicates the id of another family member", es="repite el id de otro familiar"
)


def _choices(values: tuple[str, ...]) -> Text:
    listed = ", ".join(values)
    return Text(en=f"must be one of: {listed}", es=f"debe ser uno de estos valores: {listed}")


def _before(what_en: str, what_es: str, other: date) -> Text:
    return Text(
        en=f"is before {what_en} ({other.isoformat()})",
        es=f"es anterior a {what_es} ({other.isoformat()})",
    )


def _after(what_en: str, what_es: str, other: date) -> Text:
    return Text(
        en=f"is after {what_en} ({other.isoformat()})",
        es=f"es posterior a {what_es} ({other.isoformat()})",
    )


@cache
def _members_by_value(kind: type[E]) -> dict[str, E]:
    """Each member of ``kind`` by its JSON value (enum classes never change, so computed once)."""
    return {member.value: member for member in kind}


def _path(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


class _Reader:
    """Reads one case, collecting every problem with the path of the field."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, field: str | None, message: Text) -> None:
        self.errors.append(FieldError(field, message))

    def mapping(
        self, raw: object, path: str, allowed: frozenset[str]
    ) -> Mapping[str, object] | None:
        if not isinstance(raw, dict):
            self.fail(path or None, _NOT_OBJECT)
            return None
        if raw.keys() <= allowed:  # Only known keys (so all strings): nothing to report or drop.
            return raw
        checked: dict[str, object] = {}
        for key, value in raw.items():
            if not isinstance(key, str) or key not in allowed:
                self.fail(_path(path, str(key)), _UNKNOWN)
            else:
                checked[key] = value
        return checked

    def date(
        self, obj: Mapping[str, object], key: str, path: str, *, required: bool = False
    ) -> date | None:
        field = _path(path, key)
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(field, _REQUIRED)
            return None
        if not isinstance(value, str) or not _DATE_SHAPE.fullmatch(value):
            self.fail(field, _BAD_DATE_SHAPE)
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.fail(field, _BAD_DATE)
            return None
        if not EARLIEST_DATE <= parsed <= LATEST_DATE:
            self.fail(field, _DATE_RANGE)
            return None
        return parsed

    def boolean(self, obj: Mapping[str, object], key: str, path: str, *, default: bool) -> bool:
        value = obj.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(_path(path, key), _NOT_BOOL)
            return default
        return value

    def text(
        self, obj: Mapping[str, object], key: str, path: str, *, required: bool = False
    ) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(_path(path, key), _REQUIRED)
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID_LENGTH:
            self.fail(_path(path, key), _NOT_TEXT)
            return None
        return value

    def choice(
        self, obj: Mapping[str, object], key: str, path: str, kind: type[E], *, required: bool
    ) -> E | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(_path(path, key), _REQUIRED)
            return None
        members: dict[str, E] = _members_by_value(kind)
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            self.fail(_path(path, key), _choices(tuple(members)))
            return None
        return member

    def items(self, obj: Mapping[str, object], key: str, path: str) -> list[object]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(_path(path, key), _NOT_ARRAY)
            return []
        return value

    def delay_days(self, obj: Mapping[str, object], key: str) -> int:
        value = obj.get(key)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, _BAD_DELAY)
            return 0
        if not 0 <= value <= MAX_DELAY_DAYS:
            self.fail(key, _BAD_DELAY)
            return 0
        return value


def _echo_id(raw: object) -> JsonScalar:
    if isinstance(raw, dict):
        value = raw.get("id")
        if value is None or isinstance(value, str | int | float | bool):
            return value
    return None


def _read_hearings(reader: _Reader, case: Mapping[str, object]) -> list[Hearing | None]:
    hearings: list[Hearing | None] = []
    for index, raw in enumerate(reader.items(case, "hearings", "")):
        path = f"hearings[{index}]"
        obj = reader.mapping(raw, path, HEARING_KEYS)
        if obj is None:
            hearings.append(None)
            continue
        kind = reader.choice(obj, "kind", path, HearingKind, required=True)
        day = reader.date(obj, "date", path, required=True)
        ruling = reader.boolean(obj, "ruling_requested", path, default=True)
        ordered = reader.date(obj, "ij_filing_deadline", path)
        if kind is None or day is None:
            hearings.append(None)
            continue
        if ordered is not None and ordered > day:
            reader.fail(
                f"{path}.ij_filing_deadline",
                _after("the hearing date", "la fecha de la audiencia", day),
            )
        hearings.append(Hearing(kind, day, ruling, ordered))
    return hearings


def _read_filings(reader: _Reader, case: Mapping[str, object]) -> list[FilingReceived]:
    filings: list[FilingReceived] = []
    for index, raw in enumerate(reader.items(case, "filings_received", "")):
        path = f"filings_received[{index}]"
        obj = reader.mapping(raw, path, FILING_KEYS)
        if obj is None:
            continue
        day = reader.date(obj, "date", path, required=True)
        if day is not None:
            filings.append(FilingReceived(day))
    return filings


def _read_decision(reader: _Reader, case: Mapping[str, object]) -> Decision | None:
    raw = case.get("decision")
    if raw is None:
        return None
    obj = reader.mapping(raw, "decision", DECISION_KEYS)
    if obj is None:
        return None
    kind = reader.choice(obj, "kind", "decision", DecisionKind, required=True)
    day = reader.date(obj, "date", "decision", required=True)
    mailed = reader.date(obj, "memo_mailed", "decision")
    waived = reader.boolean(obj, "appeal_waived", "decision", default=False)
    if kind is None or day is None:
        return None
    if mailed is not None and mailed < day:
        reader.fail(
            "decision.memo_mailed", _before("the decision date", "la fecha de la decisión", day)
        )
    return Decision(kind, day, mailed, waived)


def _read_family(
    reader: _Reader, case: Mapping[str, object], as_of: date | None
) -> list[FamilyMember]:
    members: list[FamilyMember] = []
    seen: set[str] = set()
    for index, raw in enumerate(reader.items(case, "family", "")):
        path = f"family[{index}]"
        obj = reader.mapping(raw, path, FAMILY_KEYS)
        if obj is None:
            continue
        member_id = reader.text(obj, "id", path, required=True)
        rel = reader.choice(obj, "relationship", path, Relationship, required=True)
        dob = reader.date(obj, "date_of_birth", path)
        married = reader.boolean(obj, "married", path, default=False)
        if member_id is not None and member_id in seen:
            reader.fail(f"{path}.id", _DUPLICATE_ID)
        if dob is not None and as_of is not None and dob > as_of:
            reader.fail(f"{path}.date_of_birth", _after("as_of", "as_of", as_of))
        if member_id is None or rel is None:
            continue
        seen.add(member_id)
        members.append(FamilyMember(member_id, rel, dob, married))
    return members


def parse_case(raw: object, *, today: date) -> CaseFacts | CaseError:
    """Validate one JSON case and build its facts, or say every field that is wrong.

    ``today`` is used when the case has no ``as_of``. Booleans default to false (``ruling_requested``
    to true: a master-hearing ruling is assumed possible, the safer default).
    """
    reader = _Reader()
    case = reader.mapping(raw, "", CASE_KEYS)
    if case is None:
        return CaseError(_echo_id(raw), tuple(reader.errors))
    case_id = reader.text(case, "id", "", required=True)
    as_of = reader.date(case, "as_of", "")
    # The date the other dates are checked against: None when as_of itself is malformed.
    reference = as_of if as_of is not None else (today if case.get("as_of") is None else None)
    case_type = reader.choice(case, "case_type", "", CaseType, required=False)
    detained = reader.boolean(case, "detained", "", default=False)
    last_arrival = reader.date(case, "last_arrival", "")
    is_uac = reader.boolean(case, "is_uac", "", default=False)
    with_parent = reader.boolean(case, "arrived_with_parent", "", default=False)
    dob = reader.date(case, "date_of_birth", "")
    sij = reader.boolean(case, "sij", "", default=False)
    i589 = reader.date(case, "i589_received", "")
    delay = reader.delay_days(case, "asylum_clock_delay_days")
    hearings = _read_hearings(reader, case)
    filings = _read_filings(reader, case)
    decision = _read_decision(reader, case)
    final_order = reader.date(case, "final_order_date", "")
    supb = reader.date(case, "supplement_b_signed", "")
    i918_filed = reader.date(case, "i918_filed", "")
    i918_planned = reader.date(case, "i918_planned", "")
    i360 = reader.date(case, "i360_filed", "")
    family = _read_family(reader, case, reference)
    response_due = reader.date(case, "uscis_response_due", "")
    method = reader.choice(case, "uscis_response_method", "", FilingMethod, required=False)

    # Impossible combinations (PRODUCT.md: "impossible dates (a hearing before arrival) are caught").
    if dob is not None and reference is not None and dob > reference:
        reader.fail("date_of_birth", _after("as_of", "as_of", reference))
    if dob is not None and last_arrival is not None and dob > last_arrival:
        reader.fail("date_of_birth", _after("the last arrival", "la última llegada", last_arrival))
    if last_arrival is not None:
        for index, hearing in enumerate(hearings):
            if hearing is not None and hearing.date < last_arrival:
                reader.fail(
                    f"hearings[{index}].date",
                    _before("the last arrival", "la última llegada", last_arrival),
                )

    if reader.errors or case_id is None or reference is None:
        return CaseError(_echo_id(raw), tuple(reader.errors))
    return CaseFacts(
        id=case_id,
        as_of=reference,
        case_type=case_type,
        detained=detained,
        last_arrival=last_arrival,
        is_uac=is_uac,
        arrived_with_parent=with_parent,
        date_of_birth=dob,
        sij=sij,
        i589_received=i589,
        asylum_clock_delay_days=delay,
        hearings=tuple(h for h in hearings if h is not None),
        filings_received=tuple(filings),
        decision=decision,
        final_order_date=final_order,
        supplement_b_signed=supb,
        i918_filed=i918_filed,
        i918_planned=i918_planned,
        i360_filed=i360,
        family=tuple(family),
        uscis_response_due=response_due,
        uscis_response_method=method,
    )


# The plain string of each output enum member, looked up once: ``Enum.value`` is a Python-level
# property, and serialising a batch reads it a few hundred thousand times.
_RULE_VALUES = {rule: rule.value for rule in RuleId}
_SOURCE_VALUES = {source: source.value for source in DeadlineSource}
_FLAG_VALUES = {code: code.value for code in FlagCode}


def _json_value(value: DetailValue) -> JsonScalar:
    return value.isoformat() if isinstance(value, date) else value


def deadline_to_json(deadline: Deadline, *, language: str) -> dict[str, object]:
    return {
        "rule": _RULE_VALUES[deadline.rule],
        "date": deadline.date.isoformat(),
        "safe_target": _json_value(deadline.safe_target),
        "source": _SOURCE_VALUES[deadline.source],
        "applies_to": deadline.applies_to,
        "details": {key: _json_value(value) for key, value in deadline.details.items()},
        "citation": deadline.citation,
        "explanation": deadline.explanation.in_language(language),
    }


def flag_to_json(flag: Flag, *, language: str) -> dict[str, object]:
    return {
        "code": _FLAG_VALUES[flag.code],
        "applies_to": flag.applies_to,
        "message": flag.message.in_language(language),
    }


def derivative_to_json(item: DerivativeAssessment, *, language: str) -> dict[str, object]:
    return {
        "family_id": item.family_id,
        "qualifies": item.qualifies,
        "age_out_protected": item.age_out_protected,
        "reason": item.reason.in_language(language),
    }


def case_result_to_json(result: CaseResult, *, language: str) -> dict[str, object]:
    return {
        "id": result.case_id,
        "as_of": result.as_of.isoformat(),
        "deadlines": [deadline_to_json(d, language=language) for d in result.deadlines],
        "flags": [flag_to_json(f, language=language) for f in result.flags],
        "derivatives": [derivative_to_json(d, language=language) for d in result.derivatives],
    }


def case_error_to_json(error: CaseError, *, language: str) -> dict[str, object]:
    errors = [
        {"field": item.field, "message": item.message.in_language(language)}
        for item in error.errors
    ]
    return {"id": error.case_id, "error": errors[0], "errors": errors}


def read_batch_text(text: str | bytes) -> list[object]:
    """Parse the JSON text of a batch; raise ``BatchReadError`` if nothing can be read."""
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BatchReadError(
            Text(
                en=f"the input is not valid JSON ({exc})",
                es=f"la entrada no es JSON válido ({exc})",
            )
        ) from exc
    return require_array(raw)


def require_array(raw: object) -> list[object]:
    """Return ``raw`` if it is a JSON array, else raise ``BatchReadError``."""
    if not isinstance(raw, list):
        raise BatchReadError(
            Text(
                en="the top level must be a JSON array of case facts",
                es="el nivel superior debe ser un arreglo JSON de datos de casos",
            )
        )
    return raw


def compute_batch(
    raw: object,
    *,
    today: date,
    calendar: BusinessCalendar,
    language: str = "en",
    settings: DeadlineSettings = DEFAULT_SETTINGS,
) -> list[dict[str, object]]:
    """Compute every case of a batch: one result or error object per element, in order.

    ``today`` stands in for a missing ``as_of``; ``calendar`` carries the federal holidays
    (``holidays.US()``) and the admin closure table. Raises ``BatchReadError`` only when ``raw``
    is not a list, and ``ValueError`` for an unsupported ``language``.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    results: list[dict[str, object]] = []
    for item in require_array(raw):
        parsed = parse_case(item, today=today)
        if isinstance(parsed, CaseError):
            results.append(case_error_to_json(parsed, language=language))
        else:
            result = compute_case(parsed, calendar=calendar, settings=settings)
            results.append(case_result_to_json(result, language=language))
    return results
