"""``manage.py compute_deadlines``: reading, order, isolation of bad cases, exit status.

No database is needed: the command only reads JSON and calls the pure engine.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

CASES: list[dict[str, Any]] = [
    {"id": "c1", "as_of": "2026-01-05", "hearings": [{"kind": "individual", "date": "2026-03-16"}]},
    {"id": "c2", "as_of": "2026-01-05", "last_arrival": "2026-01-02",
     "hearings": [{"kind": "master", "date": "2025-12-01"}]},
    {"id": "c3", "as_of": "2026-01-05", "decision": {"kind": "oral", "date": "2021-12-13"}},
]  # fmt: skip


def _run(*args: str, stdin: str | None = None) -> list[dict[str, Any]]:
    out = io.StringIO()
    options: dict[str, Any] = {"stdout": out}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command("compute_deadlines", *args, **options)
    result: list[dict[str, Any]] = json.loads(out.getvalue())
    return result


def test_compute_deadlines_command_reads_a_file_in_order(tmp_path: Path) -> None:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(CASES), encoding="utf-8")
    results = _run(str(path))
    assert [r["id"] for r in results] == ["c1", "c2", "c3"]
    assert results[0]["deadlines"][0]["date"] == "2026-02-17"
    assert results[0]["deadlines"][0]["safe_target"] == "2026-02-13"
    assert results[2]["deadlines"][0]["date"] == "2022-01-12"


def test_compute_deadlines_command_bad_case_does_not_block_others(tmp_path: Path) -> None:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(CASES), encoding="utf-8")
    results = _run(str(path))
    assert results[1]["error"]["field"] == "hearings[0].date"
    assert "deadlines" in results[0] and "deadlines" in results[2]


def test_compute_deadlines_command_reads_stdin_dash() -> None:
    results = _run("-", stdin=json.dumps(CASES[:1]))
    assert [r["id"] for r in results] == ["c1"]


def test_compute_deadlines_command_spanish_output_keeps_accents() -> None:
    out = io.StringIO()
    call_command(
        "compute_deadlines",
        "-",
        "--language",
        "es",
        stdin=io.StringIO(json.dumps(CASES[2:])),
        stdout=out,
    )
    text = out.getvalue()
    assert "Junta de Apelaciones de Inmigración" in text  # ensure_ascii=False
    assert text.startswith("[\n  {")  # indent 2


@pytest.mark.parametrize("content", ["[{", '{"id": "c1"}', "", "42"])
def test_compute_deadlines_command_fails_when_nothing_is_readable(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("compute_deadlines", str(path), stdout=io.StringIO())


def test_compute_deadlines_command_fails_on_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("compute_deadlines", str(tmp_path / "missing.json"), stdout=io.StringIO())


def test_compute_deadlines_command_empty_array_prints_empty_array() -> None:
    assert _run("-", stdin="[]") == []
