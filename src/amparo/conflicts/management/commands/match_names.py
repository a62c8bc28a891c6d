"""``manage.py match_names FILE``: how the conflict check judges pairs of names.

FILE (or ``-`` for standard input) holds a JSON array of ``[name_a, name_b]`` pairs; the command
prints a JSON array of ``{"match": bool, "score": float, "why": str}`` in the same order. A pair
that is not two strings gets ``match: false`` and an ``error`` in its place, and the other pairs
are still judged. Exits non-zero only when nothing could be read (unreadable file, invalid JSON,
or a top level that is not an array).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.conflicts.domain.names import match_names


def _judge(pair: Any, language: str) -> dict[str, object]:
    if not (
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(name, str) for name in pair)
    ):
        return {
            "match": False,
            "score": 0.0,
            "why": "Not judged: each item must be a list of two names (strings).",
            "error": "expected [name_a, name_b]",
        }
    result = match_names(pair[0], pair[1])
    return {
        "match": result.match,
        "score": result.score,
        "why": result.why_es if language == "es" else result.why,
    }


class Command(BaseCommand):
    help = (
        "Judge pairs of names as the conflict check does: FILE (or - for standard input) is a "
        "JSON array of [name_a, name_b] pairs; prints a JSON array of {match, score, why}."
    )
    # Lets call_command(..., stdin=io.StringIO(...)) feed "-" in tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="JSON file of name pairs, or - for stdin")
        parser.add_argument(
            "--language",
            choices=["en", "es"],
            default="en",
            help="language of the explanations (default: en)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = self._read(options["file"], options.get("stdin"))
        try:
            pairs = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"not valid JSON: {exc}") from exc
        if not isinstance(pairs, list):
            raise CommandError("the JSON must be an array of [name_a, name_b] pairs")
        results = [_judge(pair, options["language"]) for pair in pairs]
        self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False))

    def _read(self, name: str, stdin: Any) -> str:
        if name == "-":
            return str((stdin or sys.stdin).read())
        try:
            with open(name, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {name}: {exc}") from exc
