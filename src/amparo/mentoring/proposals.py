"""From the database to the matcher's facts and back: the mentors proposed for a request, best
first, each with a score and one reason per factor (amparo.mentoring.domain.matching).

Mentor facts come from MentorProfile (active mentors only): expertise, languages, courts,
capacity and load (INVITED + ACTIVE mentorships). Request facts come from the case: type, court,
the languages the request lists, the next individual hearing, and conflicts — the attorney
themself, and mentors named by a confirmed conflict hit on the case (declared by them, or the
mentor of the matched case). Mentors who already declined the request are not proposed again:
a decline moves the request to the next best mentor.

Every function here runs a fixed number of queries whatever the number of mentors or requests.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language

from amparo.accounts.models import Role
from amparo.cases.models import Hearing
from amparo.mentoring.domain.matching import (
    Feasibility,
    MentorFacts,
    Reason,
    RequestFacts,
    ScoredPair,
    feasible,
    rank_mentors,
)
from amparo.mentoring.models import MentoringRequest, Mentorship
from amparo.people.models import MentorProfile

PROPOSALS_SHOWN = 5


@dataclass(frozen=True)
class Proposal:
    mentor: Any  # the User
    profile: MentorProfile
    score: float
    reasons: tuple[Reason, ...]
    load: int

    @property
    def mentor_id(self) -> int:
        return int(self.mentor.pk)

    def reason_texts(self, language: str | None = None) -> list[tuple[float, str]]:
        language = (language or get_language() or "en")[:2]
        return [(reason.points, reason.text(language)) for reason in self.reasons]

    @property
    def reasons_shown(self) -> list[tuple[float, str]]:
        return self.reason_texts()


def court_key(court: Any) -> str | None:
    return court.name if court is not None else None


def mentor_loads(*, mentor_ids: Iterable[int] | None = None) -> dict[int, int]:
    rows = Mentorship.objects.filter(status__in=Mentorship.LOAD_STATUSES)
    if mentor_ids is not None:
        rows = rows.filter(mentor_id__in=list(mentor_ids))
    return {
        row["mentor_id"]: row["n"]
        for row in rows.values("mentor_id").annotate(n=Count("id")).order_by()
    }


def _mentor_profiles() -> list[MentorProfile]:
    return list(
        MentorProfile.objects.filter(active=True, user__is_active=True, user__role=Role.MENTOR)
        .select_related("user")
        .prefetch_related("courts")
        .order_by("user_id")
    )


def _prior_mentees() -> dict[int, set[int]]:
    prior: dict[int, set[int]] = defaultdict(set)
    for mentor_id, mentee_id in Mentorship.objects.filter(
        status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.CLOSED]
    ).values_list("mentor_id", "mentee_id"):
        prior[mentor_id].add(mentee_id)
    return prior


def mentor_facts(
    profiles: list[MentorProfile], loads: dict[int, int], prior: dict[int, set[int]]
) -> list[MentorFacts]:
    return [
        MentorFacts(
            id=profile.user_id,
            languages=frozenset(profile.languages or []),
            expertise=frozenset(profile.expertise or []),
            courts=frozenset(court.name for court in profile.courts.all()),
            capacity=profile.capacity,
            load=loads.get(profile.user_id, 0),
            prior_mentee_ids=frozenset(prior.get(profile.user_id, set())),
        )
        for profile in profiles
    ]


def _next_individual_hearings(case_ids: list[int]) -> dict[int, dt.date]:
    dates: dict[int, dt.date] = {}
    for case_id, starts_at in (
        Hearing.objects.filter(
            case_id__in=case_ids,
            kind=Hearing.Kind.INDIVIDUAL,
            status=Hearing.Status.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .values_list("case_id", "starts_at")
    ):
        dates.setdefault(case_id, timezone.localdate(starts_at))
    return dates


def _conflicted_mentors(case_ids: list[int]) -> dict[int, set[int]]:
    from amparo.conflicts.models import ConflictHit

    conflicts: dict[int, set[int]] = defaultdict(set)
    for case_id, attorney_id, matched_mentor_id in ConflictHit.objects.filter(
        case_id__in=case_ids, status=ConflictHit.Status.CONFIRMED
    ).values_list("case_id", "matched_attorney_id", "matched_case__mentor_id"):
        for user_id in (attorney_id, matched_mentor_id):
            if user_id is not None:
                conflicts[case_id].add(user_id)
    return conflicts


def _declined(request_ids: list[int]) -> dict[int, set[int]]:
    declined: dict[int, set[int]] = defaultdict(set)
    for request_id, mentor_id in Mentorship.objects.filter(
        request_id__in=request_ids, status=Mentorship.Status.DECLINED
    ).values_list("request_id", "mentor_id"):
        declined[request_id].add(mentor_id)
    return declined


def request_facts_many(requests: list[MentoringRequest]) -> dict[int, RequestFacts]:
    """The facts of each request (the requests come with their case and court loaded)."""
    case_ids = [r.case_id for r in requests]
    hearings = _next_individual_hearings(case_ids)
    conflicts = _conflicted_mentors(case_ids)
    return {
        r.pk: RequestFacts(
            id=r.pk,
            case_type=r.case.case_type,
            court=court_key(r.case.court),
            languages=frozenset(r.languages or []),
            hearing_date=hearings.get(r.case_id),
            conflicts=frozenset(conflicts.get(r.case_id, set()) | {r.attorney_id}),
            attorney_id=r.attorney_id,
        )
        for r in requests
    }


class _Pool:
    """Every active mentor's facts, loaded once (four queries)."""

    def __init__(self) -> None:
        self.profiles = {p.user_id: p for p in _mentor_profiles()}
        self.loads = mentor_loads(mentor_ids=list(self.profiles))
        self.facts = mentor_facts(list(self.profiles.values()), self.loads, _prior_mentees())

    def proposal(self, pair: ScoredPair) -> Proposal:
        profile = self.profiles[int(pair.mentor_id)]
        return Proposal(
            mentor=profile.user,
            profile=profile,
            score=pair.score,
            reasons=pair.reasons,
            load=self.loads.get(profile.user_id, 0),
        )


def _rank(
    pool: _Pool, facts: RequestFacts, declined: set[int], as_of: dt.date, limit: int | None
) -> list[ScoredPair]:
    mentors = [m for m in pool.facts if m.id not in declined]
    return rank_mentors(facts, mentors, as_of, limit=limit)


def request_proposals(
    *, request: MentoringRequest, limit: int | None = PROPOSALS_SHOWN, today: dt.date | None = None
) -> list[Proposal]:
    """The best feasible mentors for the request, best first."""
    pool = _Pool()
    facts = request_facts_many([request])[request.pk]
    declined = _declined([request.pk]).get(request.pk, set())
    ranked = _rank(pool, facts, declined, today or timezone.localdate(), limit)
    return [pool.proposal(pair) for pair in ranked]


def request_top_proposals(
    *, requests: list[MentoringRequest], today: dt.date | None = None
) -> dict[int, Proposal | None]:
    """The best mentor for each request waiting for a match (for the queue: one pool of mentor
    facts for the whole page)."""
    waiting = [r for r in requests if r.status == MentoringRequest.Status.PENDING]
    if not waiting:
        return {}
    pool = _Pool()
    facts = request_facts_many(waiting)
    declined = _declined([r.pk for r in waiting])
    as_of = today or timezone.localdate()
    top: dict[int, Proposal | None] = {}
    for r in waiting:
        ranked = _rank(pool, facts[r.pk], declined.get(r.pk, set()), as_of, 1)
        top[r.pk] = pool.proposal(ranked[0]) if ranked else None
    return top


@dataclass(frozen=True)
class MentorFit:
    """Whether one mentor may be confirmed for a request, and the score if so."""

    feasibility: Feasibility
    pair: ScoredPair | None
    declined_before: bool


def request_mentor_fit(
    *, request: MentoringRequest, mentor: Any, load: int, today: dt.date | None = None
) -> MentorFit | None:
    """The matcher's verdict on this mentor for this request with the given load (read under
    the mentor's row lock by the confirmation); None when the person is not an active mentor."""
    profile = (
        MentorProfile.objects.filter(
            user=mentor, active=True, user__is_active=True, user__role=Role.MENTOR
        )
        .prefetch_related("courts")
        .first()
    )
    if profile is None:
        return None
    prior = {
        mentor.pk: set(
            Mentorship.objects.filter(
                Q(mentor=mentor)
                & Q(status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.CLOSED])
            ).values_list("mentee_id", flat=True)
        )
    }
    facts = mentor_facts([profile], {mentor.pk: load}, prior)[0]
    request_facts = request_facts_many([request])[request.pk]
    verdict = feasible(request_facts, facts)
    declined = mentor.pk in _declined([request.pk]).get(request.pk, set())
    pair = None
    if verdict.ok:
        ranked = rank_mentors(request_facts, [facts], today or timezone.localdate(), limit=1)
        pair = ranked[0] if ranked else None
    return MentorFit(feasibility=verdict, pair=pair, declined_before=declined)
