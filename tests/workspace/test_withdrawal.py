"""Withdrawal: the attorney asks with a reason; a coordinator approves (the case goes back to
the board with its history and a hand-off packet for the next attorney) or declines."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from amparo.cases.models import Placement, Stage
from amparo.cases.services import case_place
from amparo.core.models import AuditEvent
from amparo.workspace.models import HandoffPacket, WithdrawalRequest
from tests.factories import ClientContactFactory, HoursEntryFactory
from tests.workspace.conftest import workspace_url


def _request_url(case):
    return reverse("workspace:withdrawal_request", args=[case.code])


def _decide_url(case, request):
    return reverse("workspace:withdrawal_decide", args=[case.code, request.pk])


@pytest.fixture
def requested(client, personas, case, mailoutbox, django_capture_on_commit_callbacks):
    """The attorney asked to withdraw (through the page)."""
    Placement.objects.create(case=case, attorney=personas.attorney, how="board")
    ClientContactFactory(case=case, channel="in_person", note="Met at the clinic with her aunt")
    HoursEntryFactory(case=case)
    client.force_login(personas.attorney)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _request_url(case),
            {"withdrawal-reason": "I am leaving the firm at the end of the month."},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    client.logout()
    return WithdrawalRequest.objects.get(case=case)


def test_attorney_asks_to_withdraw_and_coordinators_are_told(personas, case, requested, mailoutbox):
    assert requested.attorney == personas.attorney
    assert requested.status == WithdrawalRequest.Status.PENDING
    assert requested.reason == "I am leaving the firm at the end of the month."
    case.refresh_from_db()
    assert case.attorney_of_record == personas.attorney  # nothing changes until approved
    assert [m.to for m in mailoutbox] == [[personas.coordinator.email]]
    assert mailoutbox[0].subject == f"{case.code}: the attorney asks to withdraw"
    assert "leaving the firm" not in mailoutbox[0].body
    assert case.client.family_names not in mailoutbox[0].body


def test_withdrawal_reason_is_encrypted_at_rest(requested):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM workspace_withdrawalrequest")
        (stored,) = cursor.fetchone()
    assert "leaving the firm" not in stored


def test_the_attorney_sees_the_request_waiting(client, personas, case, requested):
    client.force_login(personas.attorney)
    html = client.get(workspace_url(case)).content.decode()
    assert "is waiting for a coordinator" in html
    assert _request_url(case) not in html  # no second request


def test_a_second_request_is_refused(client, personas, case, requested):
    client.force_login(personas.attorney)
    response = client.post(_request_url(case), {"withdrawal-reason": "Again"})
    assert response.status_code == 422
    assert "Your withdrawal request is already waiting for a coordinator." in (
        response.content.decode()
    )
    assert WithdrawalRequest.objects.count() == 1


def test_a_withdrawal_needs_a_reason(client, personas, case):
    client.force_login(personas.attorney)
    response = client.post(_request_url(case), {"withdrawal-reason": "   "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not WithdrawalRequest.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "mentor", "partner", "other_attorney"])
def test_only_the_attorney_of_record_asks_to_withdraw(client, personas, case, persona):
    client.force_login(getattr(personas, persona))
    response = client.post(_request_url(case), {"withdrawal-reason": "No"})
    assert response.status_code == 404
    assert not WithdrawalRequest.objects.exists()


def test_coordinator_approves_the_case_goes_back_to_the_board_with_a_packet(
    client, personas, case, requested, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    client.force_login(personas.coordinator)
    page = client.get(workspace_url(case)).content.decode()
    assert "I am leaving the firm" in page  # coordinators read the reason
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _decide_url(case, requested), {"decision-decision": "approve"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert "back on the board" in response.content.decode()
    requested.refresh_from_db()
    assert requested.status == WithdrawalRequest.Status.APPROVED
    assert requested.decided_by == personas.coordinator
    case.refresh_from_db()
    assert case.attorney_of_record is None
    assert case.stage == Stage.READY
    # The history stays: the placement is ended with the reason, not deleted.
    placement = Placement.objects.get(case=case)
    assert placement.ended_at is not None
    assert placement.end_reason == "I am leaving the firm at the end of the month."
    packet = HandoffPacket.objects.get(case=case)
    assert packet.withdrawal_request == requested
    assert packet.former_attorney == personas.attorney
    data = packet.data
    assert data["facts"]["code"] == case.code
    assert [d["rule"] for d in data["deadlines"]].count("ICPM_PREHEARING") == 1
    assert len(data["milestones"]) == case.milestones.count()
    assert data["contacts"][0]["note"] == "Met at the clinic with her aunt"
    assert data["hearings"][0]["kind"] == "individual"
    assert data["documents"] == []
    # Encrypted at rest: the log's notes are in it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM workspace_handoffpacket")
        (stored,) = cursor.fetchone()
    assert "aunt" not in stored
    assert [m.to for m in mailoutbox] == [[personas.attorney.email]]
    assert mailoutbox[0].subject == f"{case.code}: your withdrawal was approved"


def test_coordinator_declines_the_attorney_stays(
    client, personas, case, requested, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _decide_url(case, requested),
            {"decision-decision": "decline", "decision-note": "Let us talk first: call me."},
        )
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.status == WithdrawalRequest.Status.DECLINED
    case.refresh_from_db()
    assert case.attorney_of_record == personas.attorney and case.stage == Stage.PLACED
    assert not HandoffPacket.objects.exists()
    assert mailoutbox[0].subject == f"{case.code}: your withdrawal was not approved"
    assert "call me" not in mailoutbox[0].body  # the note stays behind sign-in
    client.force_login(personas.attorney)
    html = client.get(workspace_url(case)).content.decode()
    assert "Let us talk first: call me." in html
    assert _request_url(case) in html  # may ask again


def test_decision_must_be_chosen(client, personas, case, requested):
    client.force_login(personas.coordinator)
    response = client.post(_decide_url(case, requested), {"decision-decision": "maybe"})
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    requested.refresh_from_db()
    assert requested.status == WithdrawalRequest.Status.PENDING


def test_a_decided_request_cannot_be_decided_again(client, personas, case, requested):
    client.force_login(personas.coordinator)
    client.post(_decide_url(case, requested), {"decision-decision": "decline"})
    response = client.post(_decide_url(case, requested), {"decision-decision": "approve"})
    assert response.status_code == 422
    assert "This request was already decided." in response.content.decode()
    case.refresh_from_db()
    assert case.attorney_of_record == personas.attorney


@pytest.mark.parametrize("persona", ["attorney", "program_admin", "mentor", "partner"])
def test_only_coordinators_decide(client, personas, case, requested, persona):
    client.force_login(getattr(personas, persona))
    response = client.post(_decide_url(case, requested), {"decision-decision": "approve"})
    assert response.status_code == 404
    requested.refresh_from_db()
    assert requested.status == WithdrawalRequest.Status.PENDING


def test_coordinators_list_of_pending_requests(client, personas, case, requested):
    client.force_login(personas.coordinator)
    html = client.get(reverse("workspace:withdrawal_list")).content.decode()
    assert case.code in html and personas.attorney.full_name in html
    client.force_login(personas.attorney)
    assert client.get(reverse("workspace:withdrawal_list")).status_code == 404


# --- the hand-off packet ----------------------------------------------------------------------


@pytest.fixture
def packet(client, personas, case, requested):
    client.force_login(personas.coordinator)
    client.post(_decide_url(case, requested), {"decision-decision": "approve"})
    client.logout()
    return HandoffPacket.objects.get()


def _packet_url(case, packet):
    return reverse("workspace:handoff", args=[case.code, packet.pk])


def test_the_next_attorney_reads_the_packet(client, personas, case, packet):
    case.refresh_from_db()
    case_place(case=case, attorney=personas.other_attorney, actor=personas.coordinator)
    client.force_login(personas.other_attorney)
    workspace = client.get(workspace_url(case)).content.decode()
    assert _packet_url(case, packet) in workspace
    response = client.get(_packet_url(case, packet))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hand-off packet" in html
    assert "Pre-hearing filing deadline" in html and "Feb. 17, 2026" in html
    assert "Mock hearing with the mentor" in html
    assert "Met at the clinic with her aunt" in html
    assert "In person" in html
    assert case.client.family_names not in html  # the identity stays in the file
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CLIENT_FILE_VIEWED).latest("id")
    assert event.actor == personas.other_attorney
    assert event.data["handoff_packet"] == packet.pk


def test_the_packet_in_spanish(client, personas, case, packet):
    personas.coordinator.language = "es"
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    html = client.get(_packet_url(case, packet)).content.decode()
    assert "Audiencia individual" in html
    assert "17 de febrero de 2026" in html
    assert "Simulacro de audiencia con el/la mentor/a" in html


@pytest.mark.parametrize(
    "persona", ["attorney", "mentor", "partner", "other_attorney", "other_partner"]
)
def test_the_packet_is_refused_to_everyone_else(client, personas, case, packet, persona):
    # The former attorney no longer holds the case; mentors and partners are not its readers.
    client.force_login(getattr(personas, persona))
    response = client.get(_packet_url(case, packet))
    assert response.status_code == 404
    assert "Met at the clinic" not in response.content.decode()


def test_the_packet_of_another_case_is_404(client, personas, case, packet):
    client.force_login(personas.coordinator)
    url = reverse("workspace:handoff", args=[personas.ready_case.code, packet.pk])
    assert client.get(url).status_code == 404


def test_the_packet_anonymous_is_sent_to_sign_in(client, case, packet):
    response = client.get(_packet_url(case, packet))
    assert response.status_code == 302
