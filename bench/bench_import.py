"""Benchmark the bulk case import: a CSV of fictional cases validated, then saved.

Run: ``.venv/bin/python bench/bench_import.py [--sizes 1000,10000,100000] [--runs 3]
[--database sqlite|postgres|both]``. Not a test; exits 0 whatever the figures. Import rows =
cases / 10 (the default sizes give files of 100, 1,000 and 10,000 rows; an import holds at most
10,000). Each database runs in its own process on a throw-away database, migrated first: SQLite
in a temporary folder, PostgreSQL as h2_bench (created and dropped; --database defaults to both
when the server answers). The rows come from a fixed seed, every A-number distinct. Validation
(`case_import_validate`, no writes) and the save (`case_import_save`: validation again, then
clients, children, adverse parties, cases, screenings, hearings, deadlines and board cards,
events and audit in one transaction) are each the median of --runs runs; the imported rows are
deleted between two saves. Django's DEBUG query log is off, as in production.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import seeded

if importlib.util.find_spec("amparo") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DEFAULT_SIZES = "1000,10000,100000"
ROWS_PER_CASE = 0.1  # import rows = cases / 10
MAX_ROWS = 10_000
GOAL_ROWS = 10_000
GOAL_SECONDS = 15.0
SEED = 20260105
PG_SERVER = seeded.PG_SERVER
PG_DATABASE = "h2_bench"
GIVEN = ["Rosa", "Ana", "José", "Luis", "María José", "Wilmer", "Yesenia", "Kevin", "Dania"]
FAMILY = ["Ejemplo", "Ficticio López", "Prueba", "Muestra Pérez", "Inventado Cruz"]
COURTS = ["SFR", "CCC", "LOS", "NYC", "HOU", "ATL", "CHI"]
LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- The worker: one database, every size --------------------------------------------------


def _configure(database_url: str) -> None:
    var_dir = tempfile.mkdtemp(prefix="amparo-bench-import-")
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "amparo.config.settings"
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["AMPARO_VAR_DIR"] = var_dir
    os.environ.pop("REDIS_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)  # SQLite in the temporary folder
    import django

    django.setup()
    from django.conf import settings

    # DEBUG keeps every query's SQL in memory: production does not pay for that.
    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _csv(rows: int, rng: random.Random, today: dt.date, courts: list[str]) -> bytes:
    import tablib

    from amparo.intake.imports import COLUMN_NAMES

    dataset = tablib.Dataset(headers=list(COLUMN_NAMES))
    for number in range(rows):
        case_type = rng.choice(
            ["defensive_asylum", "defensive_asylum", "affirmative_asylum", "u_visa"]
        )
        born = today - dt.timedelta(days=rng.randrange(365 * 5, 365 * 50))
        arrival = today - dt.timedelta(days=rng.randrange(30, 365 * 4))
        arrival = max(arrival, born + dt.timedelta(days=1))
        court = rng.choice(courts) if case_type == "defensive_asylum" else ""
        hearing = ""
        if court:
            day = today + dt.timedelta(days=rng.randrange(20, 400))
            hearing = f"{day.isoformat()} {rng.choice(['08:30', '09:00', '13:00'])}"
        child_born = born + dt.timedelta(days=365 * 18 + rng.randrange(2000))
        children = (
            f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {child_born.isoformat()}"
            if child_born < today and rng.random() < 0.3
            else ""
        )
        row = {
            "client_given_names": rng.choice(GIVEN),
            "client_family_names": rng.choice(FAMILY),
            "a_number": f"A-{200_000_000 + number:09d}",
            "date_of_birth": born.isoformat(),
            "country_of_nationality": rng.choice(["SV", "GT", "HN", "MX", "VE", "HT", "AF"]),
            "languages": rng.choice(["es", "es;quc", "ht;fr", "es;en"]),
            "phone": f"(510) 555-{rng.randrange(10_000):04d}",
            "case_type": case_type,
            "court_code": court,
            "detained": rng.choice(["no", "no", "no", "yes"]),
            "last_arrival": arrival.isoformat(),
            "is_unaccompanied_child": "no",
            "next_hearing_kind": rng.choice(["master", "individual"]) if hearing else "",
            "next_hearing_at": hearing,
            "supplement_b_signed": (today - dt.timedelta(days=30)).isoformat()
            if case_type == "u_visa"
            else "",
            "adverse_party_name": "Persona Inventada" if case_type == "u_visa" else "",
            "children": children,
        }
        dataset.append([row[name] for name in COLUMN_NAMES])
    return str(dataset.export("csv")).encode("utf-8")


def _delete_imported(organization: Any) -> None:
    """Remove what a save wrote (the audit log is append-only and stays: it is not read)."""
    from django.db import transaction

    from amparo.cases.models import Case
    from amparo.intake.models import Client

    with transaction.atomic():
        client_ids = list(
            Case.objects.filter(placing_organization=organization).values_list(
                "client_id", flat=True
            )
        )
        Case.objects.filter(placing_organization=organization).delete()
        for start in range(0, len(client_ids), 900):
            Client.objects.filter(pk__in=client_ids[start : start + 900]).delete()


def _worker(sizes: list[int], runs: int, database_url: str) -> None:
    _configure(database_url)
    from django.db import connections
    from django.utils import timezone

    from amparo.accounts.models import Role, User
    from amparo.cases.models import Case
    from amparo.courts.models import ImmigrationCourt
    from amparo.intake.imports import case_import_save, case_import_validate
    from amparo.people.models import Organization

    known = set(ImmigrationCourt.objects.filter(active=True).values_list("code", flat=True))
    courts = [code for code in COURTS if code in known] or sorted(known)[:5]
    organization = Organization.objects.create(name="Bench partner", kind="partner")
    partner = User.objects.create_user(
        "bench@example.org", role=Role.PARTNER, organization=organization
    )
    for cases in sizes:
        rows = min(MAX_ROWS, max(1, round(cases * ROWS_PER_CASE)))
        content = _csv(rows, random.Random(SEED), timezone.localdate(), courts)
        validation = []
        for _ in range(runs):
            started = time.perf_counter()
            result = case_import_validate(content=content, filename="bench.csv")
            validation.append(time.perf_counter() - started)
            if not result.is_clean:
                raise SystemExit(f"the generated file has problems: {result.problems[:3]}")
        saves, save_cpu = [], []
        for run in range(runs):
            started, cpu = time.perf_counter(), time.process_time()
            saved = case_import_save(
                actor=partner, organization=organization, content=content, filename="bench.csv"
            )
            saves.append(time.perf_counter() - started)
            save_cpu.append(time.process_time() - cpu)
            assert (
                len(saved) == rows == Case.objects.filter(placing_organization=organization).count()
            )
            _log(f"  {rows:,} rows, save run {run + 1}: {saves[-1]:.2f} s")
            _delete_imported(organization)
        print(
            json.dumps(
                {
                    "cases": cases,
                    "rows": rows,
                    "megabytes": len(content) / 1024 / 1024,
                    "validation": statistics.median(validation),
                    "save": statistics.median(saves),
                    "save_cpu": statistics.median(save_cpu),
                }
            ),
            flush=True,
        )
    connections.close_all()


# --- The driver -------------------------------------------------------------------------------


def _run_database(database: str, sizes: list[int], runs: int) -> list[dict[str, Any]] | None:
    url = ""
    if database == "postgres":
        if not seeded.server_execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}"):
            return None
        seeded.server_execute(f"CREATE DATABASE {PG_DATABASE}")
        url = f"{PG_SERVER}/{PG_DATABASE}"
    try:
        command = [sys.executable, __file__, "--worker", "--sizes", ",".join(map(str, sizes))]
        command += ["--runs", str(runs), "--database-url", url]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{database}: the worker failed")
        return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    finally:
        if url:
            seeded.server_execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"cases (default {DEFAULT_SIZES})")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default=None)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if args.worker:
        _worker(sizes, args.runs, args.database_url)
        return 0
    if args.database is None:
        args.database = "both" if seeded.server_execute("SELECT 1") else "sqlite"
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results: dict[str, list[dict[str, Any]]] = {}
    for database in databases:
        _log(f"{LABELS[database]}: sizes {sizes}...")
        measured = _run_database(database, sizes, args.runs)
        if measured is None:
            _log(f"{LABELS[database]}: not reachable, skipped")
            continue
        results[database] = measured

    print(
        "A CSV of fictional cases (import rows = cases / 10; one file holds at most 10,000 rows) "
        "from a fixed seed: about half defensive asylum with a court hearing, 30% with a child, "
        "U visas with an adverse party. Validation = `case_import_validate` (reads and checks "
        "every row, writes nothing); save = `case_import_save` (validates again, then writes "
        "every row in one transaction: clients, children, adverse parties, cases, screenings, "
        "hearings, deadlines, flags and board cards, case events and audit entries; the "
        "conflict check runs afterwards in the background and is not timed). Median of "
        f"{args.runs} runs each, on a fresh migrated database ("
        + ", ".join(LABELS[d] for d in results)
        + "), the imported rows deleted between two saves. Times are wall-clock; save CPU s "
        "is the benchmark process's own CPU time during the save (on PostgreSQL the server's "
        "work is not in it), a figure other programs running on the machine disturb less."
    )
    print()
    print(
        "| database | cases | import rows | CSV MB | validation s | save s | total s | rows/s "
        "| save CPU s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    goal: list[str] = []
    met = bool(results)
    for database, rows in results.items():
        for r in rows:
            total = r["validation"] + r["save"]
            print(
                f"| {LABELS[database]} | {r['cases']:,} | {r['rows']:,} | {r['megabytes']:.2f} "
                f"| {r['validation']:.2f} | {r['save']:.2f} | {total:.2f} "
                f"| {r['rows'] / total:,.0f} | {r['save_cpu']:.2f} |"
            )
            if r["rows"] == GOAL_ROWS:
                goal.append(f"{LABELS[database]} {total:.1f} s")
                met = met and total < GOAL_SECONDS
    print()
    if not goal:
        print("Goal: 10,000-row import under 15 s — NOT met (not measured: no size of 100,000)")
    else:
        verdict = "met" if met and len(goal) == len(results) else "NOT met"
        print(
            "Goal: 10,000-row import (validation + save) under 15 s — "
            f"{verdict} ({', '.join(goal)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
