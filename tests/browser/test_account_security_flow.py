"""A person reaches their account security from the account menu, sees where they are signed in,
signs the other browser out, then signs out everywhere. Each page passes the accessibility check
(the accounts/ pages are not in the every-page walk)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ATTORNEY = "attorney@demo.amparo.org"


def test_account_menu_sessions_and_sign_out_everywhere(demo_program, page_factory):
    page, steps = page_factory()
    phone, _ = page_factory(width=390, height=844)
    # The Content-Security-Policy blocks anything inline: the pages must not try (htmx included).
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    sign_in(page, ATTORNEY, steps=steps)
    sign_in(phone, ATTORNEY)

    # The account menu opens without JavaScript of its own (a <details> element).
    page.get_by_text("Account", exact=True).click()
    expect(page.get_by_role("link", name="Security")).to_be_visible()
    steps.shot("account-menu")
    page.get_by_role("link", name="Security").click()
    expect(page.get_by_role("heading", level=1, name="Account security")).to_be_visible()
    expect(page.get_by_role("cell", name="This browser")).to_be_visible()
    steps.shot("account-security")

    page.get_by_role("link", name="Your sessions, and signing out the others").click()
    expect(page.get_by_role("heading", level=1, name="Your sessions")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(2)
    steps.shot("sessions")
    page.get_by_role("button", name="Sign out the other sessions").click()
    expect(page.get_by_text("Signed out of all other sessions.")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    phone.goto(phone.base_url + "/dashboard/")
    expect(phone).to_have_url(phone.base_url + "/accounts/login/?next=/dashboard/")

    page.locator("main").get_by_role("button", name="Sign out everywhere").click()
    expect(page).to_have_url(page.base_url + "/accounts/login/")
    expect(
        page.get_by_text("You are signed out of every session, on every device.")
    ).to_be_visible()
    steps.shot("signed-out-everywhere")
    page.goto(page.base_url + "/dashboard/")
    expect(page).to_have_url(page.base_url + "/accounts/login/?next=/dashboard/")
    assert refused == []
