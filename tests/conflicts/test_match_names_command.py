"""``manage.py match_names``: staff can see how the matcher judges any two names."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

PAIRS = [
    ["Rosa Amelia Quintanilla Ayala", "Rosa Quintanilla"],
    ["María García", "José López"],
    ["Mohammed Ali", "Muhammad Ali"],
]


def _run(*args, stdin=None):
    out = io.StringIO()
    call_command("match_names", *args, stdout=out, stdin=stdin)
    return json.loads(out.getvalue())


def test_match_names_command_reads_a_file_and_keeps_the_order(tmp_path):
    path = tmp_path / "pairs.json"
    path.write_text(json.dumps(PAIRS), encoding="utf-8")
    results = _run(str(path))
    assert [r["match"] for r in results] == [True, False, True]
    assert all(set(r) == {"match", "score", "why"} for r in results)
    assert isinstance(results[0]["score"], float) and 0 < results[0]["score"] <= 1
    assert results[1]["score"] == 0.0
    assert results[0]["why"].startswith("Likely the same person")


def test_match_names_command_reads_stdin():
    results = _run("-", stdin=io.StringIO(json.dumps(PAIRS[:1])))
    assert len(results) == 1 and results[0]["match"] is True


def test_match_names_command_explains_in_spanish():
    results = _run("-", "--language", "es", stdin=io.StringIO(json.dumps(PAIRS[1:2])))
    assert results[0]["why"].startswith("No coincide")


def test_match_names_command_judges_the_good_pairs_next_to_a_bad_one():
    results = _run("-", stdin=io.StringIO(json.dumps([["Ana"], PAIRS[0], [1, 2]])))
    assert [r["match"] for r in results] == [False, True, False]
    assert "error" in results[0] and "error" in results[2]


@pytest.mark.parametrize("text", ["not json", '{"a": "b"}', ""])
def test_match_names_command_fails_when_nothing_can_be_read(text):
    with pytest.raises(CommandError):
        _run("-", stdin=io.StringIO(text))


def test_match_names_command_fails_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        _run(str(tmp_path / "missing.json"))
