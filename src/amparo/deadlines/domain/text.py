"""English and Spanish wording for explanations, flags and derivative reasons.

Spanish follows the project glossary (docs/spanish-glossary.md) (usted, "días calendario", "día hábil",
"audiencia preliminar", "audiencia individual", "Junta de Apelaciones de Inmigración (BIA)",
"moción para reabrir el caso", "Suplemento B", "permiso de trabajo"). Every explanation and
message ends with the advice to verify against the order, notice or current rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from amparo.deadlines.domain.facts import HearingKind, Relationship
from amparo.deadlines.domain.results import Text

VERIFY = Text(
    en="verify against the order, notice or current rule.",
    es="verifique con la orden, el aviso o la norma vigente.",
)

_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


class _DateWording(dict[date, str]):
    """``Tuesday 2026-02-17`` for each date asked, memoised (a pure function of the date).

    A case's explanations write about a dozen dates in each language, mostly the same few thousand
    days. A dict lookup through a bound ``__getitem__`` costs about half an ``lru_cache`` call; the
    memo is bounded (cleared past about 180 years of distinct days), so it cannot grow without end.
    """

    __slots__ = ("_weekdays",)
    _LIMIT = 65_536

    def __init__(self, weekdays: tuple[str, ...]) -> None:
        super().__init__()
        self._weekdays = weekdays

    def __missing__(self, day: date) -> str:
        if len(self) >= self._LIMIT:
            self.clear()
        wording = self[day] = f"{self._weekdays[day.weekday()]} {day.isoformat()}"
        return wording


#: ``en(day)``: ``Tuesday 2026-02-17``.
en: Callable[[date], str] = _DateWording(_WEEKDAYS_EN).__getitem__
#: ``es(day)``: ``martes 2026-02-17``.
es: Callable[[date], str] = _DateWording(_WEEKDAYS_ES).__getitem__


_VERIFY_EN = f"; {VERIFY.en}"
_VERIFY_ES = f"; {VERIFY.es}"


def sentence(english: str, spanish: str) -> Text:
    """Join a clause and the verify advice into one sentence in each language."""
    return Text(english + _VERIFY_EN, spanish + _VERIFY_ES)


_MASTER_HEARING = Text(en="master calendar hearing", es="audiencia preliminar")
_INDIVIDUAL_HEARING = Text(
    en="individual hearing", es="audiencia individual (sobre el fondo del caso)"
)
_RELATIONSHIPS = {
    Relationship.SPOUSE: Text(en="spouse", es="cónyuge"),
    Relationship.CHILD: Text(en="child", es="hijo/a"),
    Relationship.PARENT: Text(en="parent", es="padre o madre"),
    Relationship.SIBLING: Text(en="sibling", es="hermano/a"),
}
_NOTHING = Text(en="", es="")


def hearing_kind(kind: HearingKind) -> Text:
    return _MASTER_HEARING if kind is HearingKind.MASTER else _INDIVIDUAL_HEARING


def relationship(rel: Relationship) -> Text:
    return _RELATIONSHIPS[rel]


def rolled(counted: date, official: date) -> Text:
    """The clause that says a non-business day moved forward (empty when it did not)."""
    if counted == official:
        return _NOTHING
    return Text(
        en=f", which is not a business day, so it moves to the next business day, {en(official)}",
        es=f", que no es día hábil, por lo que pasa al siguiente día hábil, {es(official)}",
    )
