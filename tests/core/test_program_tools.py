"""The staff's program tools page: each role sees the tools its policy allows, and every link
opens."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("persona", "expected", "absent"),
    [
        ("coordinator", ["Volunteers to verify", "Certificates to review"], ["Mentor statements"]),
        ("program_admin", ["Mentor statements", "Funding sources"], ["Volunteers to verify"]),
    ],
)
def test_staff_see_their_tools_and_every_link_opens(client, personas, persona, expected, absent):
    user = getattr(personas, persona)
    client.force_login(user)
    response = client.get(reverse("program_tools"))
    assert response.status_code == 200
    html = response.content.decode()
    for label in expected:
        assert label in html
    for label in absent:
        assert label not in html
    for group in response.context["groups"]:
        for link in group[1]:
            assert client.get(link["url"]).status_code == 200, link["url"]


@pytest.mark.parametrize("persona", ["attorney", "mentor"])
def test_no_tools_page_for_volunteers(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("program_tools")).status_code == 404
