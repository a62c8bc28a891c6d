"""``manage.py solve_matching FILE``: assign mentors to a JSON batch of requests, for capacity
planning. Reads and prints only; nothing is saved.

A thin wrapper: parsing, validation, the solver and the output live in
``amparo.mentoring.domain.contract`` (see its docstring for the input and output). Exits
non-zero only when nothing could be read (unreadable file, invalid JSON, no ``requests`` or
``mentors`` array, a bad ``as_of``); a bad entry is reported under ``errors`` with the path of
the field and the rest of the batch is still solved.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from amparo.mentoring.domain.contract import MatchingReadError, solve_text


class Command(BaseCommand):
    help = (
        "Assign mentors to every request in a JSON file (or - for standard input): the most "
        "requests matched, then the best total score, within each mentor's capacity. Prints "
        "the assignments, the unassigned requests with the reason, and any input errors."
    )
    # Lets call_command(..., stdin=io.StringIO(...)) feed "-" in tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="JSON file, or - for stdin")
        parser.add_argument(
            "--language",
            choices=("en", "es"),
            default="en",
            help="language of the reasons (default: en)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = self._read(options["file"], options.get("stdin"))
        today = timezone.localdate() if settings.USE_TZ else dt.date.today()
        try:
            result = solve_text(text, today=today, language=options["language"])
        except MatchingReadError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def _read(self, name: str, stdin: Any) -> str:
        if name == "-":
            return str((stdin or sys.stdin).read())
        try:
            with open(name, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {name}: {exc}") from exc
