"""Partner inquiries: a nonprofit asks to place cases or mentorship requests in bulk, program
staff are e-mailed and follow up on a list with a status and a note."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from amparo.accounts.models import Role
from amparo.public import services
from amparo.public.models import PartnerInquiry
from tests.factories import PartnerInquiryFactory, UserFactory

PARTNERS = reverse("public:partners")
THANKS = reverse("public:partners_thanks")
INQUIRIES = reverse("public:inquiry_list")
START = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)


def inquiry_data(**changes):
    data = {
        "organization_name": "Bay Area Refugee Aid",
        "contact_name": "Ana Torres",
        "email": "ana@refugee-aid.example.org",
        "phone": "(415) 555-0142",
        "wants": "both",
        "approximate_number": "25",
        "message": "Families in Otay Mesa with hearings in May.",
        "website": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("language", ["en", "es"])
def test_partners_page_in_each_language(client, db, language):
    response = client.get(PARTNERS, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert gettext("Nonprofits: place cases with us") in html
        assert gettext("Place cases with volunteer attorneys") in html
    assert 'name="website"' in html


def test_inquiry_is_saved_encrypted_and_staff_are_emailed_in_their_language(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    personas.program_admin.language = "es"
    personas.program_admin.save()
    UserFactory(role=Role.COORDINATOR, email="gone@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PARTNERS, inquiry_data(), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert response["Location"] == THANKS
    inquiry = PartnerInquiry.objects.get()
    assert inquiry.organization_name == "Bay Area Refugee Aid"
    assert inquiry.contact_name == "Ana Torres"
    assert inquiry.email == "ana@refugee-aid.example.org"
    assert inquiry.phone == "(415) 555-0142"
    assert inquiry.wants == PartnerInquiry.Wants.BOTH
    assert inquiry.approximate_number == 25
    assert inquiry.language == "es"
    assert inquiry.status == PartnerInquiry.Status.NEW
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, email, phone, message FROM public_partnerinquiry WHERE id = %s",
            [inquiry.pk],
        )
        stored = " ".join(cursor.fetchone())
    for secret in ("Ana Torres", "ana@refugee-aid", "555-0142", "Otay Mesa"):
        assert secret not in stored
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {"coord@example.org", "padmin@example.org"}
    with translation.override("es"):
        spanish_subject = gettext("New partner inquiry: %(organization)s") % {
            "organization": "Bay Area Refugee Aid"
        }
    assert by_recipient["padmin@example.org"].subject == spanish_subject
    english = by_recipient["coord@example.org"]
    assert english.subject == "New partner inquiry: Bay Area Refugee Aid"
    assert reverse("public:inquiry_detail", args=[inquiry.pk]) in english.body
    # The contact's details stay behind the sign-in.
    for secret in ("ana@refugee-aid", "555-0142", "Otay Mesa"):
        assert secret not in english.body
    assert "Thank you for your request" in client.get(THANKS).content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organization_name": "  "}, "organization_name"),
        ({"contact_name": ""}, "contact_name"),
        ({"email": "not-an-address"}, "email"),
        ({"wants": "money"}, "wants"),
        ({"approximate_number": "0"}, "approximate_number"),
        ({"approximate_number": "lots"}, "approximate_number"),
        ({"approximate_number": "1000000"}, "approximate_number"),
        ({"phone": "5" * 41}, "phone"),
        ({"message": "x" * 5001}, "message"),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(
    client, personas, mailoutbox, django_capture_on_commit_callbacks, changes, field
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PARTNERS, inquiry_data(**changes))
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    assert PartnerInquiry.objects.count() == 0
    assert mailoutbox == []


def test_bad_input_is_explained_in_spanish(client, db):
    response = client.post(
        PARTNERS, inquiry_data(approximate_number="lots"), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 422
    with translation.override("es"):
        assert gettext("Enter a whole number, for example 10.") in response.content.decode()


def test_service_checks_again_what_the_form_checks(db):
    with pytest.raises(ValidationError) as raised:
        services.partner_inquiry_create(
            organization_name="x" * 201,
            contact_name=" ",
            email="nope",
            phone="",
            wants="other",
            approximate_number=0,
            message="",
            language="fr",
        )
    assert set(raised.value.message_dict) == {
        "organization_name",
        "contact_name",
        "email",
        "wants",
        "approximate_number",
    }
    assert PartnerInquiry.objects.count() == 0


def test_honeypot_answers_like_a_success_and_saves_nothing(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PARTNERS, inquiry_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == THANKS
    assert PartnerInquiry.objects.count() == 0
    assert mailoutbox == []


def test_rate_limit_per_address(client, db):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            response = client.post(PARTNERS, inquiry_data(), REMOTE_ADDR="203.0.113.9")
            assert response.status_code == 302
        response = client.post(PARTNERS, inquiry_data(), REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 429
        assert "Too many submissions" in response.content.decode()
        assert PartnerInquiry.objects.count() == 5
        other = client.post(PARTNERS, inquiry_data(), REMOTE_ADDR="198.51.100.4")
        assert other.status_code == 302
    with time_machine.travel(START + dt.timedelta(hours=1, minutes=1), tick=False):
        assert client.post(PARTNERS, inquiry_data(), REMOTE_ADDR="203.0.113.9").status_code == 302


def test_the_forms_count_apart(client, db):
    """Five newsletter sign-ups do not use up the partner form's allowance."""
    for n in range(5):
        client.post(reverse("public:newsletter"), {"email": f"r{n}@example.org", "language": "en"})
    assert client.post(PARTNERS, inquiry_data()).status_code == 302


# --- the staff's list ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("program_admin", 200),
        ("attorney", 404),
        ("unverified_attorney", 404),
        ("mentor", 404),
        ("partner", 404),
        ("other_partner", 404),
    ],
)
def test_inquiries_by_role(client, personas, persona, status):
    inquiry = PartnerInquiryFactory(contact_name="Ana Torres")
    client.force_login(getattr(personas, persona))
    for url in (INQUIRIES, reverse("public:inquiry_detail", args=[inquiry.pk])):
        response = client.get(url)
        assert response.status_code == status, url
        assert ("Ana Torres" in response.content.decode()) is (status == 200)
    response = client.post(
        reverse("public:inquiry_detail", args=[inquiry.pk]), {"status": "declined", "note": ""}
    )
    assert response.status_code == (302 if status == 200 else 404)


def test_inquiries_need_sign_in(client, db):
    inquiry = PartnerInquiryFactory()
    for url in (INQUIRIES, reverse("public:inquiry_detail", args=[inquiry.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_staff_without_two_factor_are_refused(client, db):
    coordinator = UserFactory(role=Role.COORDINATOR)  # no TOTP enrolled
    client.force_login(coordinator)
    response = client.get(INQUIRIES)
    assert response.status_code in (302, 404)
    assert "Refugee Aid" not in response.content.decode()


def test_inquiry_list_filters_by_status_and_shows_counts(client, personas):
    PartnerInquiryFactory(organization_name="New Org")
    PartnerInquiryFactory(organization_name="Talked Org", status="contacted")
    client.force_login(personas.coordinator)
    html = client.get(INQUIRIES + "?status=contacted").content.decode()
    assert "Talked Org" in html and "New Org" not in html
    all_html = client.get(INQUIRIES + "?status=nonsense").content.decode()
    assert "Talked Org" in all_html and "New Org" in all_html
    assert "(2)" in all_html


def test_inquiry_list_query_count_does_not_grow(client, personas, django_assert_max_num_queries):
    def queries() -> int:
        with django_assert_max_num_queries(12) as captured:
            assert client.get(INQUIRIES).status_code == 200
        return len(captured.captured_queries)

    client.force_login(personas.coordinator)
    PartnerInquiryFactory.create_batch(
        2, status="contacted", status_changed_by=personas.coordinator
    )
    few = queries()
    PartnerInquiryFactory.create_batch(
        30, status="contacted", status_changed_by=personas.program_admin
    )
    many = queries()
    assert many == few


def test_staff_record_status_and_note(client, personas):
    inquiry = PartnerInquiryFactory()
    url = reverse("public:inquiry_detail", args=[inquiry.pk])
    client.force_login(personas.program_admin)
    response = client.post(
        url, {"status": "contacted", "note": "  Called Ana; they send 25 cases in May. "}
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "contacted"
    assert inquiry.staff_note == "Called Ana; they send 25 cases in May."
    assert inquiry.status_changed_by == personas.program_admin
    assert inquiry.status_changed_at is not None
    changed_at = inquiry.status_changed_at
    # A note alone changes the note, not who changed the status.
    client.force_login(personas.coordinator)
    client.post(url, {"status": "contacted", "note": "Partner account next week."})
    inquiry.refresh_from_db()
    assert inquiry.staff_note == "Partner account next week."
    assert inquiry.status_changed_by == personas.program_admin
    assert inquiry.status_changed_at == changed_at
    page = client.get(url).content.decode()
    assert "Partner account next week." in page
    client.post(url, {"status": "partner_created", "note": ""})
    inquiry.refresh_from_db()
    assert inquiry.status == "partner_created"
    assert inquiry.status_changed_by == personas.coordinator


def test_bad_status_is_explained_and_changes_nothing(client, personas):
    inquiry = PartnerInquiryFactory(staff_note="Keep me")
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("public:inquiry_detail", args=[inquiry.pk]), {"status": "won", "note": "x"}
    )
    assert response.status_code == 422
    assert 'id="id_status_error"' in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == "new"
    assert inquiry.staff_note == "Keep me"


def test_missing_inquiry_answers_404(client, personas):
    client.force_login(personas.coordinator)
    assert client.get(reverse("public:inquiry_detail", args=[999999])).status_code == 404
