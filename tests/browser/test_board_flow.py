"""An attorney finds a case on the board, checks the names for conflicts and takes it; and the
board on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from amparo.accounts.models import User
from amparo.cases.board import BoardFilters, board_case_list
from amparo.cases.models import Case, CaseType, Stage
from amparo.cases.placement import attorney_eligibility
from amparo.people.models import AttorneyProfile

from .helpers import expect_heading, set_user_language, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = [pytest.param("en-US", "en", id="en"), pytest.param("es-MX", "es", id="es")]
ATTORNEY = "attorney@demo.amparo.org"


def _case_the_attorney_may_take(attorney: User) -> Case:
    """The most urgent case on the board for a Spanish speaker, not detained, that the attorney
    is eligible for (another part of the program may add training gates by case type)."""
    filters = BoardFilters.from_query({"detained": "no", "language": "es"})
    for case in board_case_list(filters=filters):
        if attorney_eligibility(attorney=attorney, case=case).ok:
            return case
    reasons = attorney_eligibility(attorney=attorney).reasons
    raise AssertionError(f"The demo attorney can take no case on the board: {reasons}")


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_attorney_filters_the_board_and_takes_a_case(
    demo_program, page_factory, settings, locale, language
):
    settings.AMPARO_PLACEMENT_REQUIRES_APPROVAL = False
    set_user_language(ATTORNEY, language)
    attorney = User.objects.get(email=ATTORNEY)
    # The demo attorney already carries cases; room for one more is not what this test is about.
    AttorneyProfile.objects.filter(user=attorney).update(capacity=20)
    case = _case_the_attorney_may_take(attorney)

    page, steps = page_factory(locale=locale)
    sign_in(page, ATTORNEY, steps=steps)
    page.get_by_role("link", name=t("Cases that need an attorney", language), exact=True).click()
    page.wait_for_url("**/board/")
    expect_heading(page, "Cases that need an attorney", language)
    steps.shot("board")

    # Filters: each change reloads the results (htmx) and the address keeps them.
    filters = page.locator("main form")
    filters.get_by_label(t("Case type", language)).select_option(case.case_type)
    filters.get_by_label(t("Detained", language)).select_option("no")
    filters.get_by_label(t("Language", language)).select_option("es")
    filters.get_by_role("button", name=t("Filter", language)).click()
    page.wait_for_url(re.compile(r"language=es"))
    expect(page).to_have_url(re.compile(rf"type={case.case_type}"))
    expect(page).to_have_url(re.compile(r"detained=no"))
    cards = page.locator("#board-results article")
    expect(cards.first).to_be_visible()
    type_label = t(str(CaseType(case.case_type).label), language)
    for index in range(cards.count()):
        expect(cards.nth(index)).to_contain_text(type_label)
        expect(cards.nth(index)).not_to_contain_text(t("Detained", language))
    card = cards.filter(has=page.get_by_text(case.code, exact=True))
    expect(card).to_be_visible()
    steps.shot("board-filtered")

    # The card: why it is urgent, and what the attorney may do.
    card.get_by_role("link").first.click()
    page.wait_for_url(f"**/board/{case.code}/")
    reasons = page.get_by_role("heading", name=t("What you need before taking a case", language))
    assert not reasons.count(), page.locator("main ul").last.inner_text()
    expect_heading(page, "Take this case", language, level=2)
    steps.shot("card")

    # The names, shown only now (the view is recorded), then the attestation and the taking.
    page.get_by_role("button", name=t("Show the names to check for conflicts", language)).click()
    expect_heading(page, "Check for conflicts of interest", language)
    expect(page.locator("main")).to_contain_text(case.client.full_name)
    steps.shot("names")
    page.get_by_label(
        t("I have checked these names and have no conflict of interest.", language)
    ).check()
    page.get_by_role("button", name=t("Take the case", language), exact=True).click()
    page.wait_for_url(f"**/cases/{case.code}/deadlines/")
    expect_heading(page, "Deadlines and plan", language)
    expect(page.get_by_role("status")).to_contain_text(
        t("The case is yours. Its deadlines and plan are ready.", language)
    )
    steps.shot("deadlines")
    case.refresh_from_db()
    assert case.attorney_of_record == attorney
    assert case.stage == Stage.PLACED


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_board_on_a_phone(demo_program, page_factory, locale, language):
    set_user_language(ATTORNEY, language)
    page, steps = page_factory(locale=locale, width=390, height=844)
    sign_in(page, ATTORNEY, steps=steps)
    page.get_by_role("button", name=t("Show menu", language)).click()
    page.get_by_role("link", name=t("Cases that need an attorney", language), exact=True).click()
    page.wait_for_url("**/board/")
    expect_heading(page, "Cases that need an attorney", language)
    _assert_fits_the_phone(page)
    steps.shot("board-phone")

    # The filters are usable at this width: visible, labelled, and they narrow the list.
    type_filter = page.locator("main form").get_by_label(t("Case type", language))
    expect(type_filter).to_be_visible()
    type_filter.select_option("u_visa")
    page.wait_for_url(re.compile(r"type=u_visa"))
    cards = page.locator("#board-results article")
    expect(cards.first).to_be_visible()
    expect(cards.first).to_contain_text(t("U visa", language))
    _assert_fits_the_phone(page)
    # A card is readable: inside the screen, its title and summary at a legible size.
    box = cards.first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    font_size = cards.first.locator("p").last.evaluate(
        "p => parseFloat(getComputedStyle(p).fontSize)"
    )
    assert font_size >= 12, font_size
    steps.shot("board-phone-filtered")


def _assert_fits_the_phone(page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"the page scrolls sideways: {scroll_width}px wide"
