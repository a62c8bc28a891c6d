"""Benchmark the pure deadline engine on 1,000 / 10,000 / 100,000 varied synthetic cases.

Run: ``.venv/bin/python bench/bench_deadlines.py [--sizes 1000,10000,100000] [--runs 3]``. Not a
test. The facts are built once from a fixed seed (deterministic; a smaller size is a prefix of a
larger one). Each run computes every case on a fresh production calendar (``holidays.US()`` plus
executive-order closures), so the calendar's per-date memos start empty in every run. Reports, per
size, the median over the runs of: the engine on ready-made facts, and the whole JSON contract
(parse, compute, serialise) on the same cases as plain dicts. Markdown on stdout, progress on
stderr.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

if importlib.util.find_spec("amparo") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from amparo.deadlines.domain.business_days import us_federal_calendar
from amparo.deadlines.domain.contract import compute_batch, parse_case
from amparo.deadlines.domain.engine import compute_case
from amparo.deadlines.domain.facts import CaseFacts

DEFAULT_SIZES = "1000,10000,100000"
DEFAULT_RUNS = 3
GOAL_CASES = 100_000
GOAL_SECONDS = 2.0
SEED = 20260105
AS_OF = date(2026, 1, 5)
CLOSURES = (date(2024, 12, 24), date(2025, 1, 9), date(2025, 12, 24), date(2025, 12, 26))


def _day(rng: random.Random, start: date, span_days: int) -> str:
    return (start + timedelta(days=rng.randrange(span_days))).isoformat()


def synthetic_case(rng: random.Random, number: int) -> dict[str, Any]:
    """One plausible case: dates in a realistic order, every rule reachable."""
    case_type = rng.choice(["defensive_asylum", "affirmative_asylum", "u_visa"])
    arrival = date(2016, 1, 1) + timedelta(days=rng.randrange(3600))
    born = arrival - timedelta(days=rng.randrange(365 * 4, 365 * 45))
    case: dict[str, Any] = {
        "id": f"case-{number}",
        "as_of": _day(rng, date(2024, 1, 1), 1200),
        "case_type": case_type,
        "detained": rng.random() < 0.15,
        "last_arrival": arrival.isoformat(),
        "date_of_birth": born.isoformat(),
        "is_uac": rng.random() < 0.1,
        "sij": rng.random() < 0.1,
    }
    if case_type != "u_visa":
        case["i589_received"] = (arrival + timedelta(days=rng.randrange(20, 500))).isoformat()
        case["asylum_clock_delay_days"] = rng.choice([0, 0, 0, 7, 14, 30])
        case["hearings"] = [
            {
                "kind": rng.choice(["master", "individual"]),
                "date": (arrival + timedelta(days=rng.randrange(30, 3000))).isoformat(),
                "ruling_requested": rng.random() < 0.5,
                **({"ij_filing_deadline": None} if rng.random() < 0.9 else {}),
            }
            for _ in range(rng.randrange(4))
        ]
        case["filings_received"] = [
            {"date": _day(rng, arrival, 3000)} for _ in range(rng.randrange(3))
        ]
        if rng.random() < 0.3:
            decided = arrival + timedelta(days=rng.randrange(200, 3000))
            case["decision"] = {
                "kind": rng.choice(["oral", "written"]),
                "date": decided.isoformat(),
                "memo_mailed": (decided + timedelta(days=rng.randrange(0, 20))).isoformat(),
                "appeal_waived": rng.random() < 0.1,
            }
            case["final_order_date"] = decided.isoformat()
    else:
        signed = date(2023, 1, 1) + timedelta(days=rng.randrange(1300))
        case["supplement_b_signed"] = signed.isoformat()
        if rng.random() < 0.5:
            case["i918_filed"] = (signed + timedelta(days=rng.randrange(10, 200))).isoformat()
        else:
            case["i918_planned"] = (signed + timedelta(days=rng.randrange(10, 200))).isoformat()
    case["family"] = [
        {
            "id": f"f{index}",
            "relationship": rng.choice(["spouse", "child", "child", "parent", "sibling"]),
            "date_of_birth": _day(rng, date(1960, 1, 1), 365 * 60),
            "married": rng.random() < 0.1,
        }
        for index in range(rng.randrange(4))
    ]
    if rng.random() < 0.2:
        case["uscis_response_due"] = _day(rng, date(2024, 1, 1), 1200)
        case["uscis_response_method"] = rng.choice(["paper", "online"])
    return case


def _median_seconds(work: Callable[[], int], runs: int) -> tuple[float, int]:
    timings: list[float] = []
    produced = 0
    for _ in range(runs):
        started = time.perf_counter()
        produced = work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), produced


def measure(raw_cases: list[dict[str, Any]], runs: int) -> tuple[int, float, float]:
    """Return (deadlines, engine median seconds, JSON contract median seconds) for the cases."""
    facts = [parse_case(raw, today=AS_OF) for raw in raw_cases]
    valid = [f for f in facts if isinstance(f, CaseFacts)]
    if len(valid) != len(raw_cases):
        raise SystemExit(f"synthetic data invalid: {len(raw_cases) - len(valid)} cases rejected")

    def engine_run() -> int:
        calendar = us_federal_calendar(CLOSURES)
        return sum(len(compute_case(f, calendar=calendar).deadlines) for f in valid)

    def contract_run() -> int:
        calendar = us_federal_calendar(CLOSURES)
        results = compute_batch(raw_cases, today=AS_OF, calendar=calendar)
        return sum(len(cast(list[object], r["deadlines"])) for r in results if "deadlines" in r)

    engine_s, deadlines = _median_seconds(engine_run, runs)
    contract_s, _ = _median_seconds(contract_run, runs)
    return deadlines, engine_s, contract_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated case counts")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="runs per size (median)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    runs = max(1, args.runs)

    rng = random.Random(SEED)
    all_cases = [synthetic_case(rng, number) for number in range(max(sizes))]
    us_federal_calendar()  # Import ``holidays`` before timing: a one-off cost per process.

    rows: list[str] = []
    figures: dict[int, float] = {}
    for size in sizes:
        print(f"bench_deadlines: {size:,} cases, {runs} runs ...", file=sys.stderr, flush=True)
        deadlines, engine_s, contract_s = measure(all_cases[:size], runs)
        figures[size] = engine_s
        rows.append(
            f"| {size:,} | {deadlines:,} | {engine_s:.2f} | {size / engine_s:,.0f} "
            f"| {contract_s:.2f} | {size / contract_s:,.0f} |"
        )

    print(
        "Pure deadline engine (no database), synthetic cases from a fixed seed: asylum and U visa "
        "cases with 0-3 hearings, filings, decisions and family members. Each run uses a fresh "
        "production calendar (`holidays.US()` plus four executive-order closures), so its "
        "per-date memos start empty (the memo of written dates, a pure function of the date, "
        "lives for the process). *Engine*: `compute_case` on ready-made facts. *JSON "
        f"contract*: `compute_batch` on the same cases as plain dicts (parse, compute, "
        f"serialise). Median of {runs} runs per size."
    )
    print()
    print("| cases | deadlines | engine s | engine cases/s | JSON contract s | contract cases/s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(row)
    print()
    goal = f"{GOAL_CASES:,} cases under {GOAL_SECONDS:.0f} s"
    if GOAL_CASES in figures:
        met = "met" if figures[GOAL_CASES] < GOAL_SECONDS else "NOT met"
        print(f"Goal: {goal} — {met} ({figures[GOAL_CASES]:.2f} s)")
    else:
        print(f"Goal: {goal} — NOT met (not measured: {GOAL_CASES:,} not in --sizes)")


if __name__ == "__main__":
    main()
