"""How urgently a case needs an attorney: a score from 0 to 100 with the reason for each point.

Program policy, not law: the weights below are what the board ranks by, and every card shows the
factors so a coordinator can see why one case stands above another. The inputs are the days left
before the next hearing and the next filing deadline (the tighter of the two counts most),
detention (detained dockets move in weeks), children (unaccompanied children and families are the
program's priority), and time already waiting on the board.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UrgencyFacts:
    days_to_next_hearing: int | None
    days_to_next_filing_deadline: int | None
    detained: bool
    children_involved: bool
    unaccompanied_child: bool
    days_waiting: int


@dataclass(frozen=True, slots=True)
class UrgencyFactor:
    factor: str
    points: int
    en: str
    es: str


@dataclass(frozen=True, slots=True)
class Urgency:
    score: int
    factors: tuple[UrgencyFactor, ...]


def _time_points(days: int) -> int:
    """Up to 50 points: full at 7 days or less (or past), none beyond 120 days."""
    if days <= 7:
        return 50
    if days >= 120:
        return 0
    return round(50 * (120 - days) / 113)


def urgency_score(facts: UrgencyFacts) -> Urgency:
    factors: list[UrgencyFactor] = []
    horizons = [
        (facts.days_to_next_hearing, "hearing"),
        (facts.days_to_next_filing_deadline, "deadline"),
    ]
    known = [(days, kind) for days, kind in horizons if days is not None]
    if known:
        days, kind = min(known)
        points = _time_points(days)
        if points:
            if kind == "hearing":
                en = f"Next hearing in {days} days"
                es = f"Próxima audiencia en {days} días"
            else:
                en = f"Next filing deadline in {days} days"
                es = f"Próxima fecha límite de presentación en {days} días"
            if days < 0:
                en = "A date has already passed"
                es = "Una fecha ya pasó"
            factors.append(UrgencyFactor("time", points, en, es))
    if facts.detained:
        factors.append(UrgencyFactor("detained", 20, "Client is detained", "Cliente detenido/a"))
    if facts.unaccompanied_child:
        factors.append(UrgencyFactor("child", 15, "Unaccompanied child", "Menor no acompañado/a"))
    elif facts.children_involved:
        factors.append(UrgencyFactor("child", 10, "Children involved", "Hay menores en el caso"))
    waiting_points = min(15, facts.days_waiting // 4)
    if waiting_points:
        factors.append(
            UrgencyFactor(
                "waiting",
                waiting_points,
                f"Waiting {facts.days_waiting} days for an attorney",
                f"Lleva {facts.days_waiting} días esperando un/a abogado/a",
            )
        )
    score = min(100, sum(f.points for f in factors))
    return Urgency(score=score, factors=tuple(factors))


def age_band(age: int | None) -> str:
    """An anonymized age: the board never shows an exact birth date."""
    if age is None:
        return ""
    if age < 0:
        return ""
    for upper, label in ((5, "0-5"), (11, "6-11"), (17, "12-17"), (20, "18-20"), (29, "21-29")):
        if age <= upper:
            return label
    decade = (age // 10) * 10
    return f"{decade}-{decade + 9}" if age < 70 else "70+"
