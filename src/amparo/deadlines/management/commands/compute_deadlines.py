"""``manage.py compute_deadlines FILE``: compute deadlines for a JSON array of case facts.

A thin wrapper: reading and printing only. Parsing, validation and the rules live in
``amparo.deadlines.domain.contract`` so that the API returns exactly the same JSON.
Exits non-zero only when nothing could be read (unreadable file, invalid JSON, top level not an
array); a case with bad facts gets an error object in its place and the others still compute.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import holidays
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.contract import BatchReadError, compute_batch, read_batch_text
from amparo.deadlines.domain.results import LANGUAGES


class Command(BaseCommand):
    help = (
        "Compute deadlines, flags and U visa derivative assessments for a JSON array of case "
        "facts read from FILE (or - for standard input) and print the JSON results."
    )
    # Lets call_command(..., stdin=io.StringIO(...)) feed "-" in tests, as createsuperuser does.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="JSON file of case facts, or - for stdin")
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default="en",
            help="language of explanations and messages (default: en)",
        )
        parser.add_argument(
            "--closure",
            action="append",
            default=[],
            metavar="YYYY-MM-DD",
            help="an extra closure date to warn about (repeatable); federal holidays are built in",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        language: str = options["language"]
        closures = self._closures(options["closure"])
        text = self._read(options["file"], options.get("stdin"))
        try:
            raw = read_batch_text(text)
        except BatchReadError as exc:
            raise CommandError(exc.text.in_language(language)) from exc
        today = timezone.localdate() if settings.USE_TZ else dt.date.today()
        results = compute_batch(
            raw,
            today=today,
            calendar=BusinessCalendar(holidays.US(), closures),
            language=language,
        )
        self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False))

    def _read(self, name: str, stdin: Any) -> str:
        if name == "-":
            return str((stdin or sys.stdin).read())
        try:
            with open(name, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {name}: {exc}") from exc

    def _closures(self, values: list[str]) -> list[dt.date]:
        closures: list[dt.date] = []
        for value in values:
            try:
                closures.append(dt.date.fromisoformat(value))
            except ValueError as exc:
                raise CommandError(f"--closure {value!r} is not a YYYY-MM-DD date") from exc
        return closures
