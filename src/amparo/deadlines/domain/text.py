"""English and Spanish wording for explanations, flags and derivative reasons.

Spanish follows the project glossary (docs/spanish-glossary.md) (usted, "días calendario", "día hábil",
"audiencia preliminar", "audiencia individual", "Junta de Apelaciones de Inmigración (BIA)",
"moción para reabrir el caso", "Suplemento B", "permiso de trabajo"). Every explanation and
message ends with the advice to verify against the order, notice or current rule.
"""

from __future__ import annotations

from datetime import date

from amparo.deadlines.domain.facts import HearingKind, Relationship
from amparo.deadlines.domain.results import Text

VERIFY = Text(
    en="verify against the order, notice or current rule.",
    es="verifique con la orden, el aviso o la norma vigente.",
)

_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


def en(day: date) -> str:
    """``Tuesday 2026-02-17``."""
    return f"{_WEEKDAYS_EN[day.weekday()]} {day.isoformat()}"


def es(day: date) -> str:
    """``martes 2026-02-17``."""
    return f"{_WEEKDAYS_ES[day.weekday()]} {day.isoformat()}"


def sentence(english: str, spanish: str) -> Text:
    """Join a clause and the verify advice into one sentence in each language."""
    return Text(en=f"{english}; {VERIFY.en}", es=f"{spanish}; {VERIFY.es}")


def hearing_kind(kind: HearingKind) -> Text:
    if kind is HearingKind.MASTER:
        return Text(en="master calendar hearing", es="audiencia preliminar")
    return Text(en="individual hearing", es="audiencia individual (sobre el fondo del caso)")


def relationship(rel: Relationship) -> Text:
    return {
        Relationship.SPOUSE: Text(en="spouse", es="cónyuge"),
        Relationship.CHILD: Text(en="child", es="hijo/a"),
        Relationship.PARENT: Text(en="parent", es="padre o madre"),
        Relationship.SIBLING: Text(en="sibling", es="hermano/a"),
    }[rel]


def rolled(counted: date, official: date) -> Text:
    """The clause that says a non-business day moved forward (empty when it did not)."""
    if counted == official:
        return Text(en="", es="")
    return Text(
        en=f", which is not a business day, so it moves to the next business day, {en(official)}",
        es=f", que no es día hábil, por lo que pasa al siguiente día hábil, {es(official)}",
    )
