"""Comparing people's names for the conflict-of-interest check, and the clear tokens of the
blind index that finds which stored names are worth comparing.

A missed conflict (an attorney acting for a client against someone the program already
represents, ABA Model Rules 1.7 and 1.9) costs far more than a false alarm that a coordinator
clears, so the comparison leans towards recall:

* normalisation ignores accents, letter case, punctuation, hyphens, word order and particles
  (de, del, de la, y...), and a particle written joined ("Delacruz") still meets "de la Cruz";
* the two-surname convention of Spanish-speaking countries is expected: a name recorded with one
  surname, or without its middle name, matches the full name ("Rosa Quintanilla" and
  "Amelia Ayala Quintanilla" are both likely "Rosa Amelia Quintanilla Ayala");
* parts agree when identical, listed as spelling variants, sound alike in Spanish, are one or two
  letters apart (typing errors), or when one is the other's initial (see variants.py);
* but one shared part is never enough ("María García" and "María López" are different people), a
  masculine/feminine pair (Mario/María, Daniel/Daniela) is not a typing error, parts that
  disagree in both names (two different second surnames: two different mothers) weigh heavily
  against a match, and a partial name made only of very common words ("María Hernández" against
  "María José Hernández López") is not enough to tell one person from hundreds of others
  (variants.VERY_COMMON).

The score is the evidence of the paired parts over the parts that could have been paired::

    score = sum(pair similarities) / (pairs + 2.5 x parts differing in both names
                                      + 0.1 x parts only the longer name has)

and two multi-part names match when at least two parts pair up (one of them more than an
initial), the score reaches MATCH_THRESHOLD, and, when one name has parts the other lacks, the
paired parts weigh at least PARTIAL_EVIDENCE (1 per part, 0.5 per very common part or initial).
Two one-word names match when the words agree.

Pure Python: imports nothing from Django or from other apps.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from unidecode import unidecode

from amparo.conflicts.domain.variants import (
    canonical_spelling,
    is_very_common,
    skeleton,
    variant_key,
)
from amparo.conflicts.domain.wording import Agreement, Outcome, explain

# Dropped wherever they appear: Spanish, Portuguese, Italian, Dutch and German particles and
# the conjunctions joining two surnames ("Ortega y Gasset"), plus the Arabic article.
PARTICLES = frozenset(
    {
        "de",
        "del",
        "dela",
        "delas",
        "delos",
        "la",
        "las",
        "los",
        "y",
        "e",
        "da",
        "das",
        "do",
        "dos",
        "van",
        "von",
        "der",
        "den",
        "di",
        "du",
        "al",
        "el",
    }
)
# Particles that are sometimes written joined to the next word ("Delacruz", "Dejesus").
_JOINING = PARTICLES - {"y", "e"}
_JOINED_PREFIXES = ("delos", "delas", "dela", "del", "de")
# Words that only say what kind of organisation a name is ("Garcia & Lopez LLP").
ORGANIZATION_WORDS = frozenset(
    {"inc", "llc", "llp", "pllc", "pc", "ltd", "corp", "corporation", "co", "sa", "cv", "the"}
)
MAX_PARTS = 8
MATCH_THRESHOLD = 0.6
SINGLE_WORD_THRESHOLD = 0.8
PARTIAL_EVIDENCE = 1.5
DIFFER_WEIGHT = 2.5
EXTRA_WEIGHT = 0.1
_COMMON_EVIDENCE = 0.5

_SIMILARITY = {
    Agreement.IDENTICAL: 1.0,
    Agreement.PARTICLE: 0.95,
    Agreement.VARIANT: 0.95,
    Agreement.SOUNDS_ALIKE: 0.92,
    Agreement.INITIAL: 0.7,
}
_APOSTROPHES = re.compile(r"['`]")
_TOKENS = re.compile(r"[a-z0-9]+\.?")


@dataclass(frozen=True)
class NamePart:
    text: str  # normalised: lowercase ASCII letters and digits
    key: str  # variant / sound-alike key (variants.variant_key)
    initial: bool
    alts: frozenset[str]  # the same part with a joined particle added or removed
    common: bool = False  # a very common given name or surname (variants.VERY_COMMON)

    @property
    def evidence(self) -> float:
        """What agreeing on this part is worth towards PARTIAL_EVIDENCE."""
        return _COMMON_EVIDENCE if self.initial or self.common else 1.0


@dataclass(frozen=True)
class PreparedName:
    parts: tuple[NamePart, ...]

    @property
    def text(self) -> str:
        return " ".join(part.text for part in self.parts)

    @property
    def initials(self) -> int:
        return sum(part.initial for part in self.parts)


@dataclass(frozen=True)
class NameMatch:
    match: bool
    score: float  # 0..1
    why: str  # English, never quoting the names
    why_es: str
    agreeing_parts: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"match": self.match, "score": self.score, "why": self.why}


def _raw_tokens(name: str) -> list[str]:
    ascii_name = _APOSTROPHES.sub("", unidecode(name).lower())
    return _TOKENS.findall(ascii_name)


def _part(word: str, joined_particles: str) -> NamePart:
    alts = {joined_particles + word} if joined_particles else set()
    for prefix in _JOINED_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            alts.add(word[len(prefix) :])
    alts.discard(word)
    return NamePart(
        text=word,
        key=variant_key(word),
        initial=False,
        alts=frozenset(alts),
        common=is_very_common(word),
    )


def prepare_name(name: str) -> PreparedName:
    """Split a name into normalised parts (particles and organisation words dropped, initials
    kept as one-letter parts). A name made only of particles keeps them, so it is not empty."""
    parts: list[NamePart] = []
    particles: list[str] = []
    pending = ""
    for token in _raw_tokens(name):
        word = token.rstrip(".")
        if len(word) == 1 and word.isalpha() and (token.endswith(".") or word not in PARTICLES):
            parts.append(NamePart(text=word, key=word, initial=True, alts=frozenset()))
            pending = ""
        elif word in ORGANIZATION_WORDS:
            pending = ""
        elif word in PARTICLES:
            particles.append(word)
            pending = pending + word if word in _JOINING else ""
        else:
            parts.append(_part(word, pending))
            pending = ""
    if not parts and particles:
        parts = [_part(word, "") for word in particles]
    return PreparedName(parts=tuple(parts[:MAX_PARTS]))


def normalize_name(name: str) -> str:
    """The name as compared: ``"Rosa Amelia QUINTANILLA-Ayala de López"`` becomes
    ``"rosa amelia quintanilla ayala lopez"``."""
    return prepare_name(name).text


def name_parts(name: str) -> tuple[str, ...]:
    return tuple(part.text for part in prepare_name(name).parts)


def blocking_token(text: str) -> str:
    """The one blind-index token of a normalised part: the consonant outline of its variant key
    (``s:``) when it has at least three letters, else the variant key itself (``k:``; María,
    José, Ana are too short for an outline that means anything).

    One token per part, and the coarsest that is still selective: identical parts, listed
    variants and sound-alike spellings share the variant key and so its outline, and most typing
    errors (a wrong vowel, a doubled letter) share the outline too. A token of the text itself,
    or of the key beside its outline, would only ever find parties the outline finds."""
    key = variant_key(text)
    outline = skeleton(key)
    return f"s:{outline}" if len(outline) >= 3 else f"k:{key}"


def _part_tokens(part: NamePart) -> frozenset[str]:
    return frozenset(blocking_token(text) for text in (part.text, *part.alts))


def part_tokens(prepared: PreparedName) -> tuple[frozenset[str], ...]:
    """The clear blind-index tokens of each part that is not an initial, in order: the part's
    blocking token, and those of the part with a joined particle added or removed. Two names
    that could match share a token for each pair of agreeing parts, except for typing errors
    the outline does not absorb and for initials (too common to index)."""
    return tuple(_part_tokens(part) for part in prepared.parts if not part.initial)


def index_tokens(full_name: str) -> set[str]:
    """All clear tokens of a name, for the Django side to hash into the blind index."""
    tokens: set[str] = set()
    for group in part_tokens(prepare_name(full_name)):
        tokens |= group
    return tokens


def declared_conflict_names(text: str) -> tuple[str, ...]:
    """The names in an attorney's declared conflicts: one per line, blank lines and lines
    starting with # skipped. A name's position in this tuple is its `entry` in the index."""
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def _gendered_pair(x: str, y: str) -> bool:
    """Mario/María, Francisco/Francisca, Daniel/Daniela: different given names, not typos."""
    if len(x) == len(y) and x[:-1] == y[:-1] and {x[-1], y[-1]} == {"a", "o"}:
        return True
    short, long = sorted((x, y), key=len)
    return long == short + "a"


def _agreement(a: NamePart, b: NamePart) -> tuple[float, Agreement | None]:
    if a.initial or b.initial:
        if a.text[0] == b.text[0]:
            return _SIMILARITY[Agreement.INITIAL], Agreement.INITIAL
        return 0.0, None
    if a.text == b.text:
        return _SIMILARITY[Agreement.IDENTICAL], Agreement.IDENTICAL
    if a.text in b.alts or b.text in a.alts:
        return _SIMILARITY[Agreement.PARTICLE], Agreement.PARTICLE
    canon_a, canon_b = canonical_spelling(a.text), canonical_spelling(b.text)
    if (canon_a or canon_b) and (canon_a or a.text) == (canon_b or b.text):
        return _SIMILARITY[Agreement.VARIANT], Agreement.VARIANT
    if a.key == b.key:
        return _SIMILARITY[Agreement.SOUNDS_ALIKE], Agreement.SOUNDS_ALIKE
    if _gendered_pair(a.text, b.text):
        return 0.0, None
    if min(len(a.text), len(b.text)) < 4:
        return 0.0, None
    longest = max(len(a.text), len(b.text))
    allowed = 1 if longest <= 7 else 2
    distance = min(
        Levenshtein.distance(a.text, b.text, score_cutoff=allowed),
        Levenshtein.distance(a.key, b.key, score_cutoff=allowed),
    )
    if distance > allowed:
        return 0.0, None
    return round(0.9 - 0.5 * distance / longest, 4), Agreement.SIMILAR


# (total similarity, pairs, pairs stronger than an initial, evidence)
_Value = tuple[float, int, int, float]


def _best_pairing(
    a: tuple[NamePart, ...], b: tuple[NamePart, ...]
) -> tuple[_Value, tuple[Agreement, ...]]:
    """The one-to-one pairing of parts with the most total similarity (then the most pairs):
    an exact search over subsets of the second name's parts (at most 2**MAX_PARTS states), so the
    result does not depend on which name comes first."""
    states: dict[int, tuple[_Value, tuple[Agreement, ...]]] = {0: ((0.0, 0, 0, 0.0), ())}
    for part_a in a:
        row = [_agreement(part_a, part_b) for part_b in b]
        if not any(similarity > 0 for similarity, _ in row):
            continue
        updated = dict(states)
        for mask, ((total, pairs, strong, evidence), kinds) in states.items():
            for j, (similarity, kind) in enumerate(row):
                if kind is None or mask & (1 << j):
                    continue
                value = (
                    round(total + similarity, 6),
                    pairs + 1,
                    strong + (kind is not Agreement.INITIAL),
                    evidence + min(part_a.evidence, b[j].evidence),
                )
                current = updated.get(mask | (1 << j))
                if current is None or value > current[0]:
                    updated[mask | (1 << j)] = (value, (*kinds, kind))
        states = updated
    return max(states.values(), key=lambda state: state[0])


def _result(
    outcome: Outcome, score: float, kinds: tuple[Agreement, ...], differ: int, extra: int
) -> NameMatch:
    counts = dict(Counter(kinds))
    text = explain(outcome=outcome, score=score, counts=counts, differ=differ, extra=extra)
    return NameMatch(
        match=outcome is Outcome.MATCH,
        score=score,
        why=text.en,
        why_es=text.es,
        agreeing_parts=len(kinds),
    )


def match_prepared(a: PreparedName, b: PreparedName) -> NameMatch:
    """Compare two prepared names (see the module docstring for the rule)."""
    if not a.parts or not b.parts:
        return _result(Outcome.EMPTY, 0.0, (), 0, 0)
    (total, pairs, strong, evidence), kinds = _best_pairing(a.parts, b.parts)
    unpaired_a, unpaired_b = len(a.parts) - pairs, len(b.parts) - pairs
    differ, extra = min(unpaired_a, unpaired_b), abs(unpaired_a - unpaired_b)
    if pairs == 0:
        return _result(Outcome.NONE_AGREE, 0.0, kinds, differ, extra)
    if len(a.parts) == 1 and len(b.parts) == 1:
        score = round(total, 3)
        if score >= SINGLE_WORD_THRESHOLD and strong:
            return _result(Outcome.MATCH, score, kinds, differ, extra)
        return _result(Outcome.SINGLE_DIFFERS, score, kinds, differ, extra)
    score = total / (pairs + DIFFER_WEIGHT * differ + EXTRA_WEIGHT * extra)
    if pairs < 2:
        return _result(Outcome.ONE_AGREES, round(min(score, 0.5), 3), kinds, differ, extra)
    score = round(score, 3)
    if not strong:
        return _result(Outcome.ONLY_INITIALS, min(score, 0.5), kinds, differ, extra)
    if score < MATCH_THRESHOLD:
        return _result(Outcome.TOO_MANY_DIFFER, score, kinds, differ, extra)
    if extra and evidence < PARTIAL_EVIDENCE:
        return _result(Outcome.COMMON_ONLY, min(score, 0.55), kinds, differ, extra)
    return _result(Outcome.MATCH, score, kinds, differ, extra)


def could_match(
    *, parts_a: int, parts_b: int, shared: int, shared_evidence: float, unindexed_pairs: int = 0
) -> bool:
    """Whether two names of `parts_a` and `parts_b` parts, of which `shared` are known to agree
    (they share a blind-index token) for `shared_evidence`, could still match under
    match_prepared, if at most `unindexed_pairs` more parts agree without sharing a token
    (initials; a typing error next to a rare part). An upper bound: lets the check skip
    decrypting the parties that cannot match."""
    if parts_a == 1 or parts_b == 1:
        return parts_a == parts_b == 1 and shared + unindexed_pairs >= 1
    pairs = min(shared + unindexed_pairs, parts_a, parts_b)
    if pairs < 2:
        return False
    evidence = shared_evidence + (pairs - min(shared, pairs))
    unpaired_a, unpaired_b = parts_a - pairs, parts_b - pairs
    differ, extra = min(unpaired_a, unpaired_b), abs(unpaired_a - unpaired_b)
    score = pairs / (pairs + DIFFER_WEIGHT * differ + EXTRA_WEIGHT * extra)
    return score >= MATCH_THRESHOLD and (extra == 0 or evidence >= PARTIAL_EVIDENCE)


def match_names(a: str, b: str) -> NameMatch:
    """How likely two names are the same person, with the reason in plain English (``why``)
    and Spanish (``why_es``). Symmetric; insensitive to accents, case, order and particles."""
    return match_prepared(prepare_name(a), prepare_name(b))
