"""Each role signs in through the real page and reaches its dashboard, in English and Spanish."""

from __future__ import annotations

import pytest

from .helpers import DEMO_PASSWORD as PASSWORD

# The live server needs committed data, so these tests run in real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("email", "locale", "heading"),
    [
        ("coordinator@demo.amparo.org", "en-US", "Cases by stage"),
        ("attorney@demo.amparo.org", "en-US", "Your cases"),
        ("attorney2@demo.amparo.org", "es-MX", "Sus casos"),
        ("mentor@demo.amparo.org", "es-MX", "Sus casos"),
        ("admin@demo.amparo.org", "en-US", "Mentors and their load"),
        ("partner@demo.amparo.org", "es-MX", "Casos que su organización remitió"),
    ],
)
def test_role_signs_in_and_sees_dashboard(demo_program, page_factory, email, locale, heading):
    page, steps = page_factory(locale=locale)
    page.goto(page.base_url + "/accounts/login/")
    steps.shot("sign-in")
    page.get_by_label("Email" if locale.startswith("en") else "Correo electrónico").fill(email)
    page.get_by_label("Password" if locale.startswith("en") else "Contraseña").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")
    steps.shot("dashboard")
    assert page.get_by_role("heading", name=heading).is_visible()


def test_phone_width_dashboard_has_a_working_menu(demo_program, page_factory):
    page, steps = page_factory(width=390, height=844)
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Email").fill("attorney@demo.amparo.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")
    steps.shot("dashboard-phone")
    menu = page.get_by_role("button", name="Show menu")
    assert menu.is_visible()
    menu.click()
    assert page.get_by_role("link", name="My cases").is_visible()
    steps.shot("menu-open")


def test_language_switch_persists_across_pages(demo_program, page_factory):
    page, steps = page_factory(locale="en-US")
    page.goto(page.base_url + "/")
    page.get_by_label("Language").select_option("es")
    page.wait_for_load_state()
    steps.language = "es"
    steps.shot("spanish-home")
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto(page.base_url + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Iniciar sesión").is_visible()
