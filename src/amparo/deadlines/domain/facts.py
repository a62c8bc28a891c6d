"""The case facts the deadline rules read: frozen, validated by ``contract.py`` before use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class CaseType(StrEnum):
    DEFENSIVE_ASYLUM = "defensive_asylum"
    AFFIRMATIVE_ASYLUM = "affirmative_asylum"
    U_VISA = "u_visa"


class HearingKind(StrEnum):
    MASTER = "master"
    INDIVIDUAL = "individual"


class DecisionKind(StrEnum):
    ORAL = "oral"
    WRITTEN = "written"


class Relationship(StrEnum):
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"


class FilingMethod(StrEnum):
    PAPER = "paper"
    ONLINE = "online"


@dataclass(frozen=True, slots=True)
class Hearing:
    """An Immigration Court hearing.

    ``ruling_requested`` matters only for master calendar hearings (ICPM ch. 3.1(b)); when the
    facts do not say, the contract assumes a ruling may be requested (the safer default).
    """

    kind: HearingKind
    date: dt.date
    ruling_requested: bool = True
    ij_filing_deadline: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FilingReceived:
    """A filing by the other party (usually DHS) as received by the court."""

    date: dt.date


@dataclass(frozen=True, slots=True)
class Decision:
    """An immigration judge's decision; ``memo_mailed`` is the mailing or service date if any."""

    kind: DecisionKind
    date: dt.date
    memo_mailed: dt.date | None = None
    appeal_waived: bool = False


@dataclass(frozen=True, slots=True)
class FamilyMember:
    id: str
    relationship: Relationship
    date_of_birth: dt.date | None = None
    married: bool = False


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """Everything the engine knows about one case; ``as_of`` is the explicit "today"."""

    id: str
    as_of: dt.date
    case_type: CaseType | None = None
    detained: bool = False
    last_arrival: dt.date | None = None
    is_uac: bool = False
    arrived_with_parent: bool = False
    date_of_birth: dt.date | None = None
    sij: bool = False
    i589_received: dt.date | None = None
    asylum_clock_delay_days: int = 0
    hearings: tuple[Hearing, ...] = ()
    filings_received: tuple[FilingReceived, ...] = ()
    decision: Decision | None = None
    final_order_date: dt.date | None = None
    supplement_b_signed: dt.date | None = None
    i918_filed: dt.date | None = None
    i918_planned: dt.date | None = None
    i360_filed: dt.date | None = None
    family: tuple[FamilyMember, ...] = ()
    uscis_response_due: dt.date | None = None
    uscis_response_method: FilingMethod | None = None
