"""Each dashboard figure against the hand-built program in conftest.py (known answers)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from amparo.reports import selectors


def test_people_served_counts_clients_and_family_of_cases_served(program):
    assert selectors.people_served(filters=program.filters) == {
        "clients": 6,
        "family_members": 2,
        "total": 8,
    }


def test_cases_by_stage(program):
    rows = selectors.cases_by_stage(filters=program.filters)
    assert [row["count"] for row in rows] == [0, 1, 1, 3, 1]


def test_placements_per_month_shows_every_month(program):
    rows = selectors.placements_per_month(filters=program.filters)
    assert [(row["month"], row["count"]) for row in rows] == [
        (dt.date(2026, 1, 1), 1),
        (dt.date(2026, 2, 1), 2),
        (dt.date(2026, 3, 1), 0),
    ]


def test_time_to_placement_median_and_90th_percentile(program):
    waits = selectors.time_to_placement(filters=program.filters)
    assert waits.placed == 3
    assert waits.median_days == 10.0
    assert waits.p90_days == 42.0  # 10 + (50 - 10) * 0.8, as percentile_cont
    assert [b["count"] for b in waits.buckets] == [1, 1, 0, 1, 0, 0]


def test_time_to_placement_without_placements(program):
    filters = dataclasses.replace(program.filters, start=dt.date(2026, 3, 1))
    waits = selectors.time_to_placement(filters=filters)
    assert (waits.placed, waits.median_days, waits.p90_days) == (0, None, None)


def test_urgent_unplaced_cases(program):
    assert selectors.urgent_unplaced(filters=program.filters) == {"within_30": 1, "within_60": 2}


def test_outcomes_by_case_type(program):
    rows = selectors.outcomes_by_case_type(filters=program.filters)
    assert [(r["case_type"], r["outcome"], r["count"]) for r in rows] == [
        ("Defensive asylum", "Granted", 1),
        ("U visa", "U visa waiting list", 1),
    ]


def test_attorney_network(program):
    assert selectors.attorney_network(filters=program.filters) == {
        "active": 3,
        "verified": 3,
        "new": 2,
    }


def test_filters_by_court_and_case_type(program):
    by_court = dataclasses.replace(program.filters, court_id=program.court.pk)
    assert selectors.attorney_network(filters=by_court)["active"] == 2
    assert selectors.people_served(filters=by_court)["clients"] == 5
    by_type = dataclasses.replace(program.filters, case_type="u_visa")
    assert selectors.time_to_placement(filters=by_type).median_days == 50.0
    assert sum(r["count"] for r in selectors.placements_per_month(filters=by_type)) == 1


def test_trainings_completed(program):
    assert selectors.trainings_completed(filters=program.filters) == {
        "completions": 2,
        "people": 1,
    }


def test_mentoring_requests_by_status(program):
    rows = {
        r["status"]: r["count"]
        for r in selectors.mentoring_requests_by_status(filters=program.filters)
    }
    assert rows["Mentor assigned"] == 2
    assert rows["Waiting for a match"] == 1
    assert sum(rows.values()) == 3


def test_mentor_hours_per_month(program):
    rows = selectors.mentor_hours_per_month(filters=program.filters)
    assert [row["hours"] for row in rows] == [Decimal(2), Decimal(1), Decimal(0)]


def test_mentor_cost_against_funding(program):
    cost = selectors.mentor_cost(filters=program.filters)
    assert cost["hours"] == Decimal(2)
    assert cost["cost"] == Decimal("200.00")
    assert cost["funding"] == Decimal("10500")
    assert cost["share"] == Decimal("1.9")


def test_funding_impact_per_source(program):
    rows = {r["source"]: r for r in selectors.funding_impact(filters=program.filters)}
    grant = rows["=Bay Foundation"]
    assert grant["charged"] == Decimal("200.00")
    assert grant["hours"] == Decimal(2)
    assert (grant["cases"], grant["favourable"]) == (2, 1)
    assert rows["Spring appeal"]["charged"] == 0
    assert rows["Spring appeal"]["cases"] == 0


def test_response_compliance(program):
    assert selectors.response_compliance(filters=program.filters) == {
        "messages": 4,
        "on_time": 2,
        "late": 1,
        "unanswered": 1,
        "share": 66.7,
    }
