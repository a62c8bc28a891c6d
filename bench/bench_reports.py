"""Benchmark the program's reports at scale: queries and median response time of each report.

Run: ``.venv/bin/python bench/bench_reports.py [--sizes 1000,10000,100000] [--runs 3]
[--database sqlite|postgres|both] [--sqlite-all-sizes] [--keep-seeded]``. Not a test; exits 0
whatever the figures. Default database: both when PostgreSQL answers at BENCH_POSTGRES
(postgres://postgres@127.0.0.1:5432), else SQLite. On SQLite only the sizes up to 10,000 run
unless ``--sqlite-all-sizes`` (seeding 100,000 cases there took about 21 minutes on the shared
machine). On SQLite a child process seeds a fresh file in a temporary folder with
``manage.py seed_scale --cases N`` (a realistic program through the project's own code: 3
parties per case, an attorney per 5 cases, a mentor per 50, stages, placements, hearings,
deadlines, outcomes, mentorships). On PostgreSQL the same program comes from bench/seeded.py:
a template database seeded once per size (about 16 minutes at 100,000 cases under load) and
shared with bench_web, copied into amparo_bench_reports_<size>_<pid> and dropped after; the
template too unless ``--keep-seeded`` (bench/run.py keeps it for the whole run, then drops it).
The child then requests each report through Django's test client, as the bench coordinator (and
the bench attorney for their own figures), once to warm up and then ``--runs`` times, reporting
the median time and the queries of one run.

Prints the output contract of bench/run.py (a paragraph, a Markdown table with one row per size,
the goal line); progress goes to stderr. The issue sets no goal for reports: the goal line is
our own, what a coordinator would accept from a page they open a few times a day.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import seeded

SRC = Path(__file__).resolve().parents[1] / "src"
DEFAULT_SIZES = "1000,10000,100000"
DEFAULT_RUNS = 3
GOAL_CASES = 100_000
GOAL_SECONDS = 1.0
SQLITE_DEFAULT_MAX = 10_000
# The benchmark's copy of the seeded program on PostgreSQL; created and dropped per size.
PG_DATABASE = "amparo_bench_reports_{cases}_{pid}"

# (label, signed in as, path and query; {year} is the last twelve months, {court} a court id)
REPORTS = [
    ("dashboard, last 12 months", "coordinator", "/reports/?{year}"),
    (
        "dashboard, U visa at one court",
        "coordinator",
        "/reports/?{year}&case_type=u_visa&court={court}",
    ),
    ("funder report, this year", "coordinator", "/reports/funders/"),
    ("CSV export (placements)", "coordinator", "/reports/export/?{year}&table=placements"),
    ("my figures (attorney)", "attorney", "/reports/mine/"),
]


def measure_one_size(cases: int, runs: int, *, already_seeded: bool) -> dict[str, object]:
    """In a child process with its own var dir: seed (unless given a seeded copy), then time
    every report."""
    sys.path.insert(0, str(SRC))
    import django

    django.setup()
    from django.core.management import call_command

    if already_seeded:
        return {"cases": cases, "reports": time_reports(runs)}
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_scale", cases=cases, stdout=quiet)
    seeded_s = time.perf_counter() - started
    return {"cases": cases, "seeded": f"seeded in {seeded_s:.0f} s", "reports": time_reports(runs)}


def time_reports(runs: int) -> dict[str, dict[str, float]]:
    """Every report, as the bench users, on the seeded database of this process."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client as HttpClient
    from django.utils import timezone

    from amparo.accounts.models import User
    from amparo.core.scale_seed import BENCH_ATTORNEY, BENCH_COORDINATOR
    from amparo.courts.models import ImmigrationCourt

    settings.ALLOWED_HOSTS = ["testserver"]
    clients = {}
    for role, email in (("coordinator", BENCH_COORDINATOR), ("attorney", BENCH_ATTORNEY)):
        http = HttpClient()
        http.force_login(User.objects.get(email=email))
        clients[role] = http
    today = timezone.localdate()
    year = f"start={today.replace(year=today.year - 1).isoformat()}&end={today.isoformat()}"
    court = ImmigrationCourt.objects.filter(cases__isnull=False).order_by("pk").first()
    results: dict[str, dict[str, float]] = {}
    for label, role, template in REPORTS:
        path = template.format(year=year, court=court.pk if court else "")
        http = clients[role]
        assert http.get(path).status_code == 200, (label, path)  # warm-up, not counted
        timings = []
        for _ in range(runs):
            # Count with an execute wrapper: the request_started signal resets Django's query
            # log mid-request, which makes CaptureQueriesContext read zero here.
            executed: list[str] = []

            def count(execute, sql, params, many, context, executed=executed):  # type: ignore[no-untyped-def]
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                t0 = time.perf_counter()
                response = http.get(path)
                timings.append(time.perf_counter() - t0)
            assert response.status_code == 200, (label, response.status_code)
        results[label] = {"queries": len(executed), "seconds": statistics.median(timings)}
    return results


def run_size(cases: int, runs: int, database: str, *, keep_seeded: bool) -> dict[str, object]:
    """One size in a child process: Django's settings and database are per process."""
    with tempfile.TemporaryDirectory(prefix="amparo-bench-reports-") as var_dir:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "amparo.config.settings",
            "DJANGO_DEBUG": "1",
            "AMPARO_VAR_DIR": var_dir,
        }
        env.pop("DATABASE_URL", None)  # SQLite in the temporary folder
        command = [sys.executable, __file__, "--one-size", str(cases), "--runs", str(runs)]
        if database == "sqlite":
            child = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
            return dict(json.loads(child.stdout.strip().splitlines()[-1]))
        copy = PG_DATABASE.format(cases=cases, pid=os.getpid())
        with seeded.seeded_copy(cases, copy, keep_seeded=keep_seeded) as program:
            # The copy's personal data is readable only with the keys it was seeded with.
            env.update(seeded.SEEDED_ENV, DATABASE_URL=program.url)
            child = subprocess.run(
                [*command, "--already-seeded"],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
                check=True,
            )
        return dict(json.loads(child.stdout.strip().splitlines()[-1])) | {"seeded": program.how}


def _cell(figures: dict[str, float]) -> str:
    return f"{figures['queries']:.0f} q, {figures['seconds'] * 1000:,.0f} ms"


LABELS = [label for label, _role, _path in REPORTS]


def _table(rows: list[dict[str, object]]) -> None:
    print("| cases | seeded | " + " | ".join(LABELS) + " |")
    print("|---:|---:|" + "---:|" * len(LABELS))
    for row in rows:
        reports = row["reports"]
        assert isinstance(reports, dict)
        cells = [_cell(reports[label]) for label in LABELS]
        print(f"| {row['cases']:,} | {row['seeded']} | " + " | ".join(cells) + " |")


NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated case counts")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres", "both"),
        help="default: both when PostgreSQL is reachable, else sqlite",
    )
    parser.add_argument(
        "--sqlite-all-sizes",
        action="store_true",
        help=f"on SQLite, run sizes above {SQLITE_DEFAULT_MAX:,} too (seeding is slow there)",
    )
    seeded.add_keep_seeded_argument(parser)
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--already-seeded", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_size:
        print(
            json.dumps(
                measure_one_size(args.one_size, args.runs, already_seeded=args.already_seeded)
            )
        )
        return
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    database = args.database or ("both" if seeded.reachable() else "sqlite")
    databases = ["sqlite", "postgres"] if database == "both" else [database]
    plans: dict[str, list[int]] = {}
    for name in databases:
        plans[name] = [
            n
            for n in sizes
            if name == "postgres" or args.sqlite_all_sizes or n <= SQLITE_DEFAULT_MAX
        ]
    results: dict[str, list[dict[str, object]]] = {}
    for name, plan in plans.items():
        if name == "postgres" and not seeded.reachable():
            print("bench_reports: PostgreSQL not reachable, skipped", file=sys.stderr)
            continue
        for cases in plan:
            print(f"bench_reports: {name}, {cases:,} cases ...", file=sys.stderr, flush=True)
            results.setdefault(name, []).append(
                run_size(cases, args.runs, name, keep_seeded=args.keep_seeded)
            )
            print(f"  {results[name][-1]}", file=sys.stderr, flush=True)
    skipped = [n for n in sizes if n > SQLITE_DEFAULT_MAX and n not in plans.get("sqlite", [n])]
    where = "; ".join(
        f"{NAMES[name]} at {', '.join(f'{n:,}' for n in plan)} cases"
        for name, plan in plans.items()
        if name in results
    )
    print(
        "The coordinator's reports on programs seeded by `manage.py seed_scale` (3 parties per "
        "case, an attorney per 5 cases, a mentor per 50), one fresh database per size "
        f"({where or 'no database reachable'}"
        + (
            f"; SQLite skips {', '.join(f'{n:,}' for n in skipped)} by default, seeding there "
            "takes about 20 minutes: `--sqlite-all-sizes` runs it"
            if skipped
            else ""
        )
        + "), requested through Django's test client after one warm-up request. Each cell: "
        f'queries of one request, median time of {args.runs} runs. "Seeded" is how long '
        "seeding took (on PostgreSQL: migrate, seed_scale writing with COPY, VACUUM ANALYZE)"
        + (
            "; on PostgreSQL each size runs on a copy of a database seeded once per size and "
            "shared with bench_web (bench/seeded.py): "
            + "; ".join(f"{row['cases']:,} cases {row['seeded']}" for row in results["postgres"])
            if "postgres" in results
            else ""
        )
        + "."
    )
    for name, rows in results.items():
        print()
        print(f"{NAMES[name]}:")
        print()
        _table(rows)
    print()
    goal = f"every report under {GOAL_SECONDS:g} s at {GOAL_CASES:,} cases (our own goal)"
    figures, met = [], bool(results)
    for name, rows in results.items():
        at_goal = next((row for row in rows if row["cases"] == GOAL_CASES), None)
        if at_goal is None:
            figures.append(f"{NAMES[name]}: not measured at {GOAL_CASES:,}")
            met = met and name != "postgres"
            continue
        reports = at_goal["reports"]
        assert isinstance(reports, dict)
        slowest = max(LABELS, key=lambda label: reports[label]["seconds"])
        seconds = reports[slowest]["seconds"]
        met = met and seconds < GOAL_SECONDS
        figures.append(f"{NAMES[name]}: slowest {slowest}, {seconds * 1000:,.0f} ms")
    if "postgres" not in results:
        met = False
        figures.append("PostgreSQL not measured")
    print(f"Goal: {goal} — {'met' if met else 'NOT met'} ({'; '.join(figures)})")


if __name__ == "__main__":
    main()
