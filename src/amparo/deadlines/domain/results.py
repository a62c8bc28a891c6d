"""What the engine returns: deadlines, flags and U visa derivative assessments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

LANGUAGES = ("en", "es")


class RuleId(StrEnum):
    """Stable rule identifiers (they appear in stored data and the API)."""

    ASYLUM_ONE_YEAR = "ASYLUM_ONE_YEAR"
    ICPM_PREHEARING = "ICPM_PREHEARING"
    ICPM_RESPONSE_10 = "ICPM_RESPONSE_10"
    BIA_APPEAL_30 = "BIA_APPEAL_30"
    MOTION_REOPEN_90 = "MOTION_REOPEN_90"
    MOTION_RECONSIDER_30 = "MOTION_RECONSIDER_30"
    UVISA_SUPB_6_MONTHS = "UVISA_SUPB_6_MONTHS"
    ASYLUM_EAD_FILE_150 = "ASYLUM_EAD_FILE_150"
    ASYLUM_EAD_GRANT_180 = "ASYLUM_EAD_GRANT_180"
    UAC_TURNS_18 = "UAC_TURNS_18"
    SIJ_UNDER_21 = "SIJ_UNDER_21"
    DERIVATIVE_TURNS_21 = "DERIVATIVE_TURNS_21"
    USCIS_RESPONSE = "USCIS_RESPONSE"


class FlagCode(StrEnum):
    """Stable flag codes. The last two are additions named in DEADLINE-RULES.md / settings.py."""

    ONE_YEAR_EXEMPT_UAC = "ONE_YEAR_EXEMPT_UAC"
    ONE_YEAR_DEADLINE_MISSED = "ONE_YEAR_DEADLINE_MISSED"
    IJ_ORDER_CONTROLS = "IJ_ORDER_CONTROLS"
    COURT_SET_DEADLINE_REQUIRED = "COURT_SET_DEADLINE_REQUIRED"
    APPEAL_WAIVED = "APPEAL_WAIVED"
    REQUEST_NEW_SUPB = "REQUEST_NEW_SUPB"
    DERIVATIVE_AGE_OUT_RISK = "DERIVATIVE_AGE_OUT_RISK"
    UAC_STATUS_CONTESTED = "UAC_STATUS_CONTESTED"
    POSSIBLE_CLOSURE = "POSSIBLE_CLOSURE"
    SIJ_FILE_BEFORE_21 = "SIJ_FILE_BEFORE_21"
    RULE_CHANGE_REVIEW = "RULE_CHANGE_REVIEW"


class DeadlineSource(StrEnum):
    RULE = "rule"
    IJ_ORDER = "ij_order"


DetailValue = dt.date | int | bool | str | None


def _slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    """The slot descriptor's setter of ``cls.name``, for the hand-written ``__init__`` below.

    A frozen dataclass's generated ``__init__`` assigns every field through
    ``object.__setattr__``, which costs more than the rest of building a message or a deadline (an
    engine run builds about twenty of these objects per case). Writing the slot through its
    descriptor is the same assignment without the generic attribute machinery; the classes stay
    frozen (assigning an attribute later still raises ``FrozenInstanceError``).
    """
    setter: Callable[[object, object], None] = cls.__dict__[name].__set__
    return setter


@dataclass(frozen=True, slots=True, init=False)
class Text:
    """One message in English and Spanish."""

    en: str
    es: str

    def __init__(self, en: str, es: str) -> None:
        _set_text_en(self, en)
        _set_text_es(self, es)

    def in_language(self, language: str) -> str:
        if language == "en":
            return self.en
        if language == "es":
            return self.es
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")


_set_text_en = _slot_setter(Text, "en")
_set_text_es = _slot_setter(Text, "es")


def _no_details() -> Mapping[str, DetailValue]:
    return MappingProxyType({})


#: Shared by every deadline without details (a read-only mapping, so sharing it is safe).
_NO_DETAILS = _no_details()


@dataclass(frozen=True, slots=True, init=False)
class Deadline:
    """A computed date with the rule that produced it.

    ``date`` is the official date (or, for earliest-date rules and birthdays, the calendar date the
    rule names); ``safe_target`` is an earlier internal target where the rule gives one.
    """

    rule: RuleId
    date: dt.date
    citation: str
    explanation: Text
    safe_target: dt.date | None = None
    source: DeadlineSource = DeadlineSource.RULE
    applies_to: str | None = None
    details: Mapping[str, DetailValue] = field(default_factory=_no_details)

    def __init__(
        self,
        rule: RuleId,
        date: dt.date,
        citation: str,
        explanation: Text,
        safe_target: dt.date | None = None,
        source: DeadlineSource = DeadlineSource.RULE,
        applies_to: str | None = None,
        details: Mapping[str, DetailValue] = _NO_DETAILS,
    ) -> None:
        _set_deadline_rule(self, rule)
        _set_deadline_date(self, date)
        _set_deadline_citation(self, citation)
        _set_deadline_explanation(self, explanation)
        _set_deadline_safe_target(self, safe_target)
        _set_deadline_source(self, source)
        _set_deadline_applies_to(self, applies_to)
        _set_deadline_details(self, details)


_set_deadline_rule = _slot_setter(Deadline, "rule")
_set_deadline_date = _slot_setter(Deadline, "date")
_set_deadline_citation = _slot_setter(Deadline, "citation")
_set_deadline_explanation = _slot_setter(Deadline, "explanation")
_set_deadline_safe_target = _slot_setter(Deadline, "safe_target")
_set_deadline_source = _slot_setter(Deadline, "source")
_set_deadline_applies_to = _slot_setter(Deadline, "applies_to")
_set_deadline_details = _slot_setter(Deadline, "details")


@dataclass(frozen=True, slots=True, init=False)
class Flag:
    code: FlagCode
    message: Text
    applies_to: str | None = None

    def __init__(self, code: FlagCode, message: Text, applies_to: str | None = None) -> None:
        _set_flag_code(self, code)
        _set_flag_message(self, message)
        _set_flag_applies_to(self, applies_to)


_set_flag_code = _slot_setter(Flag, "code")
_set_flag_message = _slot_setter(Flag, "message")
_set_flag_applies_to = _slot_setter(Flag, "applies_to")


@dataclass(frozen=True, slots=True)
class DerivativeAssessment:
    """Whether a family member qualifies as a U visa derivative (None: cannot be determined)."""

    family_id: str
    qualifies: bool | None
    age_out_protected: bool | None
    reason: Text


@dataclass(frozen=True, slots=True, init=False)
class RuleOutcome:
    """What one rule produced for one anchor: deadlines and flags."""

    deadlines: tuple[Deadline, ...] = ()
    flags: tuple[Flag, ...] = ()

    def __init__(self, deadlines: tuple[Deadline, ...] = (), flags: tuple[Flag, ...] = ()) -> None:
        _set_outcome_deadlines(self, deadlines)
        _set_outcome_flags(self, flags)


_set_outcome_deadlines = _slot_setter(RuleOutcome, "deadlines")
_set_outcome_flags = _slot_setter(RuleOutcome, "flags")


@dataclass(frozen=True, slots=True, init=False)
class CaseResult:
    case_id: str
    as_of: dt.date
    deadlines: tuple[Deadline, ...]
    flags: tuple[Flag, ...]
    derivatives: tuple[DerivativeAssessment, ...]

    def __init__(
        self,
        case_id: str,
        as_of: dt.date,
        deadlines: tuple[Deadline, ...],
        flags: tuple[Flag, ...],
        derivatives: tuple[DerivativeAssessment, ...],
    ) -> None:
        _set_result_case_id(self, case_id)
        _set_result_as_of(self, as_of)
        _set_result_deadlines(self, deadlines)
        _set_result_flags(self, flags)
        _set_result_derivatives(self, derivatives)

    def deadlines_for(self, rule: RuleId) -> tuple[Deadline, ...]:
        return tuple(deadline for deadline in self.deadlines if deadline.rule is rule)

    def flags_with(self, code: FlagCode) -> tuple[Flag, ...]:
        return tuple(flag for flag in self.flags if flag.code is code)


_set_result_case_id = _slot_setter(CaseResult, "case_id")
_set_result_as_of = _slot_setter(CaseResult, "as_of")
_set_result_deadlines = _slot_setter(CaseResult, "deadlines")
_set_result_flags = _slot_setter(CaseResult, "flags")
_set_result_derivatives = _slot_setter(CaseResult, "derivatives")


def details(**values: DetailValue) -> Mapping[str, DetailValue]:
    """Build a read-only details mapping."""
    return MappingProxyType(values)
