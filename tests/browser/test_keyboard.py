"""Keyboard users: every stop on the way through the sign-in form and the board's filters shows
where the focus is."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .a11y import tab_until
from .helpers import set_user_language, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_form_by_keyboard(demo_program, page_factory):
    page, steps = page_factory(locale="en-US")
    page.goto(page.base_url + "/accounts/login/")
    stops = tab_until(page, "#id_login")
    assert stops[0].startswith("a"), f"the skip link comes first: {stops}"
    page.keyboard.type("attorney@demo.amparo.org")
    tab_until(page, "#id_password", max_presses=3)
    page.keyboard.type("amparo-demo")
    steps.shot("password-focused")
    tab_until(page, "main button[type=submit]", max_presses=5)
    steps.shot("submit-focused")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")


def test_skip_link_moves_to_the_main_content(page_factory):
    page, steps = page_factory(locale="es-MX")
    page.goto(page.base_url + "/join/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=t("Skip to main content", "es"))
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    steps.shot("skip-link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(page.base_url + "/join/#main")


@pytest.mark.parametrize(("locale", "language"), [("en-US", "en"), ("es-MX", "es")])
def test_board_filters_by_keyboard(demo_program, page_factory, locale, language):
    set_user_language("attorney@demo.amparo.org", language)
    page, steps = page_factory(locale=locale)
    sign_in(page, "attorney@demo.amparo.org")
    page.goto(page.base_url + "/board/")
    stops = tab_until(page, "#f-type", max_presses=30)
    for selector in ("#f-court", "#f-language", "#f-detained", "#f-children", "#f-within"):
        tab_until(page, selector, max_presses=1)
    steps.shot("last-filter-focused")
    tab_until(page, "main form button[type=submit]", max_presses=1)
    steps.shot("filter-button-focused")
    assert len(stops) > 1
