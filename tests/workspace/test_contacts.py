"""The client communication log, and the warning when the individual hearing is within 14 days
with no in-person meeting (or detention visit) logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from amparo.cases.models import Hearing
from amparo.core.models import AuditEvent
from amparo.workspace.models import ClientContact
from amparo.workspace.selectors import in_person_meeting_missing
from tests.factories import ClientContactFactory
from tests.workspace.conftest import TODAY, at_court, workspace_url

WARNING = "Meet the client in person before the individual hearing."


def _contact_data(**overrides):
    data = {
        "contact-contacted_on": "2026-01-02",
        "contact-channel": "whatsapp",
        "contact-direction": "from_client",
        "contact-language": "quc",
        "contact-with_interpreter": "on",
        "contact-note": "Asked about the next hearing; sent the address of the court.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def hearing_soon(case):
    """The individual hearing moved to 10 days from today (the warning window is 14 days)."""
    hearing = case.hearings.get()
    hearing.starts_at = at_court(TODAY + dt.timedelta(days=10))
    hearing.save()
    return hearing


def test_log_a_contact(client, personas, case):
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:contact_add", args=[case.code]), _contact_data(), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    contact = ClientContact.objects.get(case=case)
    assert contact.contacted_on == dt.date(2026, 1, 2)
    assert contact.channel == "whatsapp" and contact.direction == "from_client"
    assert contact.language == "quc" and contact.with_interpreter
    assert contact.logged_by == personas.attorney
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="my-4" id="contacts"')
    assert "K&#x27;iche&#x27;" in html or "K'iche'" in html
    assert "sent the address of the court" in html
    assert AuditEvent.objects.filter(data__client_contact_logged=contact.pk).exists()
    # The fragment shows the log's notes: an audited read of the file, once.
    viewed = AuditEvent.objects.get(action=AuditEvent.Action.CLIENT_FILE_VIEWED)
    assert (viewed.actor, viewed.object_id) == (personas.attorney, str(case.pk))
    assert viewed.data["case_code"] == case.code


def test_contact_note_is_encrypted_at_rest(personas, case):
    ClientContactFactory(case=case, note="Lives with her aunt now")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM workspace_clientcontact")
        (stored,) = cursor.fetchone()
    assert "aunt" not in stored
    assert ClientContact.objects.get().note == "Lives with her aunt now"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contact-contacted_on": "2026-01-06"}, "A contact cannot be in the future."),
        ({"contact-contacted_on": "not a date"}, "Enter a valid date."),
        ({"contact-contacted_on": ""}, "This field is required."),
        ({"contact-channel": "carrier_pigeon"}, "Select a valid choice."),
        ({"contact-direction": ""}, "This field is required."),
        ({"contact-language": "xx"}, "Select a valid choice."),
        ({"contact-note": "x" * 1001}, "Ensure this value has at most 1000 characters"),
    ],
)
def test_contact_bad_input_is_explained_and_saves_nothing(
    client, personas, case, overrides, message
):
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:contact_add", args=[case.code]),
        _contact_data(**overrides),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ClientContact.objects.exists()


def test_contact_error_in_spanish(client, personas, case):
    personas.attorney.language = "es"
    personas.attorney.save()
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:contact_add", args=[case.code]),
        _contact_data(**{"contact-contacted_on": ""}),
    )
    assert response.status_code == 422
    assert "Este campo es obligatorio." in response.content.decode()


@pytest.mark.parametrize("persona", ["mentor", "partner", "other_attorney", "other_mentor"])
def test_contact_logging_refused_to_readers_and_strangers(client, personas, case, persona):
    client.force_login(getattr(personas, persona))
    response = client.post(reverse("workspace:contact_add", args=[case.code]), _contact_data())
    assert response.status_code == 404
    assert not ClientContact.objects.exists()


def test_coordinator_can_log_a_contact(client, personas, case):
    client.force_login(personas.coordinator)
    response = client.post(reverse("workspace:contact_add", args=[case.code]), _contact_data())
    assert response.status_code == 302
    assert ClientContact.objects.get().logged_by == personas.coordinator


# --- the in-person warning --------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["attorney", "mentor"])
def test_warning_when_the_individual_hearing_is_near_and_no_in_person_meeting(
    client, personas, case, hearing_soon, persona
):
    ClientContactFactory(case=case, channel="phone")
    ClientContactFactory(case=case, channel="video")
    client.force_login(getattr(personas, persona))
    html = client.get(workspace_url(case)).content.decode()
    assert WARNING in html
    assert "Jan. 15, 2026" in html  # the hearing's date, in the warning


@pytest.mark.parametrize("channel", ["in_person", "detention_visit"])
def test_no_warning_once_an_in_person_meeting_is_logged(
    client, personas, case, hearing_soon, channel
):
    ClientContactFactory(case=case, channel=channel)
    client.force_login(personas.attorney)
    assert WARNING not in client.get(workspace_url(case)).content.decode()


def test_no_warning_when_the_individual_hearing_is_more_than_14_days_away(client, personas, case):
    client.force_login(personas.attorney)
    assert WARNING not in client.get(workspace_url(case)).content.decode()  # 16 March


def test_the_warning_window_is_14_days(personas, case):
    hearing = case.hearings.get()
    for days, warned in ((0, True), (14, True), (15, False), (-1, False)):
        hearing.starts_at = at_court(TODAY + dt.timedelta(days=days))
        assert (
            bool(in_person_meeting_missing(case=case, hearings=[hearing], contacts=[], today=TODAY))
            is warned
        ), days


def test_no_warning_for_a_master_calendar_hearing(personas, case):
    master = Hearing(case=case, kind="master", starts_at=at_court(TODAY + dt.timedelta(days=5)))
    assert in_person_meeting_missing(case=case, hearings=[master], contacts=[], today=TODAY) is None


def test_logging_an_in_person_meeting_by_htmx_clears_the_warning(
    client, personas, case, hearing_soon
):
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:contact_add", args=[case.code]),
        _contact_data(**{"contact-channel": "in_person"}),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    # The warning at the top of the page is replaced out of band, empty now.
    assert '<div id="in-person-warning" hx-swap-oob="true">' in html
    assert WARNING not in html
