"""Seed a realistic program at scale for benchmarks (core/scale_seed.py does the work).

Refuses a database that already holds cases (pass --force to add to it) and, because the bench
sign-ins have a known password, refuses to run with DEBUG off unless --i-know is given.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amparo.cases.models import Case
from amparo.core.scale_seed import (
    BENCH_ATTORNEY,
    BENCH_COORDINATOR,
    BENCH_MENTOR,
    BENCH_PASSWORD,
    ScaleSize,
    scale_seed,
)


class Command(BaseCommand):
    help = "Seed a fictional program at scale (benchmarks): cases, parties, attorneys, mentors."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases", type=int, default=1000)
        parser.add_argument("--parties", type=int, help="Default: 3 per case.")
        parser.add_argument("--attorneys", type=int, help="Default: one per 5 cases.")
        parser.add_argument("--mentors", type=int, help="Default: one per 50 cases.")
        parser.add_argument("--coordinators", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force", action="store_true", help="Add to a database that already holds cases."
        )
        parser.add_argument(
            "--i-know",
            action="store_true",
            dest="i_know",
            help="Run with DEBUG off (the bench sign-ins have a known password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["i_know"]:
            raise CommandError(
                "seed_scale creates sign-ins with a known password: it runs with DJANGO_DEBUG=1,"
                " or with --i-know on a database made for benchmarks."
            )
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1.")
        if Case.objects.exists() and not options["force"]:
            raise CommandError("The database already holds cases: pass --force to add to them.")
        size = ScaleSize.for_cases(
            options["cases"],
            parties=options["parties"],
            attorneys=options["attorneys"],
            mentors=options["mentors"],
            coordinators=options["coordinators"],
            seed=options["seed"],
        )
        started = time.monotonic()
        counts = scale_seed(size, log=lambda line: print(line, file=sys.stderr, flush=True))
        elapsed = time.monotonic() - started
        for key, value in counts.items():
            self.stdout.write(f"{key:<20} {value:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Seeded in {elapsed:.1f} s."))
        self.stdout.write(f"Bench sign-ins (password: {BENCH_PASSWORD}):")
        for email in (BENCH_COORDINATOR, BENCH_ATTORNEY, BENCH_MENTOR):
            self.stdout.write(f"  {email}")
