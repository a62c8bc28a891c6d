"""The public volunteer sign-up at /join/: rows written in one go, errors that save nothing,
the coordinators' notice, spam defences, both languages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from amparo.accounts.models import Role, User
from amparo.people.models import AttorneyProfile, BarAdmission, Organization
from tests.factories import BarAdmissionFactory, OrganizationFactory, UserFactory
from tests.people.data import signup_data

JOIN = "/join/"


def _nothing_saved(email: str = "ana.solis@baylaw.example") -> bool:
    return not (
        User.objects.filter(email__iexact=email).exists()
        or AttorneyProfile.objects.filter(user__email__iexact=email).exists()
        or BarAdmission.objects.filter(bar_number="301234").exists()
        or Organization.objects.filter(name="Bay Law LLP").exists()
    )


def test_join_url_name_and_page(client, db):
    assert reverse("people:join") == JOIN
    response = client.get(JOIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Become a pro bono partner" in html
    assert 'for="id_admissions-0-bar_number"' in html
    assert 'for="id_admissions-2-bar_number"' in html  # three rows
    assert "cannot provide malpractice insurance" in html
    # The honeypot is hidden from people, keyboards and autofill.
    assert 'class="visually-hidden" aria-hidden="true"' in html
    assert 'name="website" tabindex="-1" autocomplete="off"' in html


def test_join_page_in_spanish(client, db):
    html = client.get(JOIN, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in html
    assert "Colegiaturas" in html


def test_join_creates_pending_attorney_in_one_go(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(JOIN, signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("people:join_thanks")

    user = User.objects.get(email="ana.solis@baylaw.example")
    assert user.role == Role.ATTORNEY
    assert user.full_name == "Ana María Solís"
    assert not user.has_usable_password()
    assert user.language == "en"
    profile = user.attorney_profile
    assert profile.verification_status == AttorneyProfile.Verification.PENDING
    assert profile.firm.name == "Bay Law LLP"
    assert profile.firm.kind == Organization.Kind.LAW_FIRM
    assert profile.languages == ["en", "es"]
    assert profile.interests == ["asylum", "children"]
    assert profile.capacity == 2
    assert profile.malpractice_coverage is True
    assert profile.consented_at is not None
    assert [(a.state, a.bar_number, a.year_admitted) for a in profile.bar_admissions.all()] == [
        ("CA", "301234", 2015)
    ]

    # The coordinator hears of it: a volunteer's name, a link to the queue.
    assert [m.to for m in mailoutbox] == [["coord@example.org"]]
    notice = mailoutbox[0]
    assert "Ana María Solís" in notice.subject
    assert "/volunteers/verify/" in notice.body
    assert f"/volunteers/{profile.pk}/" in notice.body
    assert "CA #301234 (2015)" in notice.body


def test_join_thank_you_page_says_a_coordinator_verifies(client, db):
    html = client.get(reverse("people:join_thanks")).content.decode()
    assert "A coordinator will verify your bar standing" in html


def test_join_user_language_follows_the_site_language(client, db):
    client.cookies["django_language"] = "es"
    response = client.post(JOIN, signup_data())
    assert response.status_code == 302
    assert User.objects.get(email="ana.solis@baylaw.example").language == "es"


def test_join_finds_existing_law_firm_by_name_in_any_case(client, db):
    firm = OrganizationFactory(name="Bay Law LLP", kind=Organization.Kind.LAW_FIRM)
    client.post(JOIN, signup_data(firm_name="  bay law   llp "))
    assert AttorneyProfile.objects.get().firm == firm
    assert Organization.objects.filter(kind=Organization.Kind.LAW_FIRM).count() == 1


def test_join_several_admissions_and_no_firm(client, db):
    data = signup_data(
        firm_name="",
        admissions=[("CA", "301234", "2015"), ("", "", ""), ("NY", "5512345", "2012")],
    )
    assert client.post(JOIN, data).status_code == 302
    profile = AttorneyProfile.objects.get()
    assert profile.firm is None
    assert sorted(profile.bar_admissions.values_list("state", flat=True)) == ["CA", "NY"]


def test_join_duplicate_email_saves_nothing(client, db):
    UserFactory(email="ana.solis@baylaw.example")
    response = client.post(JOIN, signup_data(email="Ana.Solis@BayLaw.example"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "An account with this e-mail already exists." in html
    assert 'aria-describedby="id_email_error"' in html
    assert 'id="id_email_error"' in html
    assert AttorneyProfile.objects.count() == 0
    assert BarAdmission.objects.count() == 0
    assert not Organization.objects.filter(name="Bay Law LLP").exists()


def test_join_duplicate_email_error_in_spanish(client, db):
    UserFactory(email="ana.solis@baylaw.example")
    response = client.post(JOIN, signup_data(), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 422
    assert "Ya existe una cuenta con este correo electrónico." in response.content.decode()


def test_join_bar_number_claimed_in_the_same_state_saves_nothing(client, db):
    BarAdmissionFactory(state="CA", bar_number="301234")
    response = client.post(JOIN, signup_data(admissions=[("CA", "301 234", "2015")]))
    assert response.status_code == 422
    html = response.content.decode()
    assert "This bar number is already registered to another attorney in this state." in html
    assert 'id="id_admissions-0-bar_number_error"' in html
    assert not User.objects.filter(email="ana.solis@baylaw.example").exists()
    assert AttorneyProfile.objects.count() == 1  # the other attorney's
    assert BarAdmission.objects.count() == 1
    assert not Organization.objects.filter(name="Bay Law LLP").exists()


def test_join_same_bar_number_in_another_state_is_fine(client, db):
    BarAdmissionFactory(state="NY", bar_number="301234")
    assert client.post(JOIN, signup_data()).status_code == 302


def test_join_same_admission_twice_saves_nothing(client, db):
    data = signup_data(admissions=[("CA", "301234", "2015"), ("CA", "301234", "2015")])
    response = client.post(JOIN, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "You entered this bar admission twice." in html
    assert 'id="id_admissions-1-bar_number_error"' in html
    assert _nothing_saved()


def test_join_without_admissions_saves_nothing(client, db):
    response = client.post(JOIN, signup_data(admissions=[]))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter at least one bar admission." in html
    assert 'id="id_admissions-0-state_error"' in html
    assert _nothing_saved()


def test_join_without_admissions_in_spanish(client, db):
    response = client.post(JOIN, signup_data(admissions=[]), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 422
    assert "Ingrese al menos una colegiatura." in response.content.decode()
    assert _nothing_saved()


def test_join_half_filled_admission_row_needs_every_field(client, db):
    data = signup_data(admissions=[("CA", "301234", "2015"), ("NY", "", "")])
    response = client.post(JOIN, data)
    assert response.status_code == 422
    assert 'id="id_admissions-1-bar_number_error"' in response.content.decode()
    assert _nothing_saved()


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1939", "Enter a year from 1940 on."),
        (str(dt.date.today().year + 1), "The year of admission cannot be in the future."),
    ],
)
def test_join_admission_year_out_of_range_saves_nothing(client, db, year, message):
    response = client.post(JOIN, signup_data(admissions=[("CA", "301234", year)]))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'id="id_admissions-0-year_admitted_error"' in html
    assert _nothing_saved()


def test_join_future_year_in_spanish(client, db):
    future = str(dt.date.today().year + 1)
    response = client.post(
        JOIN, signup_data(admissions=[("CA", "301234", future)]), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 422
    assert "El año de admisión no puede ser posterior al año en curso." in response.content.decode()
    assert _nothing_saved()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("consent", "", "Your consent is needed to sign up."),
        ("capacity", "11", "Ensure this value is less than or equal to 10."),
        ("capacity", "0", "Ensure this value is greater than or equal to 1."),
        ("languages", [], "Choose at least one language."),
        ("malpractice_coverage", "", "Answer yes or no."),
        ("email", "not-an-address", "Enter a valid email address."),
    ],
)
def test_join_other_field_errors_save_nothing(client, db, field, value, message):
    data = signup_data(**{field: value})
    if value == "":
        data.pop(field)
    response = client.post(JOIN, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert _nothing_saved(data.get("email", "ana.solis@baylaw.example"))


def test_join_firm_name_of_a_partner_organization_is_refused(client, db):
    OrganizationFactory(name="Bay Law LLP", kind=Organization.Kind.PARTNER)
    response = client.post(JOIN, signup_data())
    assert response.status_code == 422
    assert "This name belongs to an organization that is not a law firm." in (
        response.content.decode()
    )
    assert not User.objects.filter(email="ana.solis@baylaw.example").exists()


def test_join_errors_keep_what_was_typed(client, db):
    html = client.post(JOIN, signup_data(admissions=[])).content.decode()
    assert 'value="Ana María Solís"' in html
    assert 'value="es" class="form-check-input" id="id_languages_1" checked' in html


def test_join_add_row_keeps_the_form_and_saves_nothing(client, db):
    data = signup_data(add_admission="1")
    response = client.post(JOIN, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="admissions-TOTAL_FORMS" value="4"' in html
    assert 'id="id_admissions-3-bar_number"' in html
    assert 'value="301234"' in html and 'value="Ana María Solís"' in html
    assert "is-invalid" not in html
    assert _nothing_saved()
    # The extra rows stay optional when the form is sent.
    data.pop("add_admission")
    data["admissions-TOTAL_FORMS"] = "4"
    data.update(
        {"admissions-3-state": "", "admissions-3-bar_number": "", "admissions-3-year_admitted": ""}
    )
    assert client.post(JOIN, data).status_code == 302


def test_join_honeypot_pretends_success_and_saves_nothing(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(JOIN, signup_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:join_thanks")
    assert User.objects.count() == users
    assert _nothing_saved()
    assert mailoutbox == []


def test_join_rate_limit_per_address(client, db):
    spam = signup_data(website="http://spam.example")
    for _ in range(5):
        assert client.post(JOIN, spam, REMOTE_ADDR="203.0.113.7").status_code == 302
    response = client.post(JOIN, signup_data(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert _nothing_saved()
    # Another address is not affected.
    assert client.post(JOIN, signup_data(), REMOTE_ADDR="198.51.100.4").status_code == 302


def test_join_rate_limit_counts_failed_submissions_too(client, db):
    for _ in range(5):
        assert client.post(JOIN, signup_data(admissions=[])).status_code == 422
    assert client.post(JOIN, signup_data()).status_code == 429


def test_join_rate_limit_window_ends(client, db):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(5):
            client.post(JOIN, signup_data(admissions=[]))
        assert client.post(JOIN, signup_data()).status_code == 429
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 1, tzinfo=dt.UTC), tick=False):
        assert client.post(JOIN, signup_data()).status_code == 302


def test_join_coordinator_notice_in_the_coordinators_language(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(role=Role.COORDINATOR, email="coord-es@example.org", language="es")
    UserFactory(role=Role.COORDINATOR, email="gone@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(JOIN, signup_data())
    assert [m.to for m in mailoutbox] == [["coord-es@example.org"]]
    assert mailoutbox[0].subject.startswith("Nuevo/a abogado/a voluntario/a por verificar")
