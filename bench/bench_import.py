"""Benchmark the bulk case import: a 10,000-row CSV of fictional cases, validated and saved.

Run: ``.venv/bin/python bench/bench_import.py``. Not a test. Uses a throw-away SQLite database
in a temporary directory (AMPARO_VAR_DIR), migrated first. The rows are built from a fixed seed;
every A-number is distinct. Validation is timed as the median of 3 runs (it writes nothing);
the save (one transaction: clients, children, cases, hearings, deadline recomputation, events)
once. Prints one line.
"""

from __future__ import annotations

import atexit
import datetime as dt
import importlib.util
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if importlib.util.find_spec("amparo") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

ROWS = 10_000
RUNS = 3
SEED = 20260105
GIVEN = ["Rosa", "Ana", "José", "Luis", "María José", "Wilmer", "Yesenia", "Kevin", "Dania"]
FAMILY = ["Ejemplo", "Ficticio López", "Prueba", "Muestra Pérez", "Inventado Cruz"]
COURTS = ["SFR", "CCC", "LOS", "NYC", "HOU", "ATL", "CHI"]


def _setup() -> None:
    var_dir = tempfile.mkdtemp(prefix="amparo-bench-import-")
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "amparo.config.settings"
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["AMPARO_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _csv(rng: random.Random, today: dt.date, courts: list[str]) -> bytes:
    import tablib

    from amparo.intake.imports import COLUMN_NAMES

    dataset = tablib.Dataset(headers=list(COLUMN_NAMES))
    for number in range(ROWS):
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


def main() -> int:
    _setup()
    from django.utils import timezone

    from amparo.accounts.models import Role, User
    from amparo.cases.models import Case
    from amparo.courts.models import ImmigrationCourt
    from amparo.intake.imports import case_import_save, case_import_validate
    from amparo.people.models import Organization

    known = set(ImmigrationCourt.objects.filter(active=True).values_list("code", flat=True))
    courts = [code for code in COURTS if code in known] or sorted(known)[:5]
    content = _csv(random.Random(SEED), timezone.localdate(), courts)
    organization = Organization.objects.create(name="Bench partner", kind="partner")
    partner = User.objects.create_user(
        "bench@example.org", role=Role.PARTNER, organization=organization
    )

    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = case_import_validate(content=content, filename="bench.csv")
        timings.append(time.perf_counter() - start)
        if not result.is_clean:
            print(f"bench_import: the generated file has problems: {result.problems[:3]}")
            return 1
    validation = statistics.median(timings)

    start = time.perf_counter()
    cases = case_import_save(
        actor=partner, organization=organization, content=content, filename="bench.csv"
    )
    save = time.perf_counter() - start
    assert len(cases) == ROWS and Case.objects.count() == ROWS

    print(
        f"bench_import: {ROWS} rows, {len(content) / 1024 / 1024:.1f} MB CSV, SQLite: "
        f"validation {validation:.2f} s (median of {RUNS}, {ROWS / validation:,.0f} rows/s); "
        f"save in one transaction {save:.1f} s ({ROWS / save:,.0f} rows/s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
