"""English and Spanish from the first screen; the choice persists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.accounts.models import User


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "lang", "phrase"),
    [
        ("en-US,en;q=0.9", "en", "Sign in"),
        ("es-MX,es;q=0.9", "es", "Iniciar sesión"),
        ("fr-FR", "en", "Sign in"),
    ],
)
def test_home_first_visit_follows_browser_language(client, accept_language, lang, phrase):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=accept_language)
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert phrase in html


@pytest.mark.django_db
def test_language_switch_persists_in_cookie_for_visitors(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in html


def test_language_switch_is_saved_on_the_user(client, personas):
    client.force_login(personas.attorney)
    client.post(reverse("set_language"), {"language": "es", "next": "/dashboard/"})
    assert User.objects.get(pk=personas.attorney.pk).language == "es"
    # A new browser (no cookie) follows the saved preference, not Accept-Language.
    client.cookies.clear()
    client.force_login(personas.attorney)
    html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in html
    assert "Sus casos" in html


@pytest.mark.parametrize(
    "persona", ["coordinator", "program_admin", "attorney", "mentor", "partner"]
)
@pytest.mark.parametrize(("lang", "word"), [("en", "Dashboard"), ("es", "Panel principal")])
def test_dashboard_renders_in_both_languages(client, personas, persona, lang, word):
    user = getattr(personas, persona)
    user.language = lang
    user.save()
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert word in html


def test_case_file_renders_in_spanish(client, personas):
    personas.attorney.language = "es"
    personas.attorney.save()
    client.force_login(personas.attorney)
    html = client.get(reverse("cases:detail", args=[personas.placed_case.code])).content.decode()
    assert "Cliente (confidencial)" in html
    assert "Audiencias" in html
