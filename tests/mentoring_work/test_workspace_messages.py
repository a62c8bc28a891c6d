"""The case workspace shows the mentorship's messages still waiting for the mentee's reply, to the
mentorship's people only."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from amparo.mentoring_work.services import message_send


def test_workspace_lists_waiting_messages_and_the_overdue_badge(client, personas, mentorship):
    message_send(mentorship=mentorship, author=personas.mentor, body="Please send the draft.")
    url = reverse("workspace:case", args=[mentorship.case.code])
    client.force_login(personas.attorney)
    html = client.get(url).content.decode()
    assert "Mentoring messages" in html and personas.mentor.full_name in html
    assert "Reply overdue" not in html
    with time_machine.travel(dt.timedelta(days=7)):
        client.force_login(personas.attorney)
        assert "Reply overdue" in client.get(url).content.decode()
    # The attorney answers: nothing is waiting any more.
    message_send(mentorship=mentorship, author=personas.attorney, body="Sent.")
    assert "No message is waiting for a reply." in client.get(url).content.decode()


def test_workspace_hides_the_messages_from_who_is_not_in_the_mentorship(
    client, personas, mentorship
):
    message_send(mentorship=mentorship, author=personas.mentor, body="Please send the draft.")
    client.force_login(personas.partner)
    response = client.get(reverse("workspace:case", args=[mentorship.case.code]))
    assert response.status_code == 200  # the placing partner reads the workspace...
    assert "Mentoring messages" not in response.content.decode()  # ...not the mentoring
