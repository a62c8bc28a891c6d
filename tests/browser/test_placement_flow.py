"""A coordinator places a case directly, then records the attorney's withdrawal."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from amparo.accounts.models import User
from amparo.cases.board import BoardFilters, board_case_list
from amparo.cases.models import Case, Stage
from amparo.cases.placement import coordinator_placement_blockers
from amparo.people.models import AttorneyProfile

from .helpers import expect_heading, set_user_language, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = [pytest.param("en-US", "en", id="en"), pytest.param("es-MX", "es", id="es")]
COORDINATOR = "coordinator@demo.amparo.org"
ATTORNEYS = ["attorney2@demo.amparo.org", "attorney@demo.amparo.org"]
REASON = "Moved to another state; the firm cannot staff the case."


def _case_and_attorney_to_place() -> tuple[Case, User]:
    """A case on the board and a demo attorney a coordinator may place it with: nothing in the
    way but, perhaps, capacity (raised here) or a required training (another case type)."""
    for email in ATTORNEYS:
        attorney = User.objects.get(email=email)
        AttorneyProfile.objects.filter(user=attorney).update(capacity=20)
        for case in board_case_list(filters=BoardFilters.from_query({})):
            if not coordinator_placement_blockers(case=case, attorney=attorney):
                return case, attorney
    raise AssertionError("No demo attorney can be placed on any case of the board.")


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_coordinator_places_a_case_and_records_a_withdrawal(
    demo_program, page_factory, mailoutbox, locale, language
):
    set_user_language(COORDINATOR, language)
    case, attorney = _case_and_attorney_to_place()

    page, steps = page_factory(locale=locale)
    sign_in(page, COORDINATOR, steps=steps)
    page.goto(f"{page.base_url}/cases/{case.code}/")
    steps.shot("case")
    page.get_by_role("link", name=t("Placement", language), exact=True).click()
    page.wait_for_url(f"**/cases/{case.code}/placement/")
    expect_heading(page, "Placement", language)
    steps.shot("placement")

    page.get_by_label(t("Volunteer attorney", language)).select_option(str(attorney.pk))
    page.get_by_role("button", name=t("Place the case", language)).click()
    placed = t("%(code)s was placed with %(name)s, who has been told by e-mail.", language)
    expect(page.get_by_role("status")).to_contain_text(
        placed % {"code": case.code, "name": attorney.full_name}
    )
    history = page.locator("#history-heading + ol")
    expect(history).to_contain_text(attorney.full_name)
    expect(history).to_contain_text(t("current", language))
    steps.shot("placed")
    case.refresh_from_db()
    assert case.attorney_of_record == attorney
    assert any(attorney.email in message.to for message in mailoutbox)

    # The withdrawal, with its reason; the case goes back on the board.
    page.get_by_label(t("Reason for the withdrawal", language)).fill(REASON)
    expect(
        page.get_by_label(t("Put the case back on the board for another attorney", language))
    ).to_be_checked()
    steps.shot("withdrawal-filled")
    page.get_by_role("button", name=t("Record the withdrawal", language)).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("The withdrawal was recorded; the history keeps it.", language)
    )
    expect(history).to_contain_text(REASON)
    expect(history).not_to_contain_text(t("current", language))
    steps.shot("withdrawn")
    case.refresh_from_db()
    assert case.attorney_of_record is None
    assert case.stage == Stage.READY

    # The case's history keeps both.
    page.get_by_role("link", name=case.code).first.click()
    page.wait_for_url(f"**/cases/{case.code}/")
    steps.shot("case-again")
    page.get_by_role("link", name=t("History", language), exact=True).click()
    page.wait_for_url(f"**/cases/{case.code}/timeline/")
    expect_heading(page, "History", language)
    events = page.locator("main ol")
    expect(events).to_contain_text(t("Placed", language))
    expect(events).to_contain_text(t("Attorney withdrew", language))
    steps.shot("timeline")
