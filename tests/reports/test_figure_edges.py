"""Pinned figures at the edges: medians and the 90th percentile with odd and even counts and
microsecond waits, histogram buckets at whole-day edges, month buckets at month edges in several
time zones, and empty periods. Each figure is also checked against a reference computed in
Python from the rows themselves (the definition the reports promise: days are the exact
duration / 86,400 s, the median as statistics.median, the 90th percentile as percentile_cont,
months in the current time zone)."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from amparo.accounts.models import Role
from amparo.cases.models import Case, Stage
from amparo.mentoring_work.models import TimeEntry
from amparo.reports import selectors
from amparo.reports.selectors import ReportFilters
from tests.factories import (
    AttorneyProfileFactory,
    CaseFactory,
    MentoringRequestFactory,
    MentorshipFactory,
    OrganizationFactory,
    UserFactory,
)

LA = ZoneInfo("America/Los_Angeles")
DAY = dt.timedelta(days=1)
US = dt.timedelta(microseconds=1)


def la(y: int, m: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, s, us, tzinfo=LA)


@pytest.fixture
def partner(db: Any) -> Any:
    partner = OrganizationFactory(name="Edge partner", kind="partner")
    partner.test_attorney = AttorneyProfileFactory().user
    return partner


def _placed(partner: Any, placed_at: dt.datetime, wait: dt.timedelta | None) -> Case:
    return CaseFactory(
        placing_organization=partner,
        stage=Stage.PLACED,
        attorney_of_record=partner.test_attorney,
        placed_at=placed_at,
        ready_at=None if wait is None else placed_at - wait,
    )


def _filters(partner: Any, start: dt.date, end: dt.date) -> ReportFilters:
    return ReportFilters(start=start, end=end, partner_id=partner.pk)


def _reference_waits(filters: ReportFilters) -> tuple[int, Any, Any, list[int]]:
    """The figures as the reports define them, from the rows in Python."""
    days = sorted(
        (c.placed_at - c.ready_at).total_seconds() / 86400
        for c in Case.objects.filter(placing_organization_id=filters.partner_id)
        if c.placed_at
        and c.ready_at
        and filters.since <= c.placed_at < filters.until
        and c.ready_at <= c.placed_at
    )
    buckets = [
        sum(1 for d in days if int(d) >= low and (high is None or int(d) <= high))
        for low, high in selectors.DAY_BUCKETS
    ]
    if not days:
        return 0, None, None, buckets
    position = (len(days) - 1) * 0.9
    low, high = math.floor(position), math.ceil(position)
    p90 = days[low] + (days[high] - days[low]) * (position - low)
    return len(days), round(statistics.median(days), 1), round(p90, 1), buckets


def _figures(filters: ReportFilters) -> tuple[int, Any, Any, list[int]]:
    waits = selectors.time_to_placement(filters=filters)
    return waits.placed, waits.median_days, waits.p90_days, [b["count"] for b in waits.buckets]


Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_median_of_an_odd_count(partner):
    for n, wait in enumerate([DAY * 3, DAY * 1, DAY * 10, DAY * 2 + US, DAY * 40]):
        _placed(partner, la(2026, 2, 1 + n, 9), wait)
    filters = _filters(partner, *Q1)
    # sorted: 1, 2.00000000001, 3, 10, 40 -> median 3; p90 at 3.6: 10 + 30 * 0.6 = 28
    assert _figures(filters) == (5, 3.0, 28.0, [3, 1, 0, 1, 0, 0])
    assert _figures(filters) == _reference_waits(filters)


def test_median_of_an_even_count_halves_the_two_middle_waits(partner):
    waits = [DAY * 1, DAY * 2 + dt.timedelta(hours=12), DAY * 4, DAY * 10]
    for n, wait in enumerate(waits):
        _placed(partner, la(2026, 3, 1 + n, 15), wait)
    filters = _filters(partner, *Q1)
    # median (2.5 + 4) / 2 = 3.25 -> 3.2 (round half to even, as before);
    # p90 at 2.7: 4 + 6 * 0.7 = 8.2
    assert _figures(filters) == (4, 3.2, 8.2, [3, 1, 0, 0, 0, 0])
    assert _figures(filters) == _reference_waits(filters)


def test_median_of_two_and_of_one(partner):
    _placed(partner, la(2026, 1, 20, 8), dt.timedelta(hours=30))
    filters = _filters(partner, *Q1)
    assert _figures(filters) == (1, 1.2, 1.2, [1, 0, 0, 0, 0, 0])
    _placed(partner, la(2026, 1, 21, 8), DAY * 20)
    # (1.25 + 20) / 2 = 10.625 -> 10.6; p90: 1.25 + 18.75 * 0.9 = 18.125 -> 18.1
    assert _figures(filters) == (2, 10.6, 18.1, [1, 0, 1, 0, 0, 0])
    assert _figures(filters) == _reference_waits(filters)


def test_microsecond_waits_keep_their_order_and_value(partner):
    # Waits a microsecond apart around the middle: the median must be the exact middle one.
    base = DAY * 5 + dt.timedelta(hours=2, minutes=24)  # 5.1 days
    for n, wait in enumerate([base + US * 3, base + US, base + US * 2, base, base + US * 4]):
        _placed(partner, la(2026, 2, 10, 10, 0, n, 123456), wait)
    filters = _filters(partner, *Q1)
    assert _figures(filters) == _reference_waits(filters)
    assert _figures(filters)[:3] == (5, 5.1, 5.1)


@pytest.mark.parametrize(
    ("wait", "bucket"),
    [
        (dt.timedelta(0), 0),
        (DAY * 7, 0),
        (DAY * 8 - US, 0),
        (DAY * 8, 1),
        (DAY * 14 + dt.timedelta(hours=23, minutes=59, seconds=59, microseconds=999999), 1),
        (DAY * 15, 2),
        (DAY * 31 - US, 2),
        (DAY * 31, 3),
        (DAY * 60, 3),
        (DAY * 61, 4),
        (DAY * 91 - US, 4),
        (DAY * 91, 5),
        (DAY * 400, 5),
    ],
)
def test_histogram_buckets_at_whole_day_edges(partner, wait, bucket):
    _placed(partner, la(2026, 2, 15, 13, 30, 0, 500), wait)
    expected = [0] * len(selectors.DAY_BUCKETS)
    expected[bucket] = 1
    filters = _filters(partner, *Q1)
    assert _figures(filters)[3] == expected
    assert _figures(filters) == _reference_waits(filters)


def test_waits_across_a_daylight_saving_change_are_elapsed_time(partner):
    # 8 March 2026: Los Angeles springs forward; noon to noon over it is 47 hours.
    _placed(partner, la(2026, 3, 9, 12), la(2026, 3, 9, 12) - la(2026, 3, 7, 12))
    filters = _filters(partner, *Q1)
    assert _figures(filters) == (1, 2.0, 2.0, [1, 0, 0, 0, 0, 0])
    assert selectors.time_to_placement(filters=filters).median_days == round(47 / 24, 1)


def test_only_waits_with_ready_before_placed_and_placed_in_the_period(partner):
    _placed(partner, la(2026, 2, 1, 9), DAY * 3)  # counted
    _placed(partner, la(2026, 2, 2, 9), None)  # never ready: not a wait
    _placed(partner, la(2026, 2, 3, 9), -DAY)  # ready after placement: not a wait
    _placed(partner, la(2025, 12, 31, 23, 59, 59, 999999), DAY)  # before the period
    _placed(partner, la(2026, 4, 1), DAY)  # after the period
    _placed(partner, la(2026, 1, 1), DAY * 9)  # the period's first instant
    _placed(partner, la(2026, 3, 31, 23, 59, 59, 999999), DAY * 70)  # its last
    filters = _filters(partner, *Q1)
    assert _figures(filters) == (3, 9.0, 57.8, [1, 1, 0, 0, 1, 0])
    assert _figures(filters) == _reference_waits(filters)


def test_empty_period(partner):
    _placed(partner, la(2025, 6, 1), DAY)
    filters = _filters(partner, *Q1)
    assert _figures(filters) == (0, None, None, [0, 0, 0, 0, 0, 0])
    rows = selectors.placements_per_month(filters=filters)
    assert [(r["month"], r["count"]) for r in rows] == [
        (dt.date(2026, 1, 1), 0),
        (dt.date(2026, 2, 1), 0),
        (dt.date(2026, 3, 1), 0),
    ]
    assert [r["hours"] for r in selectors.mentor_hours_per_month(filters=filters)] == [0, 0, 0]


def _months(filters: ReportFilters) -> list[tuple[dt.date, int]]:
    return [(r["month"], r["count"]) for r in selectors.placements_per_month(filters=filters)]


def _edge_placements(partner: Any, tz: dt.tzinfo) -> None:
    def at(*args: int) -> dt.datetime:
        return dt.datetime(*args, tzinfo=tz)  # type: ignore[misc]

    for placed in [
        at(2025, 11, 14, 23, 59, 59, 999999),  # the day before the period
        at(2025, 11, 15),  # the period's first instant
        at(2025, 11, 30, 23, 59, 59, 999999),  # last instant of November
        at(2025, 12, 1),  # first of December
        at(2025, 12, 31, 23, 59, 59, 999999),
        at(2026, 1, 1),  # the new year
        at(2026, 1, 1, 0, 0, 0, 1),
        at(2026, 2, 28, 23, 59, 59, 999999),  # the period's last instant
        at(2026, 3, 1),  # after the period
    ]:
        _placed(partner, placed, DAY)


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "UTC", "Asia/Kolkata", "Pacific/Chatham"])
def test_placements_per_month_at_month_edges_in_the_current_time_zone(partner, zone):
    tz = ZoneInfo(zone)
    _edge_placements(partner, tz)
    filters = _filters(partner, dt.date(2025, 11, 15), dt.date(2026, 2, 28))
    with timezone.override(tz):
        assert _months(filters) == [
            (dt.date(2025, 11, 1), 2),
            (dt.date(2025, 12, 1), 2),
            (dt.date(2026, 1, 1), 2),
            (dt.date(2026, 2, 1), 1),
        ]


def test_month_edges_follow_the_current_time_zone(partner):
    # Placed at 23:30 on 31 January in Los Angeles: 07:30 UTC on 1 February.
    _placed(partner, la(2026, 1, 31, 23, 30), DAY)
    filters = _filters(partner, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    assert _months(filters) == [(dt.date(2026, 1, 1), 1), (dt.date(2026, 2, 1), 0)]
    with timezone.override(dt.UTC):
        assert _months(filters) == [(dt.date(2026, 1, 1), 0), (dt.date(2026, 2, 1), 1)]


def test_placements_per_month_across_daylight_saving_changes(partner):
    # Los Angeles changes clocks on 8 March and 1 November 2026.
    for placed in [la(2026, 3, 8, 1, 59), la(2026, 3, 8, 3), la(2026, 10, 31, 23, 59, 59)]:
        _placed(partner, placed, DAY)
    _placed(partner, la(2026, 11, 1, 1, 30), DAY)
    _placed(partner, la(2026, 11, 30, 23, 59, 59, 999999), DAY)
    _placed(partner, la(2026, 12, 1), DAY)
    filters = _filters(partner, dt.date(2026, 3, 1), dt.date(2026, 12, 31))
    counts = dict(_months(filters))
    assert counts[dt.date(2026, 3, 1)] == 2
    assert counts[dt.date(2026, 10, 1)] == 1
    assert counts[dt.date(2026, 11, 1)] == 2
    assert counts[dt.date(2026, 12, 1)] == 1
    assert sum(counts.values()) == 6 and len(counts) == 10


def test_placements_per_month_within_one_month(partner):
    _placed(partner, la(2026, 2, 9, 23, 59, 59, 999999), DAY)
    _placed(partner, la(2026, 2, 10), DAY)
    _placed(partner, la(2026, 2, 20, 23, 59, 59, 999999), DAY)
    _placed(partner, la(2026, 2, 21), DAY)
    filters = _filters(partner, dt.date(2026, 2, 10), dt.date(2026, 2, 20))
    assert _months(filters) == [(dt.date(2026, 2, 1), 2)]


def test_mentor_hours_per_month_at_month_edges(partner):
    case = CaseFactory(placing_organization=partner, stage=Stage.READY)
    mentor = UserFactory(role=Role.MENTOR)
    mentorship = MentorshipFactory(
        request=MentoringRequestFactory(case=case, attorney=partner.test_attorney), mentor=mentor
    )
    for day, minutes, status in [
        (dt.date(2025, 12, 31), 600, "approved"),  # before the period
        (dt.date(2026, 1, 1), 30, "approved"),
        (dt.date(2026, 1, 31), 15, "approved"),
        (dt.date(2026, 2, 1), 45, "approved"),
        (dt.date(2026, 2, 1), 45, "submitted"),  # not approved
        (dt.date(2026, 3, 31), 90, "approved"),
        (dt.date(2026, 4, 1), 600, "approved"),  # after the period
    ]:
        TimeEntry.objects.create(
            mentorship=mentorship,
            mentor=mentor,
            activity="meeting",
            date=day,
            minutes=minutes,
            status=status,
        )
    filters = _filters(partner, *Q1)
    rows = selectors.mentor_hours_per_month(filters=filters)
    assert [(r["month"], r["hours"]) for r in rows] == [
        (dt.date(2026, 1, 1), Decimal(45) / 60),
        (dt.date(2026, 2, 1), Decimal(45) / 60),
        (dt.date(2026, 3, 1), Decimal(90) / 60),
    ]


def test_the_dashboard_shares_one_count_of_placements_with_the_same_figures(partner):
    for n, wait in enumerate([DAY * 3, DAY * 12, DAY * 12 + US, DAY * 95, None, -DAY]):
        _placed(partner, la(2026, 1 + n % 3, 28, 23, 59, 59, 999999), wait)
    filters = _filters(partner, *Q1)
    data = selectors.dashboard(filters=filters)
    assert data.placements == selectors.placements_per_month(filters=filters)
    assert data.waits == selectors.time_to_placement(filters=filters)
    assert [r["count"] for r in data.placements] == [2, 2, 2]
    assert (data.waits.placed, data.waits.median_days) == (4, 12.0)
    assert _figures(filters) == _reference_waits(filters)
