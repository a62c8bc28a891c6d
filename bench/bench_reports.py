"""Benchmark the program dashboard at scale: queries per page and median response time.

Run: ``.venv/bin/python bench/bench_reports.py [--cases 100000]``. Not a test. Seeds its own
SQLite database in a temporary folder (a client and one family member per case; a spread of
stages, placements over the year, outcomes, hearings), then requests the dashboard as a
coordinator through Django's test client: the whole year, and filtered by case type and court.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
os.environ["AMPARO_VAR_DIR"] = tempfile.mkdtemp(prefix="amparo-bench-reports-")
os.environ.pop("DATABASE_URL", None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from allauth.mfa.models import Authenticator
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
    from amparo.people.models import Organization

    rng = random.Random(7)
    started = time.perf_counter()
    org = Organization.objects.create(name="Bench partner", kind="partner")
    attorney = User.objects.create_user(email="a@bench.org", role="attorney", full_name="A")
    courts = list(ImmigrationCourt.objects.values_list("id", flat=True))
    now = timezone.now()
    today = timezone.localdate()
    outcomes = ["granted", "denied", "withholding", "u_approved", "dismissed"]
    batch = 5_000
    for start in range(0, args.cases, batch):
        size = min(batch, args.cases - start)
        clients = Client.objects.bulk_create(
            Client(
                given_names=f"Given{start + i}",
                family_names=f"Family{start + i}",
                country_of_nationality="GT",
                languages=["es"],
            )
            for i in range(size)
        )
        FamilyMember.objects.bulk_create(
            FamilyMember(client=c, relationship="child", given_names="Child", family_names="F")
            for c in clients
        )
        cases: list[Case] = []
        for c in clients:
            stage = rng.choice(
                [Stage.INTAKE, Stage.SCREENING, Stage.READY, Stage.PLACED, Stage.CLOSED]
            )
            ready = now - dt.timedelta(days=rng.randint(30, 365))
            placed = stage in (Stage.PLACED, Stage.CLOSED)
            closed = stage == Stage.CLOSED
            cases.append(
                Case(
                    code=f"BEN-{start + len(cases):07d}",
                    case_type=rng.choice(["defensive_asylum", "affirmative_asylum", "u_visa"]),
                    stage=stage,
                    client=c,
                    placing_organization=org,
                    court_id=rng.choice(courts),
                    attorney_of_record=attorney if placed else None,
                    ready_at=ready if stage != Stage.INTAKE else None,
                    placed_at=ready + dt.timedelta(days=rng.randint(0, 120)) if placed else None,
                    outcome=rng.choice(outcomes) if closed else "",
                    outcome_date=today - dt.timedelta(days=rng.randint(0, 200)) if closed else None,
                    closed_at=now - dt.timedelta(days=rng.randint(0, 200)) if closed else None,
                    next_hearing_on=today + dt.timedelta(days=rng.randint(0, 365)),
                )
            )
        Case.objects.bulk_create(cases)
    seeded = time.perf_counter() - started
    coordinator = User.objects.create_user(email="c@bench.org", role="coordinator", full_name="C")
    Authenticator.objects.create(
        user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    http = HttpClient()
    http.force_login(coordinator)
    year = f"start={today.year - 1}-{today:%m-%d}&end={today.isoformat()}"
    results = []
    for label, query in [
        ("last 12 months", f"?{year}"),
        ("u visa at one court", f"?{year}&case_type=u_visa&court={courts[0]}"),
    ]:
        timings = []
        for _ in range(5):
            # Count with an execute wrapper: the request_started signal resets Django's query
            # log mid-request, which makes CaptureQueriesContext read zero here.
            executed: list[str] = []

            def count(execute, sql, params, many, context, executed=executed):  # type: ignore[no-untyped-def]
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                t0 = time.perf_counter()
                response = http.get("/reports/" + query)
                timings.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.status_code
        results.append(
            f"{label}: {len(executed)} queries, median {statistics.median(timings) * 1000:.0f} ms"
        )
    print(
        f"bench_reports: {args.cases} cases, {args.cases} family members, seeded in {seeded:.0f} s; "
        + "; ".join(results)
    )


if __name__ == "__main__":
    main()
