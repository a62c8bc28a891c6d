"""The urgent-case board: anonymized, ranked, filtered, paginated; and the take."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from amparo.cases.models import Case, CaseEvent, PlacementRequest, Stage
from amparo.cases.placement import (
    PlacementError,
    case_attest_no_conflict,
    case_board_refresh,
    case_parties_reveal,
    case_publish,
    case_take,
    placement_request_decide,
)
from amparo.core.models import AuditEvent
from amparo.courts.models import ImmigrationCourt
from amparo.intake.models import Client, FamilyMember
from tests.factories import (
    AttorneyProfileFactory,
    CaseFactory,
    ClientFactory,
    FamilyMemberFactory,
    HearingFactory,
)


def publish(case, **facts):
    for key, value in facts.items():
        setattr(case, key, value)
    case.save()
    return case_publish(case=case, actor=None)


@pytest.fixture
def board_cases(personas):
    sfr = ImmigrationCourt.objects.get(code="SFR")
    urgent = CaseFactory(
        court=sfr,
        detained=True,
        languages=["es"],
        summary_en="Detained father",
        summary_es="Padre detenido",
    )
    HearingFactory(case=urgent, starts_at=timezone.now() + dt.timedelta(days=5))
    calm = CaseFactory(
        court=sfr,
        case_type="u_visa",
        languages=["quc"],
        summary_en="Crime victim",
        summary_es="Víctima",
    )
    child_case = CaseFactory(
        court=sfr, languages=["es"], client=ClientFactory(date_of_birth=dt.date(2012, 1, 1))
    )
    FamilyMemberFactory(client=child_case.client)
    for case in (urgent, calm, child_case):
        publish(case)
    return {"urgent": urgent, "calm": calm, "child": child_case}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("attorney", 200),
        ("coordinator", 200),
        ("program_admin", 200),
        ("unverified_attorney", 404),
        ("mentor", 404),
        ("partner", 404),
    ],
)
def test_board_access_by_role(client, personas, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("board:board")).status_code == status


def test_board_anonymous_goes_to_sign_in(client, db):
    assert client.get(reverse("board:board")).status_code == 302


def test_board_ranks_by_urgency_and_explains_it(client, personas, board_cases):
    client.force_login(personas.attorney)
    html = client.get(reverse("board:board")).content.decode()
    assert html.index(board_cases["urgent"].code) < html.index(board_cases["calm"].code)
    assert "Next hearing in 5 days" in html and "Client is detained" in html


def test_board_card_in_spanish(client, personas, board_cases):
    personas.attorney.language = "es"
    personas.attorney.save()
    client.force_login(personas.attorney)
    html = client.get(reverse("board:board")).content.decode()
    assert "Padre detenido" in html and "Cliente detenido/a" in html


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("type=u_visa", ["calm"], ["urgent", "child"]),
        ("language=quc", ["calm"], ["urgent"]),
        ("detained=yes", ["urgent"], ["calm", "child"]),
        ("children=yes", ["child"], ["calm"]),
        ("within=14", ["urgent"], ["calm", "child"]),
        ("type=bogus&detained=maybe&within=-3&court=abc&page=zzz", ["urgent", "calm", "child"], []),
    ],
)
def test_board_filters(client, personas, board_cases, query, expected, absent):
    client.force_login(personas.attorney)
    response = client.get(reverse("board:board") + "?" + query)
    assert response.status_code == 200
    html = response.content.decode()
    for name in expected:
        assert board_cases[name].code in html
    for name in absent:
        assert board_cases[name].code not in html


def test_board_filter_by_court(client, personas, board_cases):
    other = CaseFactory(court=ImmigrationCourt.objects.get(code="CCC"))
    publish(other)
    client.force_login(personas.attorney)
    html = client.get(reverse("board:board") + f"?court={other.court_id}").content.decode()
    assert other.code in html and board_cases["urgent"].code not in html


def test_board_page_and_htmx_fragment(client, personas, board_cases):
    client.force_login(personas.attorney)
    fragment = client.get(reverse("board:board") + "?page=1", HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b'id="board-results"' in fragment.content


def _queries_for_board(client, django_assert_max_num_queries, count):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("board:board"))
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_board_query_count_does_not_grow_with_cases(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.attorney)
    for _ in range(3):
        publish(CaseFactory())
    few = _queries_for_board(client, django_assert_max_num_queries, 3)
    for _ in range(30):
        publish(CaseFactory(court=ImmigrationCourt.objects.get(code="SFR")))
    many = _queries_for_board(client, django_assert_max_num_queries, 33)
    assert many == few
    assert few <= 10


@pytest.fixture
def demo_board(db, settings):
    settings.DEBUG = True
    call_command("demo_data", verbosity=0)
    from amparo.accounts.models import User

    return User.objects.get(email="attorney@demo.amparo.org")


def test_board_never_shows_identifying_data(client, demo_board):
    client.force_login(demo_board)
    pages = [client.get(reverse("board:board") + f"?page={n}").content.decode() for n in (1, 2)]
    for code in Case.objects.filter(stage=Stage.READY).values_list("code", flat=True):
        pages.append(client.get(reverse("board:card", args=[code])).content.decode())
    html = "\n".join(pages)
    assert Case.objects.filter(stage=Stage.READY).count() > 0
    secrets = []
    for person in list(Client.objects.all()) + list(FamilyMember.objects.all()):
        secrets += [person.given_names, person.family_names]
        if person.a_number:
            secrets += [person.a_number, re.sub(r"\D", "", person.a_number)]
        if person.date_of_birth:
            secrets += [
                person.date_of_birth.isoformat(),
                person.date_of_birth.strftime("%b. %-d, %Y"),
            ]
        if person.phone:
            secrets.append(person.phone)
    for secret in secrets:
        assert secret not in html, secret


# --- taking a case ----------------------------------------------------------------------


def _take_through_pages(client, case):
    reveal = client.post(reverse("board:reveal", args=[case.code]))
    assert reveal.status_code == 200
    return client.post(reverse("board:take", args=[case.code]), {"no_conflict": "on"})


def test_take_reveals_names_audited_then_places(
    client, personas, board_cases, django_capture_on_commit_callbacks
):
    case = board_cases["calm"]
    client.force_login(personas.attorney)
    card = client.get(reverse("board:card", args=[case.code])).content.decode()
    assert case.client.family_names not in card
    reveal = client.post(reverse("board:reveal", args=[case.code]))
    assert case.client.family_names in reveal.content.decode()
    assert AuditEvent.objects.filter(
        action="case.parties_revealed", actor=personas.attorney
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("board:take", args=[case.code]), {"no_conflict": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.PLACED and case.attorney_of_record == personas.attorney
    assert case.milestones.exists()
    assert {e.kind for e in case.events.all()} >= {
        "card_viewed",
        "parties_revealed",
        "placed",
        "published",
    }
    assert any(personas.coordinator.email in m.to for m in mail.outbox)
    assert all(case.client.family_names not in m.subject + m.body for m in mail.outbox)


def test_take_without_attesting_is_refused(client, personas, board_cases):
    case = board_cases["calm"]
    client.force_login(personas.attorney)
    client.post(reverse("board:reveal", args=[case.code]))
    response = client.post(reverse("board:take", args=[case.code]), {})
    assert response.status_code == 422
    case.refresh_from_db()
    assert case.stage == Stage.READY


def test_take_second_attorney_is_told_someone_else_has_it(client, personas, board_cases):
    case = board_cases["calm"]
    client.force_login(personas.attorney)
    client.post(reverse("board:reveal", args=[case.code]))
    client.force_login(personas.other_attorney)
    client.post(reverse("board:reveal", args=[case.code]))
    client.force_login(personas.attorney)
    assert (
        client.post(reverse("board:take", args=[case.code]), {"no_conflict": "on"}).status_code
        == 302
    )
    client.force_login(personas.other_attorney)
    response = client.post(reverse("board:take", args=[case.code]), {"no_conflict": "on"})
    assert response.status_code in (404, 409)
    case.refresh_from_db()
    assert case.attorney_of_record == personas.attorney


def test_take_refused_at_capacity_with_reason(client, personas, board_cases):
    profile = personas.attorney.attorney_profile
    profile.capacity = 1
    profile.save()  # the attorney already has personas.placed_case
    client.force_login(personas.attorney)
    html = client.get(reverse("board:card", args=[board_cases["calm"].code])).content.decode()
    assert "capacity of 1 active cases" in html
    response = client.post(reverse("board:reveal", args=[board_cases["calm"].code]))
    assert response.status_code == 403


def test_take_refused_for_unverified_attorney(client, personas, board_cases):
    with pytest.raises(PlacementError) as error:
        case_parties_reveal(case=board_cases["calm"], attorney=personas.unverified_attorney)
    assert "verify your bar standing" in error.value.reasons[0]


def test_take_refused_while_a_conflict_hit_is_open(personas, board_cases):
    from amparo.conflicts.models import ConflictHit

    case = board_cases["calm"]
    ConflictHit.objects.create(
        case=case,
        subject_type="client",
        subject_id=case.client_id,
        subject_label="Client",
        matched_type="adverse_party",
        matched_id=1,
        score=0.9,
        why_en="x",
        why_es="x",
    )
    with pytest.raises(PlacementError) as error:
        case_parties_reveal(case=case, attorney=personas.attorney)
    assert "conflict of interest" in " ".join(error.value.reasons)


def test_take_with_approval_creates_request_and_coordinator_places(personas, board_cases, settings):
    settings.AMPARO_PLACEMENT_REQUIRES_APPROVAL = True
    case = board_cases["calm"]
    case_parties_reveal(case=case, attorney=personas.attorney)
    case_attest_no_conflict(case=case, attorney=personas.attorney)
    case_take(case=case, attorney=personas.attorney)
    case.refresh_from_db()
    assert case.stage == Stage.READY
    request = PlacementRequest.objects.get(case=case)
    placement_request_decide(request=request, actor=personas.coordinator, approve=True)
    case.refresh_from_db()
    assert case.attorney_of_record == personas.attorney and case.stage == Stage.PLACED


def test_board_refresh_fills_card_facts(personas):
    case = CaseFactory(
        client=ClientFactory(date_of_birth=dt.date(1990, 1, 1)), languages=["es", "mam"]
    )
    case_board_refresh(case=case)
    case.refresh_from_db()
    assert case.board_languages == ",es,mam,"
    assert case.client_age_band == "30-39"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_take_concurrent_attorneys_exactly_one_wins():
    from amparo.accounts.models import User

    coordinator = User.objects.create_user(email="c@example.org", role="coordinator", full_name="C")
    case = CaseFactory()
    case_publish(case=case, actor=None)
    attorneys = []
    for n in range(12):
        profile = AttorneyProfileFactory(
            user__email=f"racer{n}@example.org",
            verification_status="verified",
            verified_by=coordinator,
            verified_at=timezone.now(),
            capacity=3,
        )
        case_parties_reveal(case=case, attorney=profile.user)
        case_attest_no_conflict(case=case, attorney=profile.user)
        attorneys.append(profile.user)
    barrier = threading.Barrier(len(attorneys))
    outcomes: list[str] = []

    def race(attorney):
        try:
            barrier.wait()
            case_take(case=Case.objects.get(pk=case.pk), attorney=attorney)
            outcomes.append("won")
        except PlacementError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(a,)) for a in attorneys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("won") == 1
    assert outcomes.count("taken") == len(attorneys) - 1
    case.refresh_from_db()
    assert case.stage == Stage.PLACED
    assert CaseEvent.objects.filter(case=case, kind="placed").count() == 1
