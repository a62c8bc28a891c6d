"""Coordinators place cases directly, decide attorneys' requests and record withdrawals; the
placement history keeps every attorney of record."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from amparo.cases.models import Case, CaseEvent, Placement, PlacementRequest, Stage
from amparo.cases.placement import (
    PlacementError,
    case_place_by_coordinator,
    case_withdrawal_record,
    placement_request_decide,
)
from amparo.conflicts.models import ConflictHit
from amparo.core.models import AuditEvent
from amparo.core.policy import can
from tests.factories import CaseFactory


def open_hit(case, *, status=ConflictHit.Status.OPEN, **extra):
    defaults = {
        "subject_type": "client",
        "subject_id": case.client_id,
        "subject_label": "client",
        "matched_type": "adverse_party",
        "matched_id": 1,
        "score": 0.9,
        "why_en": "same names",
        "why_es": "mismos nombres",
    }
    if status != ConflictHit.Status.OPEN:
        defaults.update(resolved_by=extra.get("matched_attorney"))
        defaults.update(resolved_at=case.created_at, note="checked")
    defaults.update(extra)
    return ConflictHit.objects.create(case=case, status=status, **defaults)


def place_url(case):
    return reverse("cases:placement_place", args=[case.code])


def withdrawal_url(case):
    return reverse("cases:placement_withdrawal", args=[case.code])


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("coordinator", True),
        ("program_admin", False),
        ("attorney", False),
        ("mentor", False),
        ("partner", False),
    ],
)
def test_only_coordinators_manage_placement(client, personas, persona, allowed):
    user = getattr(personas, persona)
    case = personas.ready_case
    assert can(user, "cases.place_case", case) is allowed
    client.force_login(user)
    status = client.get(reverse("cases:placement", args=[case.code])).status_code
    assert status == (200 if allowed else 404)
    response = client.post(place_url(case), {"attorney": personas.attorney.pk})
    assert response.status_code in ((302,) if allowed else (403, 404))
    assert client.get(reverse("cases:placement_requests")).status_code in (
        (200,) if allowed else (403, 404)
    )


def test_coordinator_places_directly_history_audit_timeline_and_email(
    client, personas, django_capture_on_commit_callbacks
):
    case = personas.ready_case
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(place_url(case), {"attorney": personas.other_attorney.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.PLACED and case.attorney_of_record == personas.other_attorney
    placement = Placement.objects.get(case=case)
    assert placement.how == Placement.How.COORDINATOR
    assert placement.placed_by == personas.coordinator and placement.ended_at is None
    assert AuditEvent.objects.filter(action="case.placed", object_id=str(case.pk)).exists()
    assert CaseEvent.objects.filter(case=case, kind="placed").exists()
    assert [m.to for m in mail.outbox] == [[personas.other_attorney.email]]
    assert case.code in mail.outbox[0].subject
    assert case.client.full_name not in mail.outbox[0].body
    # The new attorney now reads the file; the other does not.
    assert can(personas.other_attorney, "cases.view_case_file", case)
    assert not can(personas.attorney, "cases.view_case_file", case)


def test_placement_refused_with_an_open_conflict_and_for_unverified(personas):
    case = personas.ready_case
    hit = open_hit(case)
    with pytest.raises(PlacementError) as error:
        case_place_by_coordinator(case=case, attorney=personas.attorney, actor=personas.coordinator)
    assert "conflict" in " ".join(error.value.reasons)
    hit.status = ConflictHit.Status.CLEARED
    hit.resolved_by = personas.coordinator
    hit.resolved_at = case.created_at
    hit.save()
    with pytest.raises(PlacementError):
        case_place_by_coordinator(
            case=case, attorney=personas.unverified_attorney, actor=personas.coordinator
        )
    case.refresh_from_db()
    assert case.attorney_of_record is None and not Placement.objects.filter(case=case).exists()


def test_confirmed_conflict_stops_only_the_attorney_it_concerns(personas):
    case = personas.ready_case
    open_hit(
        case,
        status=ConflictHit.Status.CONFIRMED,
        matched_type="declared_conflict",
        matched_attorney=personas.attorney,
    )
    with pytest.raises(PlacementError):
        case_place_by_coordinator(case=case, attorney=personas.attorney, actor=personas.coordinator)
    case_place_by_coordinator(
        case=case, attorney=personas.other_attorney, actor=personas.coordinator
    )


def test_over_capacity_needs_the_coordinators_confirmation(client, personas):
    # personas.attorney already has the placed case.
    profile = personas.attorney.attorney_profile
    profile.capacity = 1
    profile.save()
    case = personas.ready_case
    client.force_login(personas.coordinator)
    response = client.post(place_url(case), {"attorney": personas.attorney.pk})
    assert response.status_code == 422
    assert "capacity" in response.content.decode()
    case.refresh_from_db()
    assert case.attorney_of_record is None
    response = client.post(
        place_url(case), {"attorney": personas.attorney.pk, "over_capacity_ok": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.attorney_of_record == personas.attorney


def test_placing_with_a_bad_choice_is_explained(client, personas):
    client.force_login(personas.coordinator)
    for value in ("", "999999", str(personas.unverified_attorney.pk), "abc"):
        response = client.post(place_url(personas.ready_case), {"attorney": value})
        assert response.status_code == 422
        assert 'id="id_attorney_error"' in response.content.decode()
    personas.ready_case.refresh_from_db()
    assert personas.ready_case.attorney_of_record is None


def test_placing_a_placed_case_again_is_refused(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        place_url(personas.placed_case), {"attorney": personas.other_attorney.pk}
    )
    assert response.status_code in (409, 422)
    personas.placed_case.refresh_from_db()
    assert personas.placed_case.attorney_of_record == personas.attorney


def test_withdrawal_and_replacement_keep_the_history(client, personas):
    case = personas.ready_case
    case_place_by_coordinator(
        case=case, attorney=personas.other_attorney, actor=personas.coordinator
    )
    client.force_login(personas.coordinator)
    # A reason is required, and nothing changes without it.
    response = client.post(withdrawal_url(case), {"reason": " ", "back_on_board": "on"})
    assert response.status_code == 422
    case.refresh_from_db()
    assert case.attorney_of_record == personas.other_attorney
    response = client.post(
        withdrawal_url(case), {"reason": "Moved to another state", "back_on_board": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.attorney_of_record is None and case.stage == Stage.READY and case.published_at
    assert not can(personas.other_attorney, "cases.view_case_file", case)
    first = Placement.objects.get(case=case)
    assert first.ended_at and first.ended_by == personas.coordinator
    assert first.end_reason == "Moved to another state"
    with connection.cursor() as cursor:
        cursor.execute("SELECT end_reason FROM cases_placement WHERE id = %s", [first.pk])
        assert "Moved" not in cursor.fetchone()[0]  # encrypted at rest
    assert AuditEvent.objects.filter(action="case.withdrawn", object_id=str(case.pk)).exists()
    # Re-placement: a second placement row, the first one kept.
    client.post(place_url(case), {"attorney": personas.other_attorney.pk})
    case.refresh_from_db()
    assert case.attorney_of_record == personas.other_attorney
    assert Placement.objects.filter(case=case).count() == 2
    assert Placement.objects.filter(case=case, ended_at__isnull=True).count() == 1
    page = client.get(reverse("cases:placement", args=[case.code])).content.decode()
    assert "Moved to another state" in page
    timeline = client.get(reverse("cases:timeline", args=[case.code])).content.decode()
    assert "Attorney withdrew" in timeline and personas.other_attorney.full_name in timeline


def test_withdrawal_back_to_screening_and_without_attorney(personas):
    with pytest.raises(PlacementError):
        case_withdrawal_record(
            case=personas.ready_case, actor=personas.coordinator, reason="x", back_on_board=True
        )
    case = case_withdrawal_record(
        case=personas.placed_case,
        actor=personas.coordinator,
        reason="Conflict found later",
        back_on_board=False,
    )
    assert case.stage == Stage.SCREENING and case.attorney_of_record is None


def test_request_approval_and_decline_tell_the_attorney(
    client, personas, django_capture_on_commit_callbacks
):
    case = personas.ready_case
    first = PlacementRequest.objects.create(case=case, attorney=personas.other_attorney)
    second = PlacementRequest.objects.create(case=case, attorney=personas.attorney)
    client.force_login(personas.coordinator)
    assert (
        personas.other_attorney.full_name
        in client.get(reverse("cases:placement_requests")).content.decode()
    )
    url = reverse("cases:placement_request_decide", args=[case.code, first.pk])
    assert client.post(url, {"decision": "maybe"}).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"decision": "approve"}).status_code == 302
    case.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert case.attorney_of_record == personas.other_attorney
    assert first.status == "approved" and second.status == "declined"
    assert Placement.objects.get(case=case).how == Placement.How.REQUEST
    assert mail.outbox[-1].to == [personas.other_attorney.email]
    # Deciding again is refused, not a crash.
    assert client.post(url, {"decision": "decline"}).status_code == 409


def test_request_approval_refused_while_a_conflict_is_open(personas):
    case = personas.ready_case
    request = PlacementRequest.objects.create(case=case, attorney=personas.other_attorney)
    open_hit(case)
    with pytest.raises(PlacementError):
        placement_request_decide(request=request, actor=personas.coordinator, approve=True)
    request.refresh_from_db()
    assert request.status == "pending"
    assert Case.objects.get(pk=case.pk).attorney_of_record is None


def test_placement_page_in_spanish(client, personas):
    personas.coordinator.language = "es"
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    html = client.get(reverse("cases:placement", args=[personas.ready_case.code])).content.decode()
    assert "Asignar a un/a abogado/a" in html


def test_placement_page_query_count_does_not_grow_with_attorneys(
    client, personas, django_assert_max_num_queries
):
    from tests.factories import AttorneyProfileFactory

    client.force_login(personas.coordinator)
    url = reverse("cases:placement", args=[personas.ready_case.code])
    client.get(url)
    for _ in range(15):
        AttorneyProfileFactory(
            verification_status="verified",
            verified_by=personas.coordinator,
            verified_at=personas.ready_case.created_at,
        )
    CaseFactory()
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_an_attorney_whose_declared_conflict_matches_cannot_take_the_case(personas):
    from amparo.cases.placement import attorney_eligibility
    from tests.factories import AdversePartyFactory

    case = personas.ready_case
    AdversePartyFactory(client=case.client, name="Ernesto Malvado")
    profile = personas.other_attorney.attorney_profile
    profile.declared_conflicts = "Ernesto Malvado"
    profile.save()
    eligibility = attorney_eligibility(attorney=personas.other_attorney, case=case)
    assert not eligibility.ok
    assert any("declared as a conflict" in reason for reason in eligibility.reasons)
    others = attorney_eligibility(attorney=personas.attorney, case=case).reasons
    assert not any("declared as a conflict" in reason for reason in others)
