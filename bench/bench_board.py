"""Benchmark the urgent-case board at scale: queries per page and median response time.

Run: ``.venv/bin/python bench/bench_board.py [--cases 100000]``. Not a test. Seeds its own SQLite
database in a temporary folder (clients with encrypted names, two family members each, so
100,000 cases carry 300,000 parties), publishes a fifth of the cases, then requests board pages
as a verified attorney through Django's test client.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["AMPARO_VAR_DIR"] = tempfile.mkdtemp(prefix="amparo-bench-board-")
os.environ.pop("DATABASE_URL", None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as HttpClient
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    from amparo.accounts.models import User
    from amparo.cases.models import Case, Stage
    from amparo.courts.models import ImmigrationCourt
    from amparo.intake.models import Client, FamilyMember
    from amparo.people.models import AttorneyProfile, Organization

    rng = random.Random(7)
    started = time.perf_counter()
    org = Organization.objects.create(name="Bench operator", kind="operator")
    courts = list(ImmigrationCourt.objects.values_list("id", flat=True))
    batch = 5_000
    for start in range(0, args.cases, batch):
        size = min(batch, args.cases - start)
        clients = Client.objects.bulk_create(
            Client(
                given_names=f"Given{start + i}",
                family_names=f"Family{start + i} Second",
                country_of_nationality=rng.choice(["GT", "HN", "SV", "MX"]),
                languages=["es"],
            )
            for i in range(size)
        )
        FamilyMember.objects.bulk_create(
            FamilyMember(client=c, relationship=rel, given_names="Child", family_names="Family")
            for c in clients
            for rel in ("child", "spouse")
        )
        Case.objects.bulk_create(
            Case(
                code=f"BEN-{start + i:07d}",
                case_type=rng.choice(["defensive_asylum", "u_visa"]),
                stage=Stage.READY if (start + i) % 5 == 0 else Stage.INTAKE,
                client=c,
                placing_organization=org,
                court_id=rng.choice(courts),
                urgency=rng.randint(0, 100),
                board_languages=",es,",
                client_age_band="21-29",
                next_hearing_on=timezone.localdate(),
                detained=rng.random() < 0.2,
                summary_en="Bench case",
                summary_es="Caso de prueba",
                urgency_factors=[{"factor": "time", "points": 10, "en": "x", "es": "x"}],
            )
            for i, c in enumerate(clients)
        )
    seeded = time.perf_counter() - started
    coordinator = User.objects.create_user(email="c@bench.org", role="coordinator", full_name="C")
    attorney = User.objects.create_user(email="a@bench.org", role="attorney", full_name="A")
    AttorneyProfile.objects.create(
        user=attorney,
        verification_status="verified",
        verified_by=coordinator,
        verified_at=timezone.now(),
    )
    http = HttpClient()
    http.force_login(attorney)
    results = []
    for label, query in [
        ("page 1", ""),
        ("page 500", "?page=500"),
        ("filtered", "?type=u_visa&detained=yes"),
    ]:
        timings = []
        for _ in range(7):
            # Count with an execute wrapper: the request_started signal resets Django's query
            # log mid-request, which makes CaptureQueriesContext read zero here.
            executed: list[str] = []

            def count(execute, sql, params, many, context, executed=executed):  # type: ignore[no-untyped-def]
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                t0 = time.perf_counter()
                response = http.get("/board/" + query)
                timings.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.status_code
        results.append(
            f"{label}: {len(executed)} queries, median {statistics.median(timings) * 1000:.0f} ms"
        )
    ready = Case.objects.filter(stage=Stage.READY).count()
    print(
        f"bench_board: {args.cases} cases ({ready} on the board), {args.cases * 3} parties, seeded in {seeded:.0f} s; "
        + "; ".join(results)
    )


if __name__ == "__main__":
    main()
