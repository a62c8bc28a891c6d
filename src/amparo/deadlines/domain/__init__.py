"""Amparo's deadline engine: pure Python, no Django, deterministic.

Research and conventions: docs/deadline-rules.md (cited in every rule's docstring).
Entry points:

* ``compute_case(facts, calendar=..., settings=...)`` -> ``CaseResult`` (engine.py)
* ``compute_batch(raw_json, today=..., calendar=..., language=...)`` -> JSON-ready list
  (contract.py; shared by ``manage.py compute_deadlines`` and the API)
* ``BusinessCalendar(holidays.US(), extra_closures)`` / ``us_federal_calendar(closures)``
"""

from amparo.deadlines.domain.business_days import BusinessCalendar, us_federal_calendar
from amparo.deadlines.domain.contract import (
    BatchReadError,
    CaseError,
    FieldError,
    compute_batch,
    parse_case,
    read_batch_text,
)
from amparo.deadlines.domain.engine import compute_case
from amparo.deadlines.domain.facts import CaseFacts
from amparo.deadlines.domain.results import CaseResult, FlagCode, RuleId
from amparo.deadlines.domain.settings import DEFAULT_SETTINGS, DeadlineSettings

__all__ = [
    "DEFAULT_SETTINGS",
    "BatchReadError",
    "BusinessCalendar",
    "CaseError",
    "CaseFacts",
    "CaseResult",
    "DeadlineSettings",
    "FieldError",
    "FlagCode",
    "RuleId",
    "compute_batch",
    "compute_case",
    "parse_case",
    "read_batch_text",
    "us_federal_calendar",
]
