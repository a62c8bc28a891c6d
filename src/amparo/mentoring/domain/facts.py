"""The matcher's vocabulary: the facts it reads (``MentorFacts``, ``RequestFacts``), what it
answers (``ScoredPair`` with its ``Reason``s, ``Feasibility``, ``Assignment``, ``Unassigned``),
the factors and their weights. The rules are in ``matching``'s docstring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final, NamedTuple

Key = int | str

SCALE: Final = 10  # points are counted in tenths
MAX_SCORE_TENTHS: Final = 1000


class Factor(StrEnum):
    EXPERTISE = "expertise"
    CLAIM = "claim"
    LANGUAGE = "language"
    COURT = "court"
    LOAD = "load"
    HEARING = "hearing"
    PRIOR_WORK = "prior_work"


# Maximum points of each factor, in tenths; they add up to MAX_SCORE_TENTHS.
WEIGHTS: Final[Mapping[Factor, int]] = {
    Factor.EXPERTISE: 250,
    Factor.CLAIM: 100,
    Factor.LANGUAGE: 150,
    Factor.COURT: 150,
    Factor.LOAD: 150,
    Factor.HEARING: 100,
    Factor.PRIOR_WORK: 100,
}
assert sum(WEIGHTS.values()) == MAX_SCORE_TENTHS

# Hearing urgency: (at most this many days away, tenths), first match wins.
HEARING_STEPS: Final = ((30, 100), (90, 60), (180, 30))


class Why(StrEnum):
    """Stable codes for "why not": a pair's infeasibility, or a request left unassigned."""

    CASE_TYPE = "case_type"
    LANGUAGE = "language"
    CONFLICT = "conflict"
    CAPACITY = "capacity"
    TAKEN = "taken"  # batch only: feasible mentors exist but their places went to other requests


# Names for the codes the people app knows (people.models.Language, cases.models.CaseType);
# an unknown code is shown as it is.
LANGUAGE_NAMES: Final[Mapping[str, tuple[str, str]]] = {
    "en": ("English", "inglés"),
    "es": ("Spanish", "español"),
    "pt": ("Portuguese", "portugués"),
    "fr": ("French", "francés"),
    "ht": ("Haitian Creole", "criollo haitiano"),
    "quc": ("K'iche'", "k'iche'"),
    "mam": ("Mam", "mam"),
    "kjb": ("Q'anjob'al", "q'anjob'al"),
    "ar": ("Arabic", "árabe"),
    "ru": ("Russian", "ruso"),
    "zh": ("Mandarin", "mandarín"),
    "pa": ("Punjabi", "panyabí"),
}
CASE_TYPE_NAMES: Final[Mapping[str, tuple[str, str]]] = {
    "defensive_asylum": ("defensive asylum", "asilo defensivo"),
    "affirmative_asylum": ("affirmative asylum", "asilo afirmativo"),
    "u_visa": ("U visa", "visa U"),
}


def key_order(key: Key) -> tuple[int, int, str]:
    """Sort key for ids: ints by value, then strings."""
    if isinstance(key, int):
        return (0, key, "")
    return (1, 0, key)


def _languages(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v and v.strip())


@dataclass(frozen=True, slots=True)
class MentorFacts:
    """What the matcher knows of a mentor.

    ``expertise`` holds the case types the mentor handles (``defensive_asylum``...) and may also
    hold claim topics (``particular_social_group``, ``children``...) matched against a request's
    ``topics``. ``courts`` are court keys (a name or EOIR code reads best in the reasons).
    ``prior_mentee_ids`` are the attorneys this mentor has mentored before. Language codes are
    lower-cased. Sets may be given as any iterable; they are stored as frozensets.
    """

    id: Key
    languages: frozenset[str] = frozenset()
    expertise: frozenset[str] = frozenset()
    courts: frozenset[Key] = frozenset()
    capacity: int = 0
    load: int = 0
    prior_mentee_ids: frozenset[Key] = frozenset()

    def __post_init__(self) -> None:
        if self.capacity < 0 or self.load < 0:
            raise ValueError(f"mentor {self.id!r}: capacity and load must not be negative")
        object.__setattr__(self, "languages", _languages(self.languages))
        object.__setattr__(self, "expertise", frozenset(self.expertise))
        object.__setattr__(self, "courts", frozenset(self.courts))
        object.__setattr__(self, "prior_mentee_ids", frozenset(self.prior_mentee_ids))

    @property
    def free(self) -> int:
        """Places left: capacity minus load, never below zero (an overloaded mentor has none)."""
        return max(0, self.capacity - self.load)


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What the matcher knows of one mentoring request.

    ``languages`` are the languages the mentor must speak (the client's, beyond English);
    ``conflicts`` the ids of mentors with a conflict of interest; ``court`` None for a case with
    no immigration court (a U visa or affirmative asylum filing with USCIS); ``attorney_id`` the
    mentee, for the prior-work factor; ``topics`` optional claim topics (``children``,
    ``particular_social_group``...).
    """

    id: Key
    case_type: str
    court: Key | None = None
    languages: frozenset[str] = frozenset()
    hearing_date: date | None = None
    conflicts: frozenset[Key] = frozenset()
    attorney_id: Key | None = None
    topics: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "languages", _languages(self.languages))
        object.__setattr__(self, "conflicts", frozenset(self.conflicts))
        object.__setattr__(self, "topics", frozenset(self.topics))


@dataclass(frozen=True, slots=True)
class Reason:
    """One factor's contribution: its points and why, in English and Spanish."""

    factor: Factor
    points: float
    en: str
    es: str

    def text(self, language: str = "en") -> str:
        return self.es if language == "es" else self.en


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A request, a mentor, the score (0-100, one decimal) and one reason per factor."""

    request_id: Key
    mentor_id: Key
    score: float
    reasons: tuple[Reason, ...]

    @property
    def score_tenths(self) -> int:
        return round(self.score * SCALE)


class Feasibility(NamedTuple):
    """``feasible()``'s answer: ``ok``; when not, a stable ``code`` (a ``Why`` value) and the
    reason in English and Spanish. A tuple, so ``ok, code, en, es = feasible(r, m)`` works."""

    ok: bool
    code: str
    en: str
    es: str


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A request the batch could not match, with a stable ``code`` and the reason."""

    request_id: Key
    code: Why
    en: str
    es: str

    @property
    def why(self) -> str:
        return self.en


@dataclass(frozen=True, slots=True)
class Assignment:
    """``assign_all``'s answer, both lists sorted by request id."""

    assignments: tuple[ScoredPair, ...]
    unassigned: tuple[Unassigned, ...]

    @property
    def matched(self) -> int:
        return len(self.assignments)

    @property
    def total_score(self) -> float:
        return sum(pair.score_tenths for pair in self.assignments) / SCALE
