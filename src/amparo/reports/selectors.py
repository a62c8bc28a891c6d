"""The program's figures for a period, each from one or two database aggregates (Count, Sum):
the dashboard's number of queries does not grow with the number of cases. Counts only: no
selector here returns a client's name or any other personal data.

A case is *served in the period* when it was opened on or before the period's last day and not
closed before its first day. Event figures (placements, outcomes, trainings, requests, hours)
count the events dated inside the period. "Urgent unplaced" is a snapshot as of today."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import RowNumber
from django.utils import timezone

from amparo.cases.models import Case, Outcome, Stage
from amparo.intake.models import FamilyMember
from amparo.mentoring.models import MentoringRequest
from amparo.mentoring_work.models import FundingSource, MentorStatement, TimeEntry
from amparo.mentoring_work.selectors import response_report
from amparo.people.models import AttorneyProfile
from amparo.trainings.models import CourseCompletion

# Outcomes that protect the client (reported to funders as "favourable").
FAVOURABLE_OUTCOMES = (
    Outcome.GRANTED,
    Outcome.WITHHOLDING,
    Outcome.CAT,
    Outcome.U_APPROVED,
    Outcome.U_WAITING_LIST,
    Outcome.DISMISSED,
)
UNPLACED_STAGES = (Stage.INTAKE, Stage.SCREENING, Stage.READY)
# Time-to-placement histogram buckets, in whole days (upper bound inclusive; None: no bound).
DAY_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 7),
    (8, 14),
    (15, 30),
    (31, 60),
    (61, 90),
    (91, None),
)


@dataclass(frozen=True)
class ReportFilters:
    start: dt.date
    end: dt.date
    case_type: str = ""
    court_id: int | None = None
    partner_id: int | None = None

    @property
    def since(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def until(self) -> dt.datetime:
        """The instant after the period's last day (ranges are [since, until))."""
        return timezone.make_aware(
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        )

    def case_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.case_type:
            q &= Q(**{f"{prefix}case_type": self.case_type})
        if self.court_id:
            q &= Q(**{f"{prefix}court_id": self.court_id})
        if self.partner_id:
            q &= Q(**{f"{prefix}placing_organization_id": self.partner_id})
        return q


def _cases(filters: ReportFilters) -> QuerySet[Case]:
    return Case.objects.filter(filters.case_q())


def _served_q(filters: ReportFilters, prefix: str = "") -> Q:
    return Q(**{f"{prefix}created_at__lt": filters.until}) & (
        Q(**{f"{prefix}closed_at__isnull": True}) | Q(**{f"{prefix}closed_at__gte": filters.since})
    )


def people_served(*, filters: ReportFilters) -> dict[str, int]:
    """Clients of the cases served in the period, and their family members (two queries)."""
    served = _cases(filters).filter(_served_q(filters))
    clients = served.aggregate(n=Count("client", distinct=True))["n"]
    family = FamilyMember.objects.filter(client__in=served.values("client_id")).aggregate(
        n=Count("id")
    )["n"]
    return {"clients": clients, "family_members": family, "total": clients + family}


def cases_by_stage(*, filters: ReportFilters) -> list[dict[str, Any]]:
    """Cases served in the period by their stage today, in the stages' order: a count per stage
    in one pass over the served cases (a GROUP BY stage leads SQLite to walk an index on stage
    and fetch every row out of order, several times slower)."""
    counts = (
        _cases(filters)
        .filter(_served_q(filters))
        .aggregate(**{f"s{i}": Count("id", filter=Q(stage=s)) for i, s in enumerate(Stage)})
    )
    return [{"stage": s.label, "count": counts[f"s{i}"]} for i, s in enumerate(Stage)]


def _months(filters: ReportFilters) -> list[dt.date]:
    months, month = [], filters.start.replace(day=1)
    while month <= filters.end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _month_starts(filters: ReportFilters) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """Each month of the period with the instants it spans inside the period, [from, to), in the
    current time zone: what TruncMonth would group by, as boundaries a range condition (and an
    index) can use instead of a per-row function."""
    months = _months(filters)
    edges = [filters.since]
    edges += [timezone.make_aware(dt.datetime.combine(m, dt.time.min)) for m in months[1:]]
    edges.append(filters.until)
    return [(m, edges[i], edges[i + 1]) for i, m in enumerate(months)]


def placements_per_month(
    *, filters: ReportFilters, counts: PlacementCounts | None = None
) -> list[dict[str, Any]]:
    """Cases placed in each month of the period (every month shown, zero included)."""
    counts = counts or placement_counts(filters=filters)
    return [{"month": month, "count": n} for month, n in counts.per_month]


class ElapsedMicroseconds(Func):
    """Microseconds from the second datetime column to the first, an exact integer computed by
    the database's own functions (Django's duration arithmetic on SQLite is a Python function
    per row). On SQLite, datetimes are stored as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]': whole
    seconds from the first 19 characters, the fraction read as digits (SQLite's date functions
    round it to milliseconds).
    """

    arity = 2
    output_field = BigIntegerField()
    # PostgreSQL: timestamptz - timestamptz is an interval; its epoch is exact (numeric).
    template = "CAST(EXTRACT(EPOCH FROM (%(expressions)s)) * 1000000 AS bigint)"
    arg_joiner = " - "

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # unixepoch (SQLite 3.38) is several times cheaper per row than strftime('%s').
        seconds = (
            "unixepoch(substr({}, 1, 19))"
            if connection.Database.sqlite_version_info >= (3, 38)
            else "CAST(strftime('%%s', substr({}, 1, 19)) AS INTEGER)"
        )
        parts = []
        params: list[Any] = []
        for expression in self.get_source_expressions():
            sql, sql_params = compiler.compile(expression)
            # Django writes the fraction as six digits, or none: CAST('' AS INTEGER) is 0.
            parts.append(
                f"({seconds.format(sql)} * 1000000 + CAST(substr({sql}, 21, 6) AS INTEGER))"
            )
            params += [*sql_params, *sql_params]
        return f"({parts[0]} - {parts[1]})", params


MICROSECONDS_PER_DAY = 86_400 * 1_000_000


def _days(microseconds: int) -> float:
    """A wait in days exactly as timedelta.total_seconds() / 86400 gives it."""
    return dt.timedelta(microseconds=microseconds).total_seconds() / 86400


@dataclass
class TimeToPlacement:
    placed: int
    median_days: float | None
    p90_days: float | None
    buckets: list[dict[str, Any]] = field(default_factory=list)


def _ranks(count: int, fraction: float) -> tuple[int, int, float]:
    """The two closest ranks (from 0) of a percentile and the weight of the upper one: linear
    interpolation as PostgreSQL's percentile_cont."""
    position = (count - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return low, high, position - low


def _waits(filters: ReportFilters) -> QuerySet[Case]:
    """Cases placed in the period after being ready, with their wait (`wait_us`) and the whole
    days it lasted (`day`): a day is the exact elapsed time / 86,400 s, as
    timedelta.total_seconds gives it, so `day` is int() of the days the reports show."""
    return (
        _cases(filters)
        .filter(
            placed_at__gte=filters.since,
            placed_at__lt=filters.until,
            ready_at__isnull=False,
            ready_at__lte=F("placed_at"),
        )
        .annotate(wait_us=ElapsedMicroseconds("placed_at", "ready_at"))
        .annotate(
            day=ExpressionWrapper(
                F("wait_us") / Value(MICROSECONDS_PER_DAY), output_field=BigIntegerField()
            )
        )
    )


@dataclass(frozen=True)
class PlacementCounts:
    """Cases placed in the period per month, and those that waited per whole day of wait."""

    per_month: list[tuple[dt.date, int]]
    per_day: list[tuple[int, int]]


def placement_counts(*, filters: ReportFilters) -> PlacementCounts:
    """One pass over the cases placed in the period, grouped by month (compared with the
    months' first instants in the current time zone, as TruncMonth would group them, without a
    per-row function) and by whole days waited (none for cases never ready or ready after)."""
    months = _month_starts(filters)
    if not months:
        return PlacementCounts([], [])
    month_index = SqlCase(
        *[When(placed_at__lt=until, then=Value(i)) for i, (_m, _s, until) in enumerate(months)],
        output_field=IntegerField(),
    )
    waited = Q(ready_at__isnull=False, ready_at__lte=F("placed_at"))
    days = SqlCase(
        When(
            waited,
            then=ElapsedMicroseconds("placed_at", "ready_at") / Value(MICROSECONDS_PER_DAY),
        ),
        output_field=BigIntegerField(),
    )
    rows = (
        _cases(filters)
        .filter(placed_at__gte=filters.since, placed_at__lt=filters.until)
        .annotate(month_index=month_index, waited_days=days)
        .values_list("month_index", "waited_days")
        .annotate(n=Count("id"))
        .values_list("month_index", "waited_days", "n")
    )
    per_month = [0] * len(months)
    per_day: dict[int, int] = {}
    for index, day, n in rows:
        per_month[index] += n
        if day is not None:
            per_day[day] = per_day.get(day, 0) + n
    return PlacementCounts(
        per_month=[(m, n) for (m, _s, _u), n in zip(months, per_month, strict=True)],
        per_day=sorted(per_day.items()),
    )


def time_to_placement(
    *, filters: ReportFilters, counts: PlacementCounts | None = None
) -> TimeToPlacement:
    """Days from "ready for placement" to placement, for cases placed in the period: median,
    90th percentile and a histogram. The histogram and the total come from the waits counted
    per whole day (placement_counts); then one query numbers, in the database, the waits of
    the days holding the ranks the median and the 90th percentile need, and returns those
    (at most four) waits. Query count does not grow with the number of cases."""
    per_day = (counts or placement_counts(filters=filters)).per_day
    waits = _waits(filters)
    buckets = [
        {
            "label": f"{low}-{high}" if high is not None else f"{low}+",
            "count": sum(n for day, n in per_day if day >= low and (high is None or day <= high)),
        }
        for low, high in DAY_BUCKETS
    ]
    placed = sum(n for _day, n in per_day)
    if not placed:
        return TimeToPlacement(0, None, None, buckets)

    # The day holding each rank the median and the 90th percentile need, and the wait's
    # position within that day; then one query numbers the waits of those days only.
    median_low, median_high = (placed - 1) // 2, placed // 2
    p90_low, p90_high, p90_weight = _ranks(placed, 0.9)
    wanted: dict[int, tuple[int, int]] = {}
    for rank in (median_low, median_high, p90_low, p90_high):
        before = 0
        for day, n in per_day:
            if rank < before + n:
                wanted[rank] = (day, rank - before + 1)
                break
            before += n
    found = {
        (day, number): wait_us
        # (the annotations of _waits are invisible to the type checker)
        for day, number, wait_us in waits.filter(day__in={d for d, _n in wanted.values()})  # type: ignore[misc]
        .annotate(number=Window(RowNumber(), partition_by=F("day"), order_by=F("wait_us").asc()))
        .filter(number__in={n for _d, n in wanted.values()})
        .values_list("day", "number", "wait_us")
    }
    at = {rank: _days(found[key]) for rank, key in wanted.items()}
    # statistics.median: the middle wait, or the mean of the two middle ones.
    median = at[median_low] if placed % 2 else (at[median_low] + at[median_high]) / 2
    p90 = at[p90_low] + (at[p90_high] - at[p90_low]) * p90_weight
    return TimeToPlacement(
        placed=placed,
        median_days=round(median, 1),
        p90_days=round(p90, 1),
        buckets=buckets,
    )


def urgent_unplaced(*, filters: ReportFilters, today: dt.date | None = None) -> dict[str, int]:
    """Cases not placed yet whose next hearing is within 30 and within 60 days of today."""
    today = today or timezone.localdate()
    unplaced = _cases(filters).filter(stage__in=UNPLACED_STAGES, next_hearing_on__gte=today)
    return unplaced.aggregate(
        within_30=Count("id", filter=Q(next_hearing_on__lte=today + dt.timedelta(days=30))),
        within_60=Count("id", filter=Q(next_hearing_on__lte=today + dt.timedelta(days=60))),
    )


def outcomes_by_case_type(*, filters: ReportFilters) -> list[dict[str, Any]]:
    """Outcomes dated in the period, per case type and outcome."""
    rows = (
        _cases(filters)
        .exclude(outcome="")
        .filter(outcome_date__gte=filters.start, outcome_date__lte=filters.end)
        .values("case_type", "outcome")
        .annotate(n=Count("id"))
        .order_by("case_type", "outcome")
    )
    types = dict(Case._meta.get_field("case_type").choices or [])
    outcomes = dict(Outcome.choices)
    return [
        {
            "case_type": types.get(row["case_type"], row["case_type"]),
            "outcome": outcomes.get(row["outcome"], row["outcome"]),
            "favourable": row["outcome"] in FAVOURABLE_OUTCOMES,
            "count": row["n"],
        }
        for row in rows
    ]


def outcomes_total(*, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The outcome rows summed over case types (for the chart), largest first."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["outcome"]] = totals.get(row["outcome"], 0) + row["count"]
    return [
        {"outcome": k, "count": v}
        for k, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def attorney_network(*, filters: ReportFilters) -> dict[str, int]:
    """Active attorneys (attorney of record on a placed case matching the filters), verified
    attorneys at the end of the period, and those verified during it (network growth)."""
    # A filtered count in one pass (COUNT skips cases with no attorney): a WHERE on stage
    # leads SQLite to walk the stage index and fetch the rows out of order, several times slower.
    active = _cases(filters).aggregate(
        n=Count("attorney_of_record", distinct=True, filter=Q(stage=Stage.PLACED))
    )["n"]
    network = AttorneyProfile.objects.filter(
        verification_status="verified", verified_at__lt=filters.until
    ).aggregate(
        verified=Count("id"),
        new=Count("id", filter=Q(verified_at__gte=filters.since)),
    )
    return {"active": active, "verified": network["verified"], "new": network["new"]}


def trainings_completed(*, filters: ReportFilters) -> dict[str, int]:
    return CourseCompletion.objects.filter(
        completed_on__gte=filters.start, completed_on__lte=filters.end
    ).aggregate(completions=Count("id"), people=Count("user", distinct=True))


def mentoring_requests_by_status(*, filters: ReportFilters) -> list[dict[str, Any]]:
    """Mentoring requests made in the period, by their status today."""
    counts = dict(
        MentoringRequest.objects.filter(
            filters.case_q("case__"), created_at__gte=filters.since, created_at__lt=filters.until
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [{"status": s.label, "count": counts.get(s.value, 0)} for s in MentoringRequest.Status]


def mentor_hours_per_month(*, filters: ReportFilters) -> list[dict[str, Any]]:
    """Approved mentor time worked in each month of the period, in hours (one query, a sum per
    month between the month's first days)."""
    months = _months(filters)
    if not months:
        return []
    next_months = [*months[1:], (months[-1] + dt.timedelta(days=32)).replace(day=1)]
    rows = TimeEntry.objects.filter(
        filters.case_q("mentorship__case__"),
        status=TimeEntry.Status.APPROVED,
        date__gte=filters.start,
        date__lte=filters.end,
    ).aggregate(
        **{
            f"m{i}": Sum("minutes", filter=Q(date__gte=month, date__lt=next_month))
            for i, (month, next_month) in enumerate(zip(months, next_months, strict=True))
        }
    )
    return [{"month": m, "hours": Decimal(rows[f"m{i}"] or 0) / 60} for i, m in enumerate(months)]


def mentor_cost(*, filters: ReportFilters) -> dict[str, Any]:
    """Issued mentor statements for the months of the period, against the funding available
    (sources open during the period) and what was charged to them in it."""
    statements = MentorStatement.objects.filter(
        status=MentorStatement.Status.ISSUED,
        month__gte=filters.start.replace(day=1),
        month__lte=filters.end,
    ).aggregate(minutes=Sum("minutes"), amount=Sum("amount"))
    funding = FundingSource.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=filters.start), start_date__lte=filters.end
    ).aggregate(amount=Sum("amount"))
    cost = statements["amount"] or Decimal("0")
    available = funding["amount"] or Decimal("0")
    return {
        "hours": Decimal(statements["minutes"] or 0) / 60,
        "cost": cost,
        "funding": available,
        "share": (cost / available * 100).quantize(Decimal("0.1")) if available else None,
    }


def funding_impact(*, filters: ReportFilters) -> list[dict[str, Any]]:
    """What each funding source paid for in the period: the amount charged, the mentor hours on
    those statements, the cases mentored in that time and how many ended favourably. Two
    grouped queries (joining both would multiply the sums)."""
    charged = Q(charges__charged_at__gte=filters.since, charges__charged_at__lt=filters.until)
    sources = FundingSource.objects.annotate(
        charged=Sum("charges__amount", filter=charged),
        minutes=Sum("charges__statement__minutes", filter=charged),
    ).order_by("name")
    cases = dict(
        (row["source"], row)
        for row in TimeEntry.objects.filter(
            statement__charge__charged_at__gte=filters.since,
            statement__charge__charged_at__lt=filters.until,
        )
        .values(source=F("statement__charge__source"))
        .annotate(
            cases=Count("mentorship__case", distinct=True),
            favourable=Count(
                "mentorship__case",
                distinct=True,
                filter=Q(mentorship__case__outcome__in=FAVOURABLE_OUTCOMES),
            ),
        )
    )
    return [
        {
            "source": source.name,
            "kind": source.get_kind_display(),
            "amount": source.amount,
            "charged": source.charged or Decimal("0"),
            "hours": Decimal(source.minutes or 0) / 60,
            "cases": cases.get(source.pk, {}).get("cases", 0),
            "favourable": cases.get(source.pk, {}).get("favourable", 0),
        }
        for source in sources
    ]


def response_compliance(*, filters: ReportFilters) -> dict[str, Any]:
    """Mentors' messages sent in the period: the share the mentee answered within the clock
    (2 business days) among those answered; unanswered ones are shown beside it."""
    report = response_report(since=filters.since, until=filters.until)
    answered = report.on_time + report.late
    return {
        "messages": report.messages,
        "on_time": report.on_time,
        "late": report.late,
        "unanswered": report.unanswered,
        "share": round(100 * report.on_time / answered, 1) if answered else None,
    }


@dataclass
class Dashboard:
    filters: ReportFilters
    people: dict[str, int]
    stages: list[dict[str, Any]]
    placements: list[dict[str, Any]]
    waits: TimeToPlacement
    urgent: dict[str, int]
    outcomes: list[dict[str, Any]]
    outcome_totals: list[dict[str, Any]]
    network: dict[str, int]
    trainings: dict[str, int]
    requests: list[dict[str, Any]]
    hours: list[dict[str, Any]]
    cost: dict[str, Any]
    funding: list[dict[str, Any]]
    responses: dict[str, Any]


def dashboard(*, filters: ReportFilters) -> Dashboard:
    """Every figure of the program dashboard (a fixed number of queries)."""
    outcomes = outcomes_by_case_type(filters=filters)
    placements = placement_counts(filters=filters)
    return Dashboard(
        filters=filters,
        people=people_served(filters=filters),
        stages=cases_by_stage(filters=filters),
        placements=placements_per_month(filters=filters, counts=placements),
        waits=time_to_placement(filters=filters, counts=placements),
        urgent=urgent_unplaced(filters=filters),
        outcomes=outcomes,
        outcome_totals=outcomes_total(rows=outcomes),
        network=attorney_network(filters=filters),
        trainings=trainings_completed(filters=filters),
        requests=mentoring_requests_by_status(filters=filters),
        hours=mentor_hours_per_month(filters=filters),
        cost=mentor_cost(filters=filters),
        funding=funding_impact(filters=filters),
        responses=response_compliance(filters=filters),
    )
