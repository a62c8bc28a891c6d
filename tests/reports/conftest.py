"""A hand-built program with known answers, on a fixed day (Sunday 15 March 2026), reported
for the first quarter of 2026 and one partner organization."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from amparo.accounts.models import Role
from amparo.cases.models import Case, CaseType, Stage
from amparo.courts.models import ImmigrationCourt
from amparo.mentoring_work.models import (
    FundingCharge,
    FundingSource,
    MentorStatement,
    Message,
    TimeEntry,
)
from amparo.reports.selectors import ReportFilters
from amparo.trainings.models import CourseCompletion
from tests.factories import (
    AttorneyProfileFactory,
    CaseFactory,
    CourseFactory,
    FamilyMemberFactory,
    MentoringRequestFactory,
    MentorshipFactory,
    OrganizationFactory,
    UserFactory,
)

LA = ZoneInfo("America/Los_Angeles")
NOW = dt.datetime(2026, 3, 15, 19, 0, tzinfo=dt.UTC)  # noon in Los Angeles
TODAY = dt.date(2026, 3, 15)


def at(day: str, hour: int = 12) -> dt.datetime:
    d = dt.date.fromisoformat(day)
    return dt.datetime(d.year, d.month, d.day, hour, tzinfo=LA)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Program:
    partner: Any
    court: Any
    other_court: Any
    filters: ReportFilters
    cases: dict[str, Case]


def _attorney(verified_at: dt.datetime | None) -> Any:
    if verified_at is None:
        return AttorneyProfileFactory().user
    return AttorneyProfileFactory(
        verification_status="verified",
        verified_by=UserFactory(role=Role.COORDINATOR),
        verified_at=verified_at,
    ).user


@pytest.fixture
def program(db: Any) -> Program:
    partner = OrganizationFactory(name="Partner R", kind="partner")
    court = ImmigrationCourt.objects.get(code="SFR")
    other_court = ImmigrationCourt.objects.exclude(pk=court.pk).order_by("pk").first()
    a1 = _attorney(at("2025-06-01"))
    a2 = _attorney(at("2026-02-01"))
    a3 = _attorney(at("2026-03-01"))
    _attorney(None)  # not verified: not in the network

    def case(key: str, **fields: Any) -> Case:
        fields.setdefault("court", court)
        return CaseFactory(placing_organization=partner, code=f"R-{key}", **fields)

    cases = {
        # placed 5 days after ready, in January; client with two family members
        "c1": case(
            "c1",
            stage=Stage.PLACED,
            attorney_of_record=a1,
            ready_at=at("2026-01-05"),
            placed_at=at("2026-01-10"),
        ),
        # placed 50 days after ready, in February; U visa on the waiting list in March
        "c2": case(
            "c2",
            case_type=CaseType.U_VISA,
            stage=Stage.PLACED,
            attorney_of_record=a2,
            ready_at=at("2026-01-01"),
            placed_at=at("2026-02-20"),
            outcome="u_waiting_list",
            outcome_date=dt.date(2026, 3, 10),
        ),
        # placed 10 days after ready, in February; granted and closed in March
        "c3": case(
            "c3",
            stage=Stage.CLOSED,
            attorney_of_record=a1,
            ready_at=at("2026-02-01"),
            placed_at=at("2026-02-11"),
            outcome="granted",
            outcome_date=dt.date(2026, 3, 1),
            closed_at=at("2026-03-02"),
        ),
        # ready, hearing in 20 days; screening, hearing in 45 days
        "c4": case(
            "c4", stage=Stage.READY, ready_at=at("2026-03-01"), next_hearing_on=dt.date(2026, 4, 4)
        ),
        "c5": case("c5", stage=Stage.SCREENING, next_hearing_on=dt.date(2026, 4, 29)),
        # closed before the period: not served, its outcome not counted
        "c6": case(
            "c6",
            stage=Stage.CLOSED,
            outcome="denied",
            outcome_date=dt.date(2025, 10, 30),
            closed_at=at("2025-11-01"),
            next_hearing_on=dt.date(2026, 3, 20),
        ),
        # placed before the period, at another court: served, no placement in the period
        "c7": case(
            "c7",
            case_type=CaseType.AFFIRMATIVE_ASYLUM,
            court=other_court,
            stage=Stage.PLACED,
            attorney_of_record=a3,
            ready_at=at("2025-12-01"),
            placed_at=at("2025-12-20"),
        ),
    }
    Case.objects.filter(placing_organization=partner).update(created_at=at("2025-10-01"))
    FamilyMemberFactory.create_batch(2, client=cases["c1"].client)
    FamilyMemberFactory(client=cases["c6"].client)
    # Elsewhere: another partner's ready case with an urgent hearing (filtered out)
    CaseFactory(stage=Stage.READY, next_hearing_on=dt.date(2026, 3, 20))

    # Trainings: two completions in the period by one person, one before it
    course_x, course_y = CourseFactory(), CourseFactory()
    CourseCompletion.objects.create(
        user=a1, course=course_x, completed_on=dt.date(2026, 1, 15), source="staff"
    )
    CourseCompletion.objects.create(
        user=a1, course=course_y, completed_on=dt.date(2026, 2, 1), source="staff"
    )
    CourseCompletion.objects.create(
        user=a2, course=course_x, completed_on=dt.date(2025, 12, 31), source="staff"
    )

    # Mentoring: matched requests on c1 and c3, a pending one on c2, one at another partner
    mentor = UserFactory(role=Role.MENTOR)
    admin = UserFactory(role=Role.PROGRAM_ADMIN)
    m1 = MentorshipFactory(
        request=MentoringRequestFactory(case=cases["c1"], attorney=a1, status="matched"),
        mentor=mentor,
    )
    m3 = MentorshipFactory(
        request=MentoringRequestFactory(case=cases["c3"], attorney=a1, status="matched"),
        mentor=mentor,
    )
    MentoringRequestFactory(case=cases["c2"], attorney=a2, status="pending")
    MentoringRequestFactory(status="pending")

    # Mentor time: January 90 + 30 minutes (on an issued statement), February 60, one not
    # approved
    statement = MentorStatement.objects.create(
        mentor=mentor,
        month=dt.date(2026, 1, 1),
        status="issued",
        minutes=120,
        hourly_rate=Decimal("100"),
        amount=Decimal("200.00"),
        prepared_by=admin,
        issued_by=admin,
        issued_at=at("2026-02-05"),
    )
    entry = {"mentor": mentor, "activity": "meeting"}
    TimeEntry.objects.create(
        mentorship=m1,
        date=dt.date(2026, 1, 20),
        minutes=90,
        status="approved",
        statement=statement,
        **entry,
    )
    TimeEntry.objects.create(
        mentorship=m3,
        date=dt.date(2026, 1, 22),
        minutes=30,
        status="approved",
        statement=statement,
        **entry,
    )
    TimeEntry.objects.create(
        mentorship=m1, date=dt.date(2026, 2, 3), minutes=60, status="approved", **entry
    )
    TimeEntry.objects.create(
        mentorship=m1, date=dt.date(2026, 2, 4), minutes=30, status="submitted", **entry
    )
    grant = FundingSource.objects.create(
        name="=Bay Foundation",
        kind="grant",
        amount=Decimal("10000"),
        start_date=dt.date(2025, 1, 1),
    )
    FundingSource.objects.create(
        name="Spring appeal",
        kind="donation",
        amount=Decimal("500"),
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    FundingSource.objects.create(
        name="Old grant",
        kind="grant",
        amount=Decimal("1000"),
        start_date=dt.date(2024, 7, 1),
        end_date=dt.date(2025, 6, 30),
    )
    FundingCharge.objects.create(
        source=grant,
        statement=statement,
        amount=Decimal("200.00"),
        charged_at=at("2026-02-05"),
        charged_by=admin,
    )

    # Response clock: two replies on time, one late, one unanswered; one before the period
    def message(sent: str, **fields: Any) -> None:
        Message.objects.create(
            mentorship=m1,
            author=mentor,
            body="Please send the draft.",
            sent_at=at(sent),
            response_due_at=at(sent) + dt.timedelta(days=2),
            **fields,
        )

    message("2026-01-06", answered_at=at("2026-01-07"), answered_on_time=True)
    message("2026-01-12", answered_at=at("2026-01-13"), answered_on_time=True)
    message("2026-02-02", answered_at=at("2026-02-09"), answered_on_time=False)
    message("2026-03-13")
    message("2025-12-01", answered_at=at("2025-12-09"), answered_on_time=False)

    filters = ReportFilters(
        start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), partner_id=partner.pk
    )
    return Program(partner, court, other_court, filters, cases)
