"""Benchmark the mentor-matching solver against a greedy baseline, growing with the program.

Run: ``.venv/bin/python bench/bench_matching.py [--sizes 1000,10000,100000] [--runs 3]``. Not a
test; exits 0 whatever the figures. For each size (a program of N cases) the instance has
N / 10 open mentoring requests and N / 50 mentors (N x 3 / 100 attorneys), built from a fixed
seed (deterministic). Each request is feasible with a few dozen mentors at most: mentors
handle one or two of five case types and speak one or two of 30 languages besides English,
and every request needs its client's language (sometimes two); places are short (capacity minus
load adds up to fewer places than requests), so the choice matters.

- solver: ``assign_all`` (candidate index, OR-Tools min-cost max-flow, reasons for every match);
- greedy: the same candidates, requests by hearing date (earliest first, none last), each given
  its best-scoring mentor with a place left (ties: lowest mentor id), reasons for every match.

Prints the output contract of bench/run.py (a paragraph, a Markdown table with one row per
size, medians over the runs, and the goal line); progress goes to stderr. The JSON contract of
``manage.py solve_matching`` is run once per size as a check that it agrees with the solver.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
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

DEFAULT_SIZES = "1000,10000,100000"
DEFAULT_RUNS = 3
GOAL_REQUESTS = 10_000
GOAL_MENTORS = 2_000
GOAL_SECONDS = 5.0
SEED = 20260105
AS_OF = date(2026, 1, 5)
CASE_TYPES = ("defensive_asylum", "affirmative_asylum", "u_visa", "sijs", "t_visa")
LANGUAGES = tuple(f"l{i:02d}" for i in range(30))
COURTS = tuple(f"court-{i:02d}" for i in range(40))
TOPICS = ("children", "particular_social_group", "gang", "domestic_violence", "detained", "lgbt")

T = TypeVar("T")


def build_instance(
    rng: random.Random, *, requests_count: int, mentors_count: int, attorneys: int
) -> tuple[list[RequestFacts], list[MentorFacts]]:
    # A skewed language mix (a few common, a long tail), the same for clients and mentors.
    weights = [1 / (rank + 1) ** 0.3 for rank in range(len(LANGUAGES))]

    def some_languages(most: int) -> frozenset[str]:
        count = 1 if rng.random() < 0.7 else most
        return frozenset(rng.choices(LANGUAGES, weights, k=count))

    mentors = []
    for i in range(mentors_count):
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
                    rng.randrange(attorneys) for _ in range(rng.randint(0, 5))
                ),
            )
        )
    requests = []
    for i in range(requests_count):
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
                conflicts=frozenset(rng.randrange(mentors_count) for _ in range(rng.randint(0, 3))),
                attorney_id=rng.randrange(attorneys),
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


def _median_seconds(work: Callable[[], T], runs: int) -> tuple[float, T]:
    timings: list[float] = []
    result: T | None = None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    assert result is not None
    return statistics.median(timings), result


@dataclass
class Row:
    cases: int
    requests: int
    mentors: int
    places: int
    pairs: int
    solver_s: float
    solver_matched: int
    solver_tenths: int
    greedy_s: float
    greedy_matched: int
    greedy_tenths: int

    @property
    def quality_ratio(self) -> float:
        """The greedy's total score as a share of the solver's (1.00: as good)."""
        return self.greedy_tenths / self.solver_tenths if self.solver_tenths else 1.0


def measure(cases: int, runs: int) -> Row:
    requests_count, mentors_count = max(1, cases // 10), max(1, cases // 50)
    requests, mentors = build_instance(
        random.Random(SEED),
        requests_count=requests_count,
        mentors_count=mentors_count,
        attorneys=max(1, cases * 3 // 100),
    )
    graph = build_candidates(requests, mentors, AS_OF)
    solver_s, result = _median_seconds(lambda: assign_all(requests, mentors, AS_OF), runs)
    greedy_s, (greedy_matched, greedy_tenths) = _median_seconds(
        lambda: greedy(requests, mentors), runs
    )
    matched, tenths = objective(result)
    output = json.dumps(solve_text(as_json(requests, mentors), today=AS_OF), ensure_ascii=False)
    if json.loads(output)["summary"]["matched"] != matched:
        raise SystemExit("the JSON contract and the solver disagree")
    return Row(
        cases=cases,
        requests=requests_count,
        mentors=mentors_count,
        places=sum(m.free for m in mentors),
        pairs=len(graph.pair_request),
        solver_s=solver_s,
        solver_matched=matched,
        solver_tenths=tenths,
        greedy_s=greedy_s,
        greedy_matched=greedy_matched,
        greedy_tenths=greedy_tenths,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated case counts")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    rows = []
    for cases in sizes:
        print(f"bench_matching: {cases:,} cases ...", file=sys.stderr, flush=True)
        rows.append(measure(cases, args.runs))
    print(
        f"The mentor matcher on synthetic programs of {', '.join(f'{n:,}' for n in sizes)} cases: "
        "requests = cases / 10, mentors = cases / 50 (places short of requests, each request "
        "feasible with a few dozen mentors), fixed seed, in memory (no database). Solver: "
        "`assign_all` (candidate index, OR-Tools min-cost max-flow: most matches, then highest "
        "total score); greedy: earliest hearing first, each request its best mentor with a place "
        f"left. Times are medians of {args.runs} runs, including the reasons for every match. "
        "Quality ratio = greedy total score / solver total score."
    )
    print()
    print(
        "| requests | mentors | feasible pairs | solver s | solver matched | solver total score "
        "| greedy s | greedy matched | greedy score | quality ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row.requests:,} | {row.mentors:,} | {row.pairs:,} | {row.solver_s:.3f} "
            f"| {row.solver_matched:,} | {row.solver_tenths / 10:,.1f} | {row.greedy_s:.3f} "
            f"| {row.greedy_matched:,} | {row.greedy_tenths / 10:,.1f} | {row.quality_ratio:.3f} |"
        )
    print()
    goal = f"optimal matching of {GOAL_REQUESTS:,} requests x {GOAL_MENTORS:,} mentors under {GOAL_SECONDS:g} s"
    at_goal = next(
        (r for r in rows if r.requests == GOAL_REQUESTS and r.mentors == GOAL_MENTORS), None
    )
    if at_goal is None:
        print(f"Goal: {goal} — NOT met (not measured: run with size 100000)")
    else:
        verdict = "met" if at_goal.solver_s < GOAL_SECONDS else "NOT met"
        print(f"Goal: {goal} — {verdict} ({at_goal.solver_s:.2f} s, median of {args.runs} runs)")


if __name__ == "__main__":
    main()
