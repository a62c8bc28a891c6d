"""``manage.py solve_matching``: the JSON contract, input errors naming the field, exit status.

No database is needed: the command only reads JSON and calls the pure solver.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

BATCH: dict[str, Any] = {
    "as_of": "2026-01-05",
    "requests": [
        {"id": "r1", "case_type": "defensive_asylum", "court": "San Francisco",
         "languages": ["es"], "hearing_date": "2026-01-20", "conflicts": ["m2"]},
        {"id": "r2", "case_type": "defensive_asylum", "court": "San Francisco",
         "languages": ["quc"], "hearing_date": None, "conflicts": []},
        {"id": "r3", "case_type": "u_visa", "court": None, "languages": [],
         "hearing_date": None, "conflicts": []},
        {"id": "r4", "case_type": "defensive_asylum", "court": "Los Angeles",
         "languages": ["es"], "hearing_date": "2026-06-01", "conflicts": []},
        {"id": "r5", "case_type": "defensive_asylum", "court": "Los Angeles",
         "languages": ["es"], "hearing_date": "2026-09-01", "conflicts": []},
    ],
    "mentors": [
        {"id": "m1", "languages": ["es", "en"], "expertise": ["defensive_asylum"],
         "courts": ["San Francisco"], "capacity": 3, "load": 1},
        {"id": "m2", "languages": ["es"], "expertise": ["defensive_asylum"],
         "courts": ["Los Angeles"], "capacity": 1, "load": 0},
    ],
}  # fmt: skip


def _run(*args: str, stdin: str | None = None) -> dict[str, Any]:
    out = io.StringIO()
    options: dict[str, Any] = {"stdout": out}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command("solve_matching", *args, **options)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def _write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_solve_matching_prints_assignments_and_unassigned(tmp_path: Path) -> None:
    result = _run(_write(tmp_path, BATCH))
    assert result["as_of"] == "2026-01-05"
    pairs = {(a["request"], a["mentor"]) for a in result["assignments"]}
    # m2 (one place) conflicts with r1, so r1 goes to m1 and one LA request to m2; m1's second
    # free place takes the other LA request.
    assert ("r1", "m1") in pairs
    assert len(pairs) == 3
    assert sum(1 for _, m in pairs if m == "m1") <= 2
    assert sum(1 for _, m in pairs if m == "m2") <= 1
    first = next(a for a in result["assignments"] if a["request"] == "r1")
    assert set(first) == {"request", "mentor", "score", "reasons"}
    assert 0 <= first["score"] <= 100
    assert [r["factor"] for r in first["reasons"]] == [
        "expertise", "claim", "language", "court", "load", "hearing", "prior_work",
    ]  # fmt: skip
    assert first["reasons"][3]["text"] == "Has worked before this court: San Francisco"
    assert first["score"] == round(sum(r["points"] for r in first["reasons"]), 1)
    why = {u["request"]: u for u in result["unassigned"]}
    assert set(why) == {"r2", "r3"}
    assert why["r2"]["code"] == "language"
    assert why["r2"]["why"] == "no mentor with this case type speaks: K'iche'"
    assert why["r3"]["why"] == "no mentor has this case type (U visa)"
    assert result["errors"] == []
    assert result["summary"] == {
        "requests": 5, "matched": 3, "unassigned": 2, "total_score": result["summary"]["total_score"],
        "places_before": 3, "places_after": 0,
    }  # fmt: skip


def test_solve_matching_reports_capacity_used_by_other_requests(tmp_path: Path) -> None:
    batch = {
        "as_of": "2026-01-05",
        "requests": [
            {"id": 1, "case_type": "u_visa", "hearing_date": "2026-01-10"},
            {"id": 2, "case_type": "u_visa"},
        ],
        "mentors": [{"id": 9, "expertise": ["u_visa"], "capacity": 1}],
    }
    result = _run(_write(tmp_path, batch))
    assert [(a["request"], a["mentor"]) for a in result["assignments"]] == [(1, 9)]
    assert result["unassigned"] == [
        {"request": 2, "code": "taken", "why": "matched elsewhere: capacity used by other requests"}
    ]


def test_solve_matching_full_mentor_is_at_capacity(tmp_path: Path) -> None:
    batch = {
        "requests": [{"id": "r", "case_type": "u_visa"}],
        "mentors": [{"id": "m", "expertise": ["u_visa"], "capacity": 2, "load": 2}],
    }
    result = _run(_write(tmp_path, batch))
    assert result["unassigned"][0]["why"] == "every feasible mentor is at capacity"


def test_solve_matching_conflict_ids_are_compared_by_text(tmp_path: Path) -> None:
    batch = {
        "requests": [{"id": "r", "case_type": "u_visa", "conflicts": [7]}],
        "mentors": [{"id": "7", "expertise": ["u_visa"], "capacity": 2}],
    }
    result = _run(_write(tmp_path, batch))
    assert result["assignments"] == []
    assert result["unassigned"][0]["code"] == "conflict"


def test_solve_matching_reads_stdin_dash() -> None:
    result = _run("-", stdin=json.dumps(BATCH))
    assert result["summary"]["matched"] == 3


def test_solve_matching_spanish_reasons_keep_accents() -> None:
    out = io.StringIO()
    call_command("solve_matching", "-", "--language", "es", stdin=io.StringIO(json.dumps(BATCH)),
                 stdout=out)  # fmt: skip
    assert "Ha trabajado ante este tribunal" in out.getvalue()
    assert "ningún/a mentor/a" in out.getvalue()  # not \u-escaped


def test_solve_matching_bad_entries_are_reported_by_field_and_the_rest_solved(
    tmp_path: Path,
) -> None:
    batch = {
        "as_of": "2026-01-05",
        "requests": [
            {"id": "ok", "case_type": "u_visa"},
            {"id": "typo", "case_type": "u_visa", "langauges": ["es"]},
            {"id": "bad-date", "case_type": "u_visa", "hearing_date": "2026-02-30"},
            {"id": "bad-lang", "case_type": "u_visa", "languages": "es"},
            {"case_type": "u_visa"},
            {"id": "ok", "case_type": "u_visa"},
            {"id": True, "case_type": "u_visa"},
            "not an object",
            {"id": "no-type"},
        ],
        "mentors": [
            {"id": "m1", "expertise": ["u_visa"], "capacity": 5},
            {"id": "m2", "expertise": ["u_visa"], "capacity": -1},
            {"id": "m3", "expertise": "u_visa", "capacity": 2, "load": 1.5},
            {"id": "m1", "expertise": ["u_visa"], "capacity": 5},
            {"id": "m4", "capacity": 2, "languages": ["es", ""]},
        ],
        "extra": 1,
    }
    result = _run(_write(tmp_path, batch))
    fields = {e["field"]: e["message"] for e in result["errors"]}
    assert fields["requests[1].langauges"].startswith("unknown field")
    assert "real date" in fields["requests[2].hearing_date"]
    assert "list" in fields["requests[3].languages"]
    assert fields["requests[4].id"] == "this field is required"
    assert "duplicates" in fields["requests[5].id"]
    assert "integer" in fields["requests[6].id"]
    assert fields["requests[7]"] == "must be a JSON object"
    assert fields["requests[8].case_type"] == "this field is required"
    assert "from 0 to" in fields["mentors[1].capacity"]
    assert "list" in fields["mentors[2].expertise"]
    assert "whole number" in fields["mentors[2].load"]
    assert "duplicates" in fields["mentors[3].id"]
    assert "required" in fields["mentors[4].expertise"]
    assert "mentors[4].languages[1]" in fields
    assert fields["extra"].startswith("unknown field")
    assert [a["request"] for a in result["assignments"]] == ["ok"]
    invalid = {u["request"]: u for u in result["unassigned"] if u["code"] == "invalid"}
    assert set(invalid) == {"typo", "bad-date", "bad-lang", "no-type"}
    assert invalid["typo"]["why"].startswith("invalid input: requests[1].langauges")
    assert result["summary"]["requests"] == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"mentors": []}', "requests: this field is required"),
        ('{"requests": [], "mentors": {}}', "mentors: must be a JSON array"),
        ('{"requests": [], "mentors": [], "as_of": "05/01/2026"}', "as_of: must be a real date"),
        ("[" * 100_000, "not valid JSON"),
    ],
)
def test_solve_matching_fails_only_when_nothing_can_be_read(text: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("solve_matching", "-", stdin=io.StringIO(text), stdout=io.StringIO())


def test_solve_matching_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("solve_matching", str(tmp_path / "nope.json"), stdout=io.StringIO())


def test_solve_matching_empty_batch() -> None:
    result = _run("-", stdin='{"requests": [], "mentors": []}')
    assert result["assignments"] == [] and result["unassigned"] == []
    assert result["summary"]["matched"] == 0
