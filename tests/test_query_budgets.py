"""Query budgets: each busy page costs a fixed number of queries, whatever the amount of data.

Every test requests its page in a small world (a couple of cases, a few related rows), then
grows the same world to about thirty cases with many parties, hearings, deadlines, milestones,
mentorships, messages, documents and time entries, and requests the page again. Both requests
must stay within the page's budget below, and the large world must not cost more queries than
the small one: a query per row (an N+1) makes the second count grow and fails the test.

The first request of each test warms the session and the per-process caches (content types,
templates) and is not counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from amparo.api.services import api_token_create
from amparo.cases.models import Case, Stage
from amparo.cases.placement import case_publish
from amparo.courts.models import ImmigrationCourt
from amparo.deadlines.services import case_plan_create, hearing_add
from amparo.mentoring.models import MentoringRequest, Mentorship
from amparo.mentoring_work.models import MentoringPlan
from amparo.mentoring_work.pay import time_entry_log
from amparo.mentoring_work.services import message_send, plan_create_at_first_meeting
from amparo.workspace.services import case_document_create, document_comment_add
from amparo.workspace.services.documents import case_document_version_add
from tests.deadlines.factories import CaseDeadlineFactory, CustomDeadlineFactory, MilestoneFactory
from tests.factories import (
    AdversePartyFactory,
    AttorneyProfileFactory,
    CaseFactory,
    ClientContactFactory,
    ClientFactory,
    FamilyMemberFactory,
    HoursEntryFactory,
    MentorProfileFactory,
)

# --- budgets (queries per request) -------------------------------------------------------------
# Each is the count measured when it was written (same on SQLite and PostgreSQL) plus two, so a
# small legitimate change does not fail at once; an N+1 fails the large-world comparison anyway.

# The board, page and htmx fragment (measured 7 and 6): session, user, attorney profile, the
# page's count and rows, the court filter's choices, unread notifications.
BOARD_BUDGET = 9
# A case workspace for its attorney of record (measured 23): the case, one query per section
# (hearings, contacts, hours, deadlines, flags, milestones, withdrawals, hand-off packets,
# documents, their versions and comments, the mentorship and its open messages) and the
# audited read of the file.
WORKSPACE_BUDGET = 25
# The coordinator's dashboard (measured 16): the attention list's counts, stage counts, urgent
# cases, attorneys awaiting verification with their bar admissions.
COORDINATOR_DASHBOARD_BUDGET = 18
# The case list, first page, for a coordinator (measured 6): the page's count and rows.
CASE_LIST_BUDGET = 8
# The mentor's list of mentorships (measured 5): one query, overdue flags annotated in it.
MENTORSHIP_LIST_BUDGET = 7
# API lists (measured 8 each): the token, the rate limit on the database cache (up to six
# queries; none on Redis), then the rows.
API_BOARD_BUDGET = 10
API_MY_DEADLINES_BUDGET = 10

SMALL = 2  # cases in the small world
LARGE = 30  # cases in the large world

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    """Documents go to a private storage of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "amparo.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private-media")},
        },
    }


# --- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    """Cases added around the personas, in every stage; grown in place from small to large."""

    personas: Any
    cases: list[Case] = field(default_factory=list)

    def grow_to(self, total: int) -> None:
        while len(self.cases) < total:
            self.cases.append(_case_with_everything(self.personas, len(self.cases)))


STAGES = (Stage.READY, Stage.PLACED, Stage.INTAKE, Stage.SCREENING, Stage.READY, Stage.CLOSED)


def _case_with_everything(personas: Any, index: int) -> Case:
    """One case with a client, three parties, a hearing, deadlines and, once placed, the
    attorney persona, the mentor persona, a mentorship with messages and a plan."""
    courts = list(ImmigrationCourt.objects.order_by("code")[:3])
    client = ClientFactory(languages=["es"])
    FamilyMemberFactory(client=client)
    FamilyMemberFactory(client=client, relationship="spouse", given_names="Lucia")
    AdversePartyFactory(client=client)
    stage = STAGES[index % len(STAGES)]
    placed = stage in (Stage.PLACED, Stage.CLOSED)
    case = CaseFactory(
        client=client,
        stage=Stage.SCREENING if stage == Stage.READY else stage,
        court=courts[index % len(courts)],
        placing_organization=personas.placed_case.placing_organization,
        case_type=("defensive_asylum", "u_visa", "affirmative_asylum")[index % 3],
        detained=index % 4 == 0,
        languages=["es"],
        urgency=index,
        summary_en=f"Case {index}",
        summary_es=f"Caso {index}",
        attorney_of_record=personas.attorney if placed else None,
        mentor=personas.mentor if placed else None,
        placed_at=timezone.now() - dt.timedelta(days=40) if placed else None,
        last_arrival=dt.date(2025, 6, 1),
    )
    hearing_add(
        case=case,
        actor=personas.coordinator,
        kind="master",
        starts_at=timezone.now() + dt.timedelta(days=20 + index),
    )
    for day in (3, 9):
        CaseDeadlineFactory(case=case, date=timezone.localdate() + dt.timedelta(days=day))
    if stage == Stage.READY:
        case_publish(case=case, actor=None)
    if placed:
        MilestoneFactory(case=case)
        mentorship = _mentorship(case, personas.mentor, personas.attorney)
        message_send(mentorship=mentorship, author=personas.attorney, body="A question.")
    # An attorney waiting for verification, for the coordinator's dashboard.
    AttorneyProfileFactory()
    case.refresh_from_db()
    return case


def _mentorship(case: Case, mentor: Any, mentee: Any) -> Mentorship:
    request = MentoringRequest.objects.create(
        case=case, attorney=mentee, status=MentoringRequest.Status.MATCHED
    )
    return Mentorship.objects.create(
        request=request,
        case=case,
        mentor=mentor,
        mentee=mentee,
        status=Mentorship.Status.ACTIVE,
        started_at=timezone.now() - dt.timedelta(days=30),
    )


@pytest.fixture
def world(personas: Any) -> World:
    MentorProfileFactory(user=personas.mentor)
    world = World(personas)
    world.grow_to(SMALL)
    return world


def _count(budget: Any, limit: int, request: Any) -> int:
    """Run one request within the budget; answer the number of queries it made."""
    with budget(limit) as captured:
        response = request()
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


def _assert_fixed(world: World, budget_fixture: Any, limit: int, request: Any) -> tuple[int, int]:
    request()  # warm the session and the per-process caches
    small = _count(budget_fixture, limit, request)
    world.grow_to(LARGE)
    large = _count(budget_fixture, limit, request)
    assert large <= small, f"{large} queries with {LARGE} cases, {small} with {SMALL}: an N+1"
    return small, large


# --- pages -------------------------------------------------------------------------------------


def test_board_page_costs_a_fixed_number_of_queries(
    client: HttpClient, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.personas.attorney)
    url = reverse("board:board")
    _assert_fixed(world, django_assert_max_num_queries, BOARD_BUDGET, lambda: client.get(url))
    on_board = Case.objects.filter(stage=Stage.READY).count()
    assert on_board >= LARGE // 3


def test_board_fragment_costs_a_fixed_number_of_queries(
    client: HttpClient, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.personas.attorney)
    url = reverse("board:board") + "?detained=yes"

    def fragment() -> Any:
        response = client.get(url, headers={"HX-Request": "true"})
        assert b"<html" not in response.content
        return response

    _assert_fixed(world, django_assert_max_num_queries, BOARD_BUDGET, fragment)


def _fill_workspace(personas: Any, case: Case, rows: int) -> None:
    """Rows on every section of the placed case's workspace."""
    today = timezone.localdate()
    mentorship = Mentorship.objects.filter(case=case).first() or _mentorship(
        case, personas.mentor, personas.attorney
    )
    if not MentoringPlan.objects.filter(mentorship=mentorship).exists():
        plan_create_at_first_meeting(
            mentorship=mentorship,
            actor=personas.mentor,
            met_at=timezone.now() - dt.timedelta(days=2),
            mode=MentoringPlan.MeetingMode.VIDEO,
        )
    for n in range(rows):
        hearing_add(
            case=case,
            actor=personas.attorney,
            kind="master",
            starts_at=timezone.now() + dt.timedelta(days=30 + n),
        )
        CaseDeadlineFactory(case=case, date=today + dt.timedelta(days=5 + n))
        CustomDeadlineFactory(case=case, date=today + dt.timedelta(days=6 + n))
        MilestoneFactory(case=case, due_date=today + dt.timedelta(days=n))
        ClientContactFactory(case=case, contacted_on=today - dt.timedelta(days=n + 1))
        HoursEntryFactory(case=case, worked_on=today - dt.timedelta(days=n + 1))
        document = case_document_create(
            case=case,
            actor=personas.attorney,
            title=f"Exhibit {n}",
            kind="evidence",
            milestone=case.milestones.first(),
            file=SimpleUploadedFile(f"exhibit{n}.pdf", PDF, content_type="application/pdf"),
        )
        version = case_document_version_add(
            document=document,
            actor=personas.attorney,
            file=SimpleUploadedFile(f"exhibit{n}b.pdf", PDF, content_type="application/pdf"),
        )
        document_comment_add(version=version, author=personas.attorney, body="Looks right.")
        # From the mentor: the workspace lists the messages waiting for the mentee's reply.
        message_send(mentorship=mentorship, author=personas.mentor, body=f"Question {n}")
        time_entry_log(
            mentorship=mentorship,
            mentor=personas.mentor,
            date=today - dt.timedelta(days=n % 5),
            minutes=30,
            activity="draft_review",
        )


def test_case_workspace_costs_a_fixed_number_of_queries(
    client: HttpClient, personas: Any, django_assert_max_num_queries: Any
) -> None:
    MentorProfileFactory(user=personas.mentor)
    case = personas.placed_case
    case.court = ImmigrationCourt.objects.get(code="SFR")
    case.last_arrival = dt.date(2025, 6, 1)
    case.placed_at = timezone.now() - dt.timedelta(days=30)
    case.save()
    case_plan_create(case=case)
    client.force_login(personas.attorney)
    url = reverse("workspace:case", args=[case.code])

    def page() -> Any:
        return client.get(url)

    _fill_workspace(personas, case, 1)
    page()  # warm the session and the per-process caches
    small = _count(django_assert_max_num_queries, WORKSPACE_BUDGET, page)
    _fill_workspace(personas, case, 12)
    large = _count(django_assert_max_num_queries, WORKSPACE_BUDGET, page)
    assert large <= small, f"{large} queries with many rows, {small} with few: an N+1"
    html = page().content.decode()
    assert "Exhibit 11" in html
    assert html.count(f"From {escape(personas.mentor.full_name)}") == 13  # the open messages


def test_coordinator_dashboard_costs_a_fixed_number_of_queries(
    client: HttpClient, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.personas.coordinator)
    url = reverse("dashboard")
    _assert_fixed(
        world, django_assert_max_num_queries, COORDINATOR_DASHBOARD_BUDGET, lambda: client.get(url)
    )


def test_case_list_costs_a_fixed_number_of_queries(
    client: HttpClient, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.personas.coordinator)
    url = reverse("cases:list")
    _assert_fixed(world, django_assert_max_num_queries, CASE_LIST_BUDGET, lambda: client.get(url))


def test_mentorship_list_costs_a_fixed_number_of_queries(
    client: HttpClient, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.personas.mentor)
    url = reverse("mentoring_work:list")
    _assert_fixed(
        world, django_assert_max_num_queries, MENTORSHIP_LIST_BUDGET, lambda: client.get(url)
    )
    assert Mentorship.objects.filter(mentor=world.personas.mentor).count() >= LARGE // 3


# --- API lists ---------------------------------------------------------------------------------


def _api_get(client: HttpClient, user: Any, path: str, params: dict[str, Any]) -> Any:
    _token, secret = api_token_create(user=user, name="budget")
    headers = {"Authorization": f"Bearer {secret}"}
    return lambda: client.get(path, params, headers=headers)


def test_api_board_costs_a_fixed_number_of_queries(
    client: HttpClient, world: World, django_assert_max_num_queries: Any
) -> None:
    get = _api_get(client, world.personas.attorney, "/api/v1/board", {"limit": 100})
    _assert_fixed(world, django_assert_max_num_queries, API_BOARD_BUDGET, get)
    assert len(get().json()["results"]) >= LARGE // 3


def test_api_my_deadlines_costs_a_fixed_number_of_queries(
    client: HttpClient, world: World, django_assert_max_num_queries: Any
) -> None:
    get = _api_get(client, world.personas.attorney, "/api/v1/me/deadlines", {"limit": 100})
    _assert_fixed(world, django_assert_max_num_queries, API_MY_DEADLINES_BUDGET, get)
    assert len(get().json()["results"]) >= LARGE // 3
