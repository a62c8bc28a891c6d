"""Mentor matching: which mentors may take a request, how well each fits and why, the best
mentors for one request, and an optimal assignment of every pending request at once.

The rules (issue 6, point 3; PRODUCT.md, "Mentoring"):

**Feasible pair.** A mentor may be proposed for a request only if, checked in this order (the
order also decides which "why not" a request gets when no mentor is left):

1. ``case_type`` — the request's case type is in the mentor's expertise;
2. ``language`` — the mentor speaks every language the request lists;
3. ``conflict`` — the mentor is not in the request's conflicts (conflict of interest);
4. ``capacity`` — the mentor has a place left: ``capacity - load >= 1``.

**Score.** 0 to 100 points, the sum of seven factors. Each factor gives a plain-language reason
in English and Spanish (the web app shows the user's language, the JSON command English):

=============  ======  ========================================================================
factor         points  how
=============  ======  ========================================================================
expertise      25      the case type is in the mentor's expertise (all or nothing)
claim          10      share of the request's claim topics in the mentor's expertise; 10 when
                       the request names no topic
language       15      share of the request's languages the mentor speaks; 15 when none needed
court          15      the mentor has worked before the request's court; 15 when there is no
                       court (a USCIS filing)
load           15      15 x free places / capacity, before this request (spreads the work)
hearing        10      urgency of the request itself: hearing within 30 days 10, 90 days 6,
                       180 days 3; later, none or already past 0
prior_work     10      the mentor has mentored this attorney before (continuity)
=============  ======  ========================================================================

A factor the request does not call for scores in full, so that a request is never ranked below
another only because it asked for less. The hearing factor is the same for every mentor of one
request: it does not change a ranking, but in the batch, when places are short, it makes the
solver match requests with an early hearing first.

Points are whole **tenths** (one decimal, rounded half up), so the solver's integer arc costs are
exact: ``cost = 1000 - score in tenths`` (``SCALE = 10``). Every feasible pair scores at least 40
(expertise and language in full).

**Batch.** ``assign_all`` maximises the number of requests matched and, among the assignments that
match that many, the total score, never giving a mentor more than ``capacity - load`` new mentees.
It is a min-cost maximum flow (source -> request, capacity 1; request -> mentor for each feasible
pair, capacity 1, cost ``1000 - tenths``; mentor -> sink, capacity ``capacity - load``) solved by
OR-Tools' ``SimpleMinCostFlow.solve_max_flow_with_min_cost``. Every unit of flow crosses exactly
one request -> mentor arc, so at maximum flow F the cost is ``1000 F - total score``: the
minimum cost is the maximum total score. Pair scores use each mentor's load *before* the batch.

Inputs are sorted by id before the graph is built, so the result does not depend on the order of
the inputs. Ids are ints or strings (ints sort before strings).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from amparo.mentoring.domain.facts import (
    CASE_TYPE_NAMES,
    HEARING_STEPS,
    LANGUAGE_NAMES,
    MAX_SCORE_TENTHS,
    SCALE,
    WEIGHTS,
    Assignment,
    Factor,
    Feasibility,
    Key,
    MentorFacts,
    Reason,
    RequestFacts,
    ScoredPair,
    Unassigned,
    Why,
    key_order,
)
from amparo.mentoring.domain.scoring import (
    case_type_name,
    claim_tenths,
    court_tenths,
    feasible,
    hearing_tenths,
    language_names,
    load_tenths,
    pair_tenths,
    prior_tenths,
    rank_mentors,
    score_pair,
)

# The public interface: the web app, the command and the tests import from here.
__all__ = [
    "CASE_TYPE_NAMES",
    "HEARING_STEPS",
    "LANGUAGE_NAMES",
    "MAX_SCORE_TENTHS",
    "SCALE",
    "WEIGHTS",
    "Assignment",
    "CandidateGraph",
    "Factor",
    "Feasibility",
    "Key",
    "MentorFacts",
    "Reason",
    "RequestFacts",
    "ScoredPair",
    "Unassigned",
    "Why",
    "assign_all",
    "build_candidates",
    "feasible",
    "objective",
    "pair_tenths",
    "rank_mentors",
    "score_pair",
]


# --- all pending requests -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CandidateGraph:
    """Every feasible pair of a batch, by index into the sorted ``requests`` and ``mentors``.

    ``pair_request[k]``, ``pair_mentor[k]`` and ``pair_tenths[k]`` describe pair k (sorted by
    request then mentor); ``blocked`` says, for each request with no feasible mentor, why.
    """

    requests: tuple[RequestFacts, ...]
    mentors: tuple[MentorFacts, ...]
    pair_request: tuple[int, ...]
    pair_mentor: tuple[int, ...]
    pair_tenths: tuple[int, ...]
    blocked: Mapping[int, Unassigned]


def _unique_sorted_requests(requests: Iterable[RequestFacts]) -> tuple[RequestFacts, ...]:
    ordered = tuple(sorted(requests, key=lambda r: key_order(r.id)))
    for before, after in pairwise(ordered):
        if before.id == after.id:
            raise ValueError(f"duplicate request id {after.id!r}")
    return ordered


def _unique_sorted_mentors(mentors: Iterable[MentorFacts]) -> tuple[MentorFacts, ...]:
    ordered = tuple(sorted(mentors, key=lambda m: key_order(m.id)))
    for before, after in pairwise(ordered):
        if before.id == after.id:
            raise ValueError(f"duplicate mentor id {after.id!r}")
    return ordered


def _blocked_case_type(request: RequestFacts) -> Unassigned:
    en, es = case_type_name(request.case_type)
    return Unassigned(
        request.id,
        Why.CASE_TYPE,
        f"no mentor has this case type ({en})",
        f"ningún/a mentor/a tiene experiencia en este tipo de caso ({es})",
    )


def _blocked_language(
    request: RequestFacts, with_case_type: Collection[int], by_language: Mapping[str, set[int]]
) -> Unassigned:
    nobody = [
        code
        for code in request.languages
        if by_language.get(code, set()).isdisjoint(with_case_type)
    ]
    if nobody:
        en, es = language_names(nobody)
        return Unassigned(
            request.id,
            Why.LANGUAGE,
            f"no mentor with this case type speaks: {en}",
            f"ningún/a mentor/a con experiencia en este tipo de caso habla: {es}",
        )
    en, es = language_names(request.languages)
    return Unassigned(
        request.id,
        Why.LANGUAGE,
        f"no mentor with this case type speaks all of: {en}",
        f"ningún/a mentor/a con experiencia en este tipo de caso habla todos estos idiomas: {es}",
    )


def _blocked(request: RequestFacts, code: Why) -> Unassigned:
    if code is Why.CONFLICT:
        return Unassigned(
            request.id,
            code,
            "every mentor who fits has a conflict of interest with this case",
            "todos los/las mentores/as que cumplen los requisitos tienen un conflicto de "
            "intereses con este caso",
        )
    if code is Why.CAPACITY:
        return Unassigned(
            request.id,
            code,
            "every feasible mentor is at capacity",
            "todos los/las mentores/as que cumplen los requisitos ya no tienen cupo",
        )
    return Unassigned(
        request.id,
        Why.TAKEN,
        "matched elsewhere: capacity used by other requests",
        "sin asignar: el cupo de los/las mentores/as posibles se usó para otras solicitudes",
    )


def build_candidates(
    requests: Iterable[RequestFacts], mentors: Iterable[MentorFacts], as_of: date
) -> CandidateGraph:
    """Index the mentors by case type and language, then list every feasible pair with its score
    in tenths. Near-linear in the number of feasible pairs (no request x mentor scan).
    Raises ValueError on duplicate request or mentor ids."""
    reqs = _unique_sorted_requests(requests)
    ments = _unique_sorted_mentors(mentors)
    index_of = {m.id: i for i, m in enumerate(ments)}
    by_case_type: dict[str, set[int]] = {}
    by_language: dict[str, set[int]] = {}
    with_place: set[int] = set()
    for i, mentor in enumerate(ments):
        for case_type in mentor.expertise:
            by_case_type.setdefault(case_type, set()).add(i)
        for code in mentor.languages:
            by_language.setdefault(code, set()).add(i)
        if mentor.free >= 1:
            with_place.add(i)
    load = [load_tenths(m) for m in ments]
    base = WEIGHTS[Factor.EXPERTISE] + WEIGHTS[Factor.LANGUAGE]  # in full for a feasible pair

    pair_request: list[int] = []
    pair_mentor: list[int] = []
    pair_tenths: list[int] = []
    blocked: dict[int, Unassigned] = {}
    for r, request in enumerate(reqs):
        with_case_type = by_case_type.get(request.case_type)
        if not with_case_type:
            blocked[r] = _blocked_case_type(request)
            continue
        candidates = set(with_case_type)
        for code in request.languages:
            candidates &= by_language.get(code, set())
        if not candidates:
            blocked[r] = _blocked_language(request, with_case_type, by_language)
            continue
        candidates.difference_update(index_of[c] for c in request.conflicts if c in index_of)
        if not candidates:
            blocked[r] = _blocked(request, Why.CONFLICT)
            continue
        candidates &= with_place
        if not candidates:
            blocked[r] = _blocked(request, Why.CAPACITY)
            continue
        fixed = base + hearing_tenths(request, as_of)
        for m in sorted(candidates):
            mentor = ments[m]
            pair_request.append(r)
            pair_mentor.append(m)
            pair_tenths.append(
                fixed
                + load[m]
                + claim_tenths(request, mentor)
                + court_tenths(request, mentor)
                + prior_tenths(request, mentor)
            )
    return CandidateGraph(
        reqs, ments, tuple(pair_request), tuple(pair_mentor), tuple(pair_tenths), blocked
    )


def _solve_flow(graph: CandidateGraph) -> dict[int, int]:
    """Max-flow min-cost over the candidate graph: request index -> mentor index."""
    if not graph.pair_request:
        return {}
    import numpy as np
    from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

    n_requests = len(graph.requests)
    n_mentors = len(graph.mentors)
    source, sink = 0, 1 + n_requests + n_mentors
    pair_request = np.asarray(graph.pair_request, dtype=np.int32)
    pair_mentor = np.asarray(graph.pair_mentor, dtype=np.int32)
    requests_used = np.unique(pair_request)
    mentors_used = np.unique(pair_mentor)
    places = np.asarray([graph.mentors[m].free for m in mentors_used], dtype=np.int64)

    flow = SimpleMinCostFlow()
    # Pair arcs first, so that arc k is pair k.
    flow.add_arcs_with_capacity_and_unit_cost(
        pair_request + 1,
        pair_mentor + (1 + n_requests),
        np.ones(len(pair_request), dtype=np.int64),
        MAX_SCORE_TENTHS - np.asarray(graph.pair_tenths, dtype=np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(len(requests_used), source, dtype=np.int32),
        (requests_used + 1).astype(np.int32),
        np.ones(len(requests_used), dtype=np.int64),
        np.zeros(len(requests_used), dtype=np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        (mentors_used + (1 + n_requests)).astype(np.int32),
        np.full(len(mentors_used), sink, dtype=np.int32),
        places,
        np.zeros(len(mentors_used), dtype=np.int64),
    )
    flow.set_node_supply(source, len(requests_used))
    flow.set_node_supply(sink, -len(requests_used))
    status = flow.solve_max_flow_with_min_cost()
    if status != SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError(f"min-cost flow solver failed: {status}")
    used = np.asarray(flow.flows(np.arange(len(pair_request), dtype=np.int32)))
    chosen = np.nonzero(used > 0)[0]
    return {int(pair_request[k]): int(pair_mentor[k]) for k in chosen}


def assign_all(
    requests: Iterable[RequestFacts], mentors: Iterable[MentorFacts], as_of: date
) -> Assignment:
    """Assign mentors to all ``requests`` at once: the most requests matched, then the highest
    total score, no mentor given more than ``capacity - load`` of them, only feasible pairs.

    Returns every request exactly once: in ``assignments`` (a ``ScoredPair`` with its reasons) or
    in ``unassigned`` with a ``Why`` code and the reason. Deterministic; independent of the order
    of the inputs. Raises ValueError on duplicate request or mentor ids.
    """
    graph = build_candidates(requests, mentors, as_of)
    chosen = _solve_flow(graph)
    assignments: list[ScoredPair] = []
    unassigned: list[Unassigned] = []
    for r, request in enumerate(graph.requests):
        m = chosen.get(r)
        if m is not None:
            assignments.append(score_pair(request, graph.mentors[m], as_of))
        else:
            unassigned.append(graph.blocked.get(r) or _blocked(request, Why.TAKEN))
    return Assignment(tuple(assignments), tuple(unassigned))


def objective(assignment: Assignment) -> tuple[int, int]:
    """What ``assign_all`` maximises, lexicographically: (requests matched, total score in
    tenths)."""
    return assignment.matched, sum(pair.score_tenths for pair in assignment.assignments)
