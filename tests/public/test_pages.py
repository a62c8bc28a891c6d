"""The public pages in English and Spanish, the support page's text set in the admin, and the
links from the home page and the footer."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from amparo.public.models import SupportPage

SUPPORT = reverse("public:support")
PUBLIC_PAGES = [
    ("public:urgent", "Cases in urgent need of an attorney"),
    ("public:newsletter", "Subscribe to our newsletter"),
    ("public:newsletter_sent", "Check your e-mail"),
    ("public:support", "Support the program"),
    ("public:partners", "Nonprofits: place cases with us"),
    ("public:partners_thanks", "Thank you for your request"),
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("name", "heading"), PUBLIC_PAGES)
def test_public_page_signed_out_in_each_language(client, db, name, heading, language):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert f"{gettext(heading)}</h1>" in html


@pytest.mark.parametrize("name", [name for name, _heading in PUBLIC_PAGES])
def test_public_pages_answer_signed_in_users_too(client, personas, name):
    client.force_login(personas.attorney)
    assert client.get(reverse(name)).status_code == 200


def test_home_page_links_to_the_public_pages(client, db):
    html = client.get(reverse("home")).content.decode()
    for name in (
        "people:join",
        "public:urgent",
        "public:newsletter",
        "public:support",
        "public:partners",
    ):
        assert f'href="{reverse(name)}"' in html, name


def test_footer_links_to_support_and_newsletter(client, db):
    html = client.get(reverse("people:join")).content.decode()
    footer = html[html.index("<footer") :]
    assert f'href="{SUPPORT}"' in footer
    assert f'href="{reverse("public:newsletter")}"' in footer


# --- support page -----------------------------------------------------------------------------


def test_support_page_has_a_default_text_and_no_donate_button_without_settings(client, db):
    html = client.get(SUPPORT).content.decode()
    assert "Our mentors are paid for their time" in html
    assert "Donate" not in html


def test_support_page_shows_the_admins_text_and_donation_link_in_each_language(client, db):
    SupportPage.objects.create(
        text_en="Every gift pays a mentor.\n\nThank you!",
        text_es="Cada donación paga a un/a mentor/a.",
        donation_url="https://give.example.org/amparo",
        contact_email="probono@example.org",
    )
    english = client.get(SUPPORT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<p>Every gift pays a mentor.</p>" in english
    assert "<p>Thank you!</p>" in english
    assert 'href="https://give.example.org/amparo"' in english
    assert 'rel="noopener noreferrer"' in english
    assert "Our mentors are paid for their time" not in english
    assert "mailto:probono@example.org" in english
    spanish = unescape(client.get(SUPPORT, HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Cada donación paga a un/a mentor/a." in spanish
    with translation.override("es"):
        assert gettext("Donate") in spanish


def test_support_page_falls_back_to_english_text(client, db):
    SupportPage.objects.create(text_en="English only.")
    html = client.get(SUPPORT, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "English only." in html


def test_support_text_is_escaped(client, db):
    SupportPage.objects.create(text_en='<script>alert("x")</script>')
    html = client.get(SUPPORT).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_donation_link_must_be_https(db):
    page = SupportPage(donation_url="http://give.example.org")
    with pytest.raises(ValidationError) as raised:
        page.full_clean()
    assert "donation_url" in raised.value.message_dict
    SupportPage(donation_url="https://give.example.org").full_clean()


@pytest.fixture
def staff_coordinator(personas):
    personas.coordinator.is_staff = True
    personas.coordinator.save()
    return personas.coordinator


def test_staff_edit_the_support_page_in_the_admin(client, staff_coordinator):
    client.force_login(staff_coordinator)
    add = reverse("admin:public_supportpage_add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "text_en": "Please give.",
            "text_es": "Por favor, done.",
            "donation_url": "https://give.example.org",
            "contact_name": "Valeria Cook",
            "contact_email": "probono@example.org",
        },
    )
    assert response.status_code == 302
    page = SupportPage.objects.get()
    assert page.text_for("es") == "Por favor, done."
    # One page: no second one can be added; the first is changed instead.
    assert client.get(add).status_code == 403
    change = reverse("admin:public_supportpage_change", args=[page.pk])
    assert client.get(change).status_code == 200
    assert "Please give." in client.get(SUPPORT).content.decode()


def test_admin_refuses_an_http_donation_link(client, staff_coordinator):
    client.force_login(staff_coordinator)
    response = client.post(
        reverse("admin:public_supportpage_add"),
        {"text_en": "x", "donation_url": "http://give.example.org"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert SupportPage.objects.count() == 0


def test_staff_who_are_not_program_staff_cannot_edit_the_support_page(client, personas):
    personas.partner.is_staff = True
    personas.partner.save()
    client.force_login(personas.partner)
    assert client.get(reverse("admin:public_supportpage_add")).status_code == 403
