"""Status-update requests: a coordinator asks one or many attorneys; each answers from the link
in the e-mail; who answered and who has not is tracked."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from amparo.cases.models import Stage
from amparo.workspace.models import StatusRequest, StatusRequestRecipient
from tests.factories import CaseFactory


@pytest.fixture
def holders(personas):
    """personas.attorney holds the placed case; other_attorney gets one too."""
    CaseFactory(stage=Stage.PLACED, attorney_of_record=personas.other_attorney)
    return [personas.attorney, personas.other_attorney]


@pytest.fixture
def sent(client, personas, holders, mailoutbox, django_capture_on_commit_callbacks):
    personas.other_attorney.language = "es"
    personas.other_attorney.save()
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:status_requests"),
            {
                "attorneys": [personas.attorney.pk, personas.other_attorney.pk],
                "message": "Where is AMP-26-0001 with the declaration?",
                "answer_by": "2026-01-12",
            },
        )
    assert response.status_code == 302
    client.logout()
    return StatusRequest.objects.get()


def test_coordinator_sends_a_request_and_each_attorney_is_emailed(personas, sent, mailoutbox):
    assert sent.sent_by == personas.coordinator
    assert {r.attorney for r in sent.recipients.all()} == {
        personas.attorney,
        personas.other_attorney,
    }
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [personas.attorney.email, personas.other_attorney.email]
    )
    english = next(m for m in mailoutbox if m.to == [personas.attorney.email])
    assert "Where is AMP-26-0001 with the declaration?" in english.body
    assert "Jan. 12, 2026" in english.body
    recipient = sent.recipients.get(attorney=personas.attorney)
    assert reverse("workspace:status_answer", args=[recipient.pk]) in english.body
    spanish = next(m for m in mailoutbox if m.to == [personas.other_attorney.email])
    assert "12 de enero de 2026" in spanish.body


def _answer_url(mail) -> str:
    return re.search(r"https?://\S+(/workspace/status-updates/\d+/)", mail.body).group(1)


def test_attorney_answers_from_the_link(client, personas, sent, mailoutbox):
    mail = next(m for m in mailoutbox if m.to == [personas.attorney.email])
    url = _answer_url(mail)
    client.force_login(personas.attorney)
    page = client.get(url)
    assert page.status_code == 200
    assert "Where is AMP-26-0001 with the declaration?" in page.content.decode()
    response = client.post(url, {"answer": "Second draft done; interpreter booked for the 9th."})
    assert response.status_code == 302
    recipient = StatusRequestRecipient.objects.get(attorney=personas.attorney)
    assert recipient.answered_at is not None
    assert recipient.answer == "Second draft done; interpreter booked for the 9th."
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answer FROM workspace_statusrequestrecipient WHERE id = %s", [recipient.pk]
        )
        (stored,) = cursor.fetchone()
    assert "interpreter" not in stored


def test_coordinator_sees_answers_and_who_has_not_answered(client, personas, sent):
    recipient = sent.recipients.get(attorney=personas.attorney)
    client.force_login(personas.attorney)
    client.post(
        reverse("workspace:status_answer", args=[recipient.pk]), {"answer": "All on track."}
    )
    client.force_login(personas.coordinator)
    response = client.get(reverse("workspace:status_request", args=[sent.pk]))
    waiting = [r.attorney for r in response.context["waiting"]]
    answered = [r.attorney for r in response.context["answered"]]
    assert waiting == [personas.other_attorney]
    assert answered == [personas.attorney]
    html = response.content.decode()
    assert "All on track." in html
    listing = client.get(reverse("workspace:status_requests")).content.decode()
    assert "1 of 2" in listing


def test_an_empty_answer_is_refused(client, personas, sent):
    recipient = sent.recipients.get(attorney=personas.attorney)
    client.force_login(personas.attorney)
    response = client.post(reverse("workspace:status_answer", args=[recipient.pk]), {"answer": " "})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.answered_at is None


@pytest.mark.parametrize("persona", ["other_attorney", "coordinator", "mentor", "partner"])
def test_only_the_recipient_answers(client, personas, sent, persona):
    recipient = sent.recipients.get(attorney=personas.attorney)
    client.force_login(getattr(personas, persona))
    url = reverse("workspace:status_answer", args=[recipient.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "Hijacked"}).status_code == 404
    recipient.refresh_from_db()
    assert recipient.answer == ""


def test_the_answer_link_needs_sign_in(client, personas, sent):
    recipient = sent.recipients.get(attorney=personas.attorney)
    response = client.get(reverse("workspace:status_answer", args=[recipient.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_attorney_lists_the_requests_asked_of_them(client, personas, sent):
    client.force_login(personas.attorney)
    response = client.get(reverse("workspace:status_updates"))
    assert response.status_code == 200
    recipient = sent.recipients.get(attorney=personas.attorney)
    assert reverse("workspace:status_answer", args=[recipient.pk]) in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"attorneys": [], "message": "Status?"}, "Choose at least one attorney."),
        ({"attorneys": ["999999"], "message": "Status?"}, "Choose attorneys from the list."),
        ({"attorneys": ["mentor"], "message": "Status?"}, "Choose attorneys from the list."),
        # An attorney without a case is not offered.
        ({"attorneys": ["unverified_attorney"], "message": "Status?"}, "Choose attorneys from"),
        ({"attorneys": ["attorney"], "message": ""}, "This field is required."),
        (
            {"attorneys": ["attorney"], "message": "Status?", "answer_by": "2026-01-01"},
            "The answer date cannot be in the past.",
        ),
    ],
)
def test_a_bad_request_is_explained_and_nothing_is_sent(
    client, personas, holders, mailoutbox, django_capture_on_commit_callbacks, data, message
):
    data = dict(data)
    data["attorneys"] = [
        getattr(personas, a).pk if hasattr(personas, a) else a for a in data["attorneys"]
    ]
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workspace:status_requests"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not StatusRequest.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("persona", ["attorney", "mentor", "partner"])
def test_only_staff_send_requests(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("workspace:status_requests")).status_code == 404
    response = client.post(
        reverse("workspace:status_requests"),
        {"attorneys": [personas.attorney.pk], "message": "Status?"},
    )
    assert response.status_code == 404
    assert not StatusRequest.objects.exists()


def test_status_request_pages_in_spanish(client, personas, sent):
    personas.attorney.language = "es"
    personas.attorney.save()
    recipient = sent.recipients.get(attorney=personas.attorney)
    client.force_login(personas.attorney)
    response = client.post(reverse("workspace:status_answer", args=[recipient.pk]), {"answer": ""})
    assert "Este campo es obligatorio." in response.content.decode()


def test_ask_every_attorney_who_holds_a_case_at_once(
    client, personas, holders, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:status_requests"), {"everyone": "on", "message": "Status?"}
        )
    assert response.status_code == 302
    asked = {r.attorney for r in StatusRequestRecipient.objects.all()}
    assert asked == set(holders)  # not the attorneys without a case
    assert len(mailoutbox) == 2
