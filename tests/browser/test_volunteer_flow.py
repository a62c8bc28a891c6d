"""A volunteer attorney joins, and a coordinator verifies their bar standing and approves them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from amparo.people.models import AttorneyProfile

from .helpers import expect_heading, set_user_language, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = [pytest.param("en-US", "en", id="en"), pytest.param("es-MX", "es", id="es")]
COORDINATOR = "coordinator@demo.amparo.org"


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_volunteer_joins_and_coordinator_approves(
    demo_program, page_factory, mailoutbox, locale, language
):
    cache.clear()  # the sign-up rate limit counts per address, in the database cache
    email = f"new.volunteer.{language}@example.org"
    page, steps = page_factory(locale=locale)

    # The volunteer signs up, without an account, in the browser's language.
    page.goto(page.base_url + "/join/")
    expect_heading(page, "Become a pro bono partner", language)
    steps.shot("join")
    page.get_by_label(t("Full name", language)).fill("Rebecca Nolan")
    page.get_by_label(t("E-mail", language)).fill(email)
    page.get_by_label(t("Law firm", language)).fill("Nolan Legal (test)")
    first_row = t("Bar admission %(number)s", language) % {"number": 1}
    admission = page.get_by_role("group", name=first_row, exact=True)
    admission.get_by_label(t("State", language)).select_option("CA")
    admission.get_by_label(t("Bar number", language)).fill("654321")
    admission.get_by_label(t("Year admitted", language)).fill("2012")
    page.locator("input[name=languages][value=en]").check()
    page.locator("input[name=languages][value=es]").check()
    page.locator("input[name=experience][value=some]").check()
    page.locator("input[name=interests][value=asylum]").check()
    page.get_by_label(t("How many active cases can you take at once?", language)).fill("2")
    page.locator("input[name=malpractice_coverage][value=yes]").check()
    page.locator("input[name=consent]").check()
    steps.shot("join-filled")
    page.locator("main form button[type=submit]:not([name])").last.click()
    page.wait_for_url("**/join/thanks/")
    expect_heading(page, "Thank you for volunteering", language)
    steps.shot("join-thanks")

    # A coordinator, in the same language, verifies bar standing and approves.
    set_user_language(COORDINATOR, language)
    coordinator, coordinator_steps = page_factory(locale=locale)
    sign_in(coordinator, COORDINATOR, steps=coordinator_steps)
    coordinator.get_by_role("link", name=t("Volunteers to verify", language)).click()
    coordinator.wait_for_url("**/volunteers/verify/")
    expect_heading(coordinator, "Attorneys to verify", language)
    coordinator_steps.shot("verification-queue")
    coordinator.get_by_role("link", name="Rebecca Nolan").click()
    expect_heading(coordinator, "Verify bar standing", language, level=2)
    coordinator_steps.shot("volunteer")
    coordinator.get_by_label(t("How did you verify bar standing?", language)).select_option(
        "state_bar_lookup"
    )
    coordinator.get_by_label(t("Note", language)).fill("calbar.ca.gov, active, no discipline")
    standing = coordinator.locator("input[name^=standing_][value=yes]")
    expect(standing).to_have_count(1)
    standing.check()
    coordinator_steps.shot("verification-filled")
    coordinator.get_by_role("button", name=t("Approve", language), exact=True).click()
    coordinator.wait_for_url("**/volunteers/verify/")
    expect(coordinator.get_by_role("link", name="Rebecca Nolan")).to_have_count(0)
    coordinator_steps.shot("approved")

    profile = AttorneyProfile.objects.get(user__email=email)
    assert profile.is_verified
    assert profile.verification_note == "calbar.ca.gov, active, no discipline"
    assert profile.bar_admissions.get().in_good_standing is True
    approvals = [m for m in mailoutbox if m.to == [email]]
    assert len(approvals) == 1
    # The volunteer signed up in this language, so the e-mail speaks it.
    assert approvals[0].subject == t("You are verified as a volunteer attorney", language)
