"""Every page and action of the workspace asks the policy: signed out -> sign-in; a person who
has nothing to do with the case -> 404, and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.cases.models import Hearing
from amparo.core.models import AuditEvent
from amparo.workspace.models import (
    HandoffPacket,
    StatusRequest,
    StatusRequestRecipient,
    WithdrawalRequest,
)
from tests.factories import HoursEntryFactory


@pytest.fixture
def urls(personas, case):
    """Every case-scoped URL of the workspace, with real objects of the case behind it."""
    hearing = case.hearings.get()
    milestone = case.milestones.first()
    entry = HoursEntryFactory(case=case)
    withdrawal = WithdrawalRequest.objects.create(
        case=case, attorney=personas.attorney, reason="Moving away"
    )
    packet = HandoffPacket.objects.create(
        case=case, former_attorney=personas.other_attorney, content='{"facts": {}}'
    )
    code = case.code
    return {
        "case": reverse("workspace:case", args=[code]),
        "hearing_add": reverse("workspace:hearing_add", args=[code]),
        "hearing_reschedule": reverse("workspace:hearing_reschedule", args=[code, hearing.pk]),
        "hearing_outcome": reverse("workspace:hearing_outcome", args=[code, hearing.pk]),
        "milestone_status": reverse("workspace:milestone_status", args=[code, milestone.pk]),
        "contact_add": reverse("workspace:contact_add", args=[code]),
        "hours_add": reverse("workspace:hours_add", args=[code]),
        "hours_delete": reverse("workspace:hours_delete", args=[code, entry.pk]),
        "outcome": reverse("workspace:outcome", args=[code]),
        "close": reverse("workspace:close", args=[code]),
        "withdrawal_request": reverse("workspace:withdrawal_request", args=[code]),
        "withdrawal_decide": reverse("workspace:withdrawal_decide", args=[code, withdrawal.pk]),
        "handoff": reverse("workspace:handoff", args=[code, packet.pk]),
    }


def _snapshot(case):
    return (
        Hearing.objects.filter(case=case).count(),
        case.client_contacts.count(),
        case.hours.count(),
        WithdrawalRequest.objects.filter(status="pending").count(),
        HandoffPacket.objects.count(),
    )


def test_signed_out_every_workspace_url_sends_to_sign_in(client, case, urls):
    before = _snapshot(case)
    for name, url in urls.items():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (name, method)
            assert reverse("account_login") in response["Location"], (name, method)
    assert _snapshot(case) == before


@pytest.mark.parametrize(
    "persona", ["other_attorney", "unverified_attorney", "other_mentor", "other_partner"]
)
def test_strangers_get_404_everywhere_and_nothing_changes(client, personas, case, urls, persona):
    before = _snapshot(case)
    client.force_login(getattr(personas, persona))
    for name, url in urls.items():
        for method in ("get", "post"):
            response = getattr(client, method)(
                url, {"status": "done"} if method == "post" else None
            )
            assert response.status_code in (404, 405), (name, method, response.status_code)
            assert case.client.full_name not in response.content.decode(), name
    assert _snapshot(case) == before
    assert not AuditEvent.objects.filter(actor=getattr(personas, persona)).exists()


def test_status_request_pages_by_role(client, personas):
    request = StatusRequest.objects.create(sent_by=personas.coordinator, message="Status?")
    recipient = StatusRequestRecipient.objects.create(
        status_request=request, attorney=personas.attorney
    )
    pages = {
        "workspace:status_requests": [],
        "workspace:status_request": [request.pk],
        "workspace:withdrawal_list": [],
    }
    for persona, allowed in (
        ("coordinator", True),
        ("attorney", False),
        ("mentor", False),
        ("partner", False),
    ):
        client.force_login(getattr(personas, persona))
        for name, args in pages.items():
            status = client.get(reverse(name, args=args)).status_code
            assert status == (200 if allowed else 404), (persona, name, status)
    # Program admins send status requests too; withdrawals are the coordinators' to decide.
    client.force_login(personas.program_admin)
    assert client.get(reverse("workspace:status_requests")).status_code == 200
    assert client.get(reverse("workspace:withdrawal_list")).status_code == 404
    # An attorney's own list and answer page.
    client.force_login(personas.attorney)
    assert client.get(reverse("workspace:status_updates")).status_code == 200
    assert client.get(reverse("workspace:status_answer", args=[recipient.pk])).status_code == 200
    for persona in ("coordinator", "mentor", "partner"):
        client.force_login(getattr(personas, persona))
        assert client.get(reverse("workspace:status_updates")).status_code == 404
