"""What the engine returns: deadlines, flags and U visa derivative assessments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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


@dataclass(frozen=True, slots=True)
class Text:
    """One message in English and Spanish."""

    en: str
    es: str

    def in_language(self, language: str) -> str:
        if language == "en":
            return self.en
        if language == "es":
            return self.es
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")


def _no_details() -> Mapping[str, DetailValue]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Flag:
    code: FlagCode
    message: Text
    applies_to: str | None = None


@dataclass(frozen=True, slots=True)
class DerivativeAssessment:
    """Whether a family member qualifies as a U visa derivative (None: cannot be determined)."""

    family_id: str
    qualifies: bool | None
    age_out_protected: bool | None
    reason: Text


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """What one rule produced for one anchor: deadlines and flags."""

    deadlines: tuple[Deadline, ...] = ()
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseResult:
    case_id: str
    as_of: dt.date
    deadlines: tuple[Deadline, ...]
    flags: tuple[Flag, ...]
    derivatives: tuple[DerivativeAssessment, ...]

    def deadlines_for(self, rule: RuleId) -> tuple[Deadline, ...]:
        return tuple(deadline for deadline in self.deadlines if deadline.rule is rule)

    def flags_with(self, code: FlagCode) -> tuple[Flag, ...]:
        return tuple(flag for flag in self.flags if flag.code is code)


def details(**values: DetailValue) -> Mapping[str, DetailValue]:
    """Build a read-only details mapping."""
    return MappingProxyType(values)
