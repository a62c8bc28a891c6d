"""Benchmark the mentor-matching solver: 10,000 requests x 2,000 mentors, sparse feasible pairs,
against a greedy baseline. Median of 3 runs.

Run: ``.venv/bin/python bench/bench_matching.py``. Not a test. The instance is built once from a
fixed seed (deterministic). Each request is feasible with a few dozen mentors at most: mentors
handle one or two of five case types and speak one or two of 30 languages besides English,
and every request needs its client's language (sometimes two); places are short (capacity minus
load adds up to fewer places than requests), so the choice matters.

- solver: ``assign_all`` (candidate index, OR-Tools min-cost max-flow, reasons for every match);
- greedy: the same candidates, requests by hearing date (earliest first, none last), each given
  its best-scoring mentor with a place left (ties: lowest mentor id), reasons for every match.

Prints one line: feasible pairs, then time, matched count and total score of each, and the time
of the whole JSON contract of ``manage.py solve_matching`` on the same instance.
"""

from __future__ import annotations

import importlib.util
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

if importlib.util.find_spec("amparo") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from amparo.mentoring.domain.contract import solve_text
from amparo.mentoring.domain.matching import (
    MentorFacts,
    RequestFacts,
    ScoredPair,
    assign_all,
    build_candidates,
    objective,
    score_pair,
)

REQUESTS = 10_000
MENTORS = 2_000
RUNS = 3
SEED = 20260105
AS_OF = date(2026, 1, 5)
CASE_TYPES = ("defensive_asylum", "affirmative_asylum", "u_visa", "sijs", "t_visa")
LANGUAGES = tuple(f"l{i:02d}" for i in range(30))
COURTS = tuple(f"court-{i:02d}" for i in range(40))
TOPICS = ("children", "particular_social_group", "gang", "domestic_violence", "detained", "lgbt")
ATTORNEYS = 3_000

T = TypeVar("T")


def build_instance(rng: random.Random) -> tuple[list[RequestFacts], list[MentorFacts]]:
    # A skewed language mix (a few common, a long tail), the same for clients and mentors.
    weights = [1 / (rank + 1) ** 0.3 for rank in range(len(LANGUAGES))]

    def some_languages(most: int) -> frozenset[str]:
        count = 1 if rng.random() < 0.7 else most
        return frozenset(rng.choices(LANGUAGES, weights, k=count))

    mentors = []
    for i in range(MENTORS):
        capacity = rng.randint(3, 8)
        mentors.append(
            MentorFacts(
                id=i,
                languages=some_languages(2) | {"en"},
                expertise=frozenset(rng.sample(CASE_TYPES, 1 if rng.random() < 0.7 else 2))
                | frozenset(rng.sample(TOPICS, rng.randint(0, 3))),
                courts=frozenset(rng.sample(COURTS, rng.randint(1, 3))),
                capacity=capacity,
                load=rng.randint(0, capacity // 2),
                prior_mentee_ids=frozenset(
                    rng.randrange(ATTORNEYS) for _ in range(rng.randint(0, 5))
                ),
            )
        )
    requests = []
    for i in range(REQUESTS):
        case_type = rng.choice(CASE_TYPES)
        hearing = None
        if case_type in ("defensive_asylum", "sijs") or rng.random() < 0.3:
            hearing = AS_OF + timedelta(days=rng.randint(-5, 400))
        requests.append(
            RequestFacts(
                id=f"req-{i:05d}",
                case_type=case_type,
                court=None if case_type == "u_visa" else rng.choice(COURTS),
                languages=some_languages(2),
                hearing_date=hearing,
                conflicts=frozenset(rng.randrange(MENTORS) for _ in range(rng.randint(0, 3))),
                attorney_id=rng.randrange(ATTORNEYS),
                topics=frozenset(rng.sample(TOPICS, rng.randint(0, 2))),
            )
        )
    return requests, mentors


def as_json(requests: list[RequestFacts], mentors: list[MentorFacts]) -> str:
    """The same instance as ``manage.py solve_matching`` reads it."""
    return json.dumps(
        {
            "as_of": AS_OF.isoformat(),
            "requests": [
                {
                    "id": r.id,
                    "case_type": r.case_type,
                    "court": r.court,
                    "languages": sorted(r.languages),
                    "hearing_date": r.hearing_date.isoformat() if r.hearing_date else None,
                    "conflicts": sorted(r.conflicts, key=str),
                    "attorney": r.attorney_id,
                    "topics": sorted(r.topics),
                }
                for r in requests
            ],
            "mentors": [
                {
                    "id": m.id,
                    "languages": sorted(m.languages),
                    "expertise": sorted(m.expertise),
                    "courts": sorted(m.courts, key=str),
                    "capacity": m.capacity,
                    "load": m.load,
                    "prior_mentees": sorted(m.prior_mentee_ids, key=str),
                }
                for m in mentors
            ],
        }
    )


def greedy(requests: list[RequestFacts], mentors: list[MentorFacts]) -> tuple[int, int]:
    """The baseline: earliest hearing first, each request its best mentor with a place left."""
    graph = build_candidates(requests, mentors, AS_OF)
    options: dict[int, list[tuple[int, int]]] = {}
    for r, m, tenths in zip(graph.pair_request, graph.pair_mentor, graph.pair_tenths, strict=True):
        options.setdefault(r, []).append((-tenths, m))
    left = [m.free for m in graph.mentors]
    far = date.max
    order = sorted(
        options, key=lambda r: (graph.requests[r].hearing_date or far, graph.requests[r].id)
    )
    chosen: list[ScoredPair] = []
    for r in order:
        for _neg, m in sorted(options[r]):
            if left[m] > 0:
                left[m] -= 1
                chosen.append(score_pair(graph.requests[r], graph.mentors[m], AS_OF))
                break
    return len(chosen), sum(pair.score_tenths for pair in chosen)


def _median_seconds(work: Callable[[], T]) -> tuple[float, T]:
    timings: list[float] = []
    result: T | None = None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    assert result is not None
    return statistics.median(timings), result


def main() -> None:
    requests, mentors = build_instance(random.Random(SEED))
    graph = build_candidates(requests, mentors, AS_OF)
    pairs = len(graph.pair_request)
    per_request: dict[int, int] = {}
    for r in graph.pair_request:
        per_request[r] = per_request.get(r, 0) + 1
    counts = sorted(per_request.values())
    places = sum(m.free for m in mentors)

    candidates_s, _ = _median_seconds(lambda: build_candidates(requests, mentors, AS_OF))
    solver_s, result = _median_seconds(lambda: assign_all(requests, mentors, AS_OF))
    greedy_s, (greedy_matched, greedy_tenths) = _median_seconds(lambda: greedy(requests, mentors))
    matched, tenths = objective(result)
    text = as_json(requests, mentors)
    contract_s, output = _median_seconds(
        lambda: json.dumps(solve_text(text, today=AS_OF), ensure_ascii=False)
    )
    if json.loads(output)["summary"]["matched"] != matched:
        raise SystemExit("the JSON contract and the solver disagree")
    print(
        f"bench_matching: {REQUESTS} requests x {MENTORS} mentors, {places} places, "
        f"{pairs:,} feasible pairs ({len(per_request)} requests with any; per request median "
        f"{counts[len(counts) // 2]}, 90th pct {counts[len(counts) * 9 // 10]}), median of "
        f"{RUNS} runs: solver (OR-Tools min-cost max-flow) {solver_s:.2f} s "
        f"(candidates {candidates_s:.2f} s), {matched} matched, total score {tenths / 10:,.1f}; "
        f"greedy by hearing date {greedy_s:.2f} s, {greedy_matched} matched, "
        f"total score {greedy_tenths / 10:,.1f}; whole JSON contract (parse, solve, "
        f"serialise {len(text) / 1e6:.1f} MB in) {contract_s:.2f} s"
    )


if __name__ == "__main__":
    main()
