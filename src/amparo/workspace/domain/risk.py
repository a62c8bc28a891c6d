"""Early warning: how likely a placed case is to come back unrepresented, as a score from 0 to 100
with the reason for each point (issue 7, point 8).

Program policy, not law: the weights below are what the "Cases at risk" list ranks by, and every
row shows its factors so a coordinator can see why one case stands above another and call the
attorney before the case is lost. The signals:

- inactivity: nothing logged on the case (no client contact, no hours, no document) for
  `INACTIVE_DAYS` days or more; it weighs most when a hearing is near (`HEARING_NEAR_DAYS`,
  `HEARING_SOON_DAYS`), since an attorney who has gone quiet before a hearing is the case the
  program loses;
- milestones of the case plan past their due date and not done;
- missed response clocks: mentor messages whose answer is overdue (mentoring_work);
- status-update requests from coordinators the attorney has not answered.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Days without any recorded activity after which a case counts as inactive.
INACTIVE_DAYS = 30
#: A hearing this close makes inactivity serious; this much closer, critical.
HEARING_NEAR_DAYS = 60
HEARING_SOON_DAYS = 14

INACTIVE_POINTS_NO_HEARING = 15
INACTIVE_POINTS_HEARING_NEAR = 30
INACTIVE_POINTS_HEARING_SOON = 40
MILESTONE_POINTS, MILESTONE_CAP = 8, 24
MESSAGE_POINTS, MESSAGE_CAP = 10, 20
STATUS_POINTS, STATUS_CAP = 8, 16


@dataclass(frozen=True, slots=True)
class RiskFacts:
    """What is known about a placed case. Days since are None when nothing was ever recorded;
    `days_since_placed` then stands in for the inactivity."""

    days_to_next_hearing: int | None
    days_since_last_contact: int | None
    days_since_last_hours: int | None
    days_since_last_document: int | None
    days_since_placed: int | None
    overdue_milestones: int
    overdue_mentor_messages: int
    unanswered_status_requests: int


@dataclass(frozen=True, slots=True)
class RiskFactor:
    factor: str
    points: int
    en: str
    es: str


@dataclass(frozen=True, slots=True)
class Risk:
    score: int
    factors: tuple[RiskFactor, ...]


def days_inactive(facts: RiskFacts) -> int | None:
    """Days since the most recent activity of any kind; since placement when none was logged."""
    known = [
        days
        for days in (
            facts.days_since_last_contact,
            facts.days_since_last_hours,
            facts.days_since_last_document,
        )
        if days is not None
    ]
    if known:
        return max(0, min(known))
    return facts.days_since_placed


def _inactivity(facts: RiskFacts) -> RiskFactor | None:
    idle = days_inactive(facts)
    if idle is None or idle < INACTIVE_DAYS:
        return None
    hearing = facts.days_to_next_hearing
    if hearing is not None and 0 <= hearing <= HEARING_SOON_DAYS:
        points = INACTIVE_POINTS_HEARING_SOON
    elif hearing is not None and 0 <= hearing <= HEARING_NEAR_DAYS:
        points = INACTIVE_POINTS_HEARING_NEAR
    else:
        points = INACTIVE_POINTS_NO_HEARING
    if hearing is not None and 0 <= hearing <= HEARING_NEAR_DAYS:
        en = f"No contact, hours or documents for {idle} days; hearing in {hearing} days"
        es = (
            f"Sin contacto, horas ni documentos desde hace {idle} días; audiencia en {hearing} días"
        )
    else:
        en = f"No contact, hours or documents for {idle} days"
        es = f"Sin contacto, horas ni documentos desde hace {idle} días"
    return RiskFactor("inactive", points, en, es)


def risk_score(facts: RiskFacts) -> Risk:
    factors: list[RiskFactor] = []
    inactive = _inactivity(facts)
    if inactive is not None:
        factors.append(inactive)
    if facts.overdue_milestones > 0:
        n = facts.overdue_milestones
        factors.append(
            RiskFactor(
                "milestones",
                min(MILESTONE_CAP, MILESTONE_POINTS * n),
                f"{n} plan milestone{'s' if n != 1 else ''} overdue",
                f"{n} etapa{'s' if n != 1 else ''} clave{'s' if n != 1 else ''} del plan "
                f"vencida{'s' if n != 1 else ''}",
            )
        )
    if facts.overdue_mentor_messages > 0:
        n = facts.overdue_mentor_messages
        factors.append(
            RiskFactor(
                "mentor_messages",
                min(MESSAGE_CAP, MESSAGE_POINTS * n),
                f"{n} mentor message{'s' if n != 1 else ''} past the response time",
                f"{n} mensaje{'s' if n != 1 else ''} del/de la mentor/a con la respuesta vencida",
            )
        )
    if facts.unanswered_status_requests > 0:
        n = facts.unanswered_status_requests
        factors.append(
            RiskFactor(
                "status_requests",
                min(STATUS_CAP, STATUS_POINTS * n),
                f"{n} status request{'s' if n != 1 else ''} from the coordinators unanswered",
                f"{n} solicitud{'es' if n != 1 else ''} de actualización de la coordinación "
                "sin responder",
            )
        )
    score = max(0, min(100, sum(f.points for f in factors)))
    return Risk(score=score, factors=tuple(factors))
