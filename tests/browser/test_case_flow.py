"""A coordinator records a case, clears its conflict hit, screens it, and sees it on the board."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from amparo.cases.models import Case, Stage
from amparo.conflicts.models import ConflictHit
from amparo.conflicts.services import conflicts_reindex_all
from amparo.courts.models import ImmigrationCourt
from amparo.intake.models import Client

from .helpers import expect_heading, set_user_language, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = [pytest.param("en-US", "en", id="en"), pytest.param("es-MX", "es", id="es")]
COORDINATOR = "coordinator@demo.amparo.org"


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_coordinator_records_screens_and_publishes_a_case(
    demo_program, page_factory, locale, language
):
    set_user_language(COORDINATOR, language)
    # demo_data records its clients without indexing their names for the conflict check, so a
    # fresh demo matches nobody: build the index, as `manage.py reindex_party_names` does.
    conflicts_reindex_all()
    # The adverse party bears the name of a client already on record: the check must flag it.
    existing = Client.objects.order_by("pk").first()
    assert existing is not None
    court = ImmigrationCourt.objects.get(name="San Francisco Immigration Court")
    hearing_at = timezone.localtime() + dt.timedelta(days=40)

    page, steps = page_factory(locale=locale)
    sign_in(page, COORDINATOR, steps=steps)
    page.get_by_role("link", name=t("New case", language), exact=True).click()
    page.wait_for_url("**/cases/new/")
    expect_heading(page, "Record a new case", language)
    steps.shot("new-case")

    page.get_by_label(t("Client's given names", language)).fill("Ximena Abigail")
    page.get_by_label(t("Client's family names", language)).fill("Tzul Batz")
    page.locator("[name=country_of_nationality]").fill("GT")
    page.locator("input[name=languages][value=es]").check()
    page.locator("input[name=languages][value=quc]").check()
    page.get_by_label(t("Case type", language)).select_option("defensive_asylum")
    page.get_by_label(t("Immigration court", language)).select_option(str(court.pk))
    page.locator("[name=last_arrival]").fill(
        (timezone.localdate() - dt.timedelta(days=200)).isoformat()
    )
    page.locator("[name=hearing_kind]").select_option("master")
    page.locator("[name=hearing_at]").fill(hearing_at.strftime("%Y-%m-%dT09:30"))
    # One child, as a family member.
    page.locator("[name=family-0-relationship]").select_option("child")
    page.locator("[name=family-0-given_names]").fill("Mateo")
    page.locator("[name=family-0-family_names]").fill("Tzul Batz")
    page.locator("[name=family-0-date_of_birth]").fill("2017-03-14")
    # The persecutor, named like another client.
    page.locator("[name=adverse-0-kind]").select_option("persecutor")
    page.locator("[name=adverse-0-name]").fill(existing.full_name)
    steps.shot("new-case-filled")
    page.get_by_role("button", name=t("Save the case", language)).click()
    page.wait_for_url(re.compile(r"/cases/(?!new/)[^/]+/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    case = Case.objects.get(code=code)
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    expect_heading(page, "Client (confidential)", language, level=2)
    steps.shot("case")

    # The conflict check flagged the adverse party; the coordinator clears it with a note.
    assert ConflictHit.objects.filter(case=case, status=ConflictHit.Status.OPEN).exists()
    page.get_by_role("link", name=t("Conflict check", language), exact=True).click()
    page.wait_for_url(f"**/cases/{code}/conflicts/")
    expect_heading(page, "Conflict check", language)
    steps.shot("conflicts")
    open_hits = page.locator("article:has(input[name=decision])")
    expect(open_hits.first).to_be_visible()
    for _open in range(open_hits.count()):
        hit = page.locator("#" + str(open_hits.first.get_attribute("id")))
        hit.get_by_label(t("Clear: not the same person, or no conflict", language)).check()
        hit.get_by_label(t("Note", language)).fill(
            "Different person: other country and birth date."
        )
        hit.get_by_role("button", name=t("Save the decision", language)).click()
        expect(hit.locator("input[name=decision]")).to_have_count(0)
    assert not ConflictHit.objects.filter(case=case, status=ConflictHit.Status.OPEN).exists()
    expect(
        page.get_by_text(t("Different person: other country and birth date.", language)).first
    ).to_be_visible()
    steps.shot("conflicts-cleared")

    # Screening: ready for placement, with the two anonymized summaries.
    page.get_by_role("link", name=code).first.click()
    page.wait_for_url(f"**/cases/{code}/")
    steps.shot("case-again")
    page.get_by_role("link", name=t("Screening", language), exact=True).click()
    page.wait_for_url(f"**/cases/{code}/screening/")
    expect_heading(page, "Screening", language)
    steps.shot("screening")
    page.get_by_label(t("Anonymized summary (English)", language)).fill(
        "Young mother and child from Guatemala fleeing a persecutor; master hearing in 40 days."
    )
    page.get_by_label(t("Anonymized summary (Spanish)", language)).fill(
        "Madre joven e hijo de Guatemala que huyen de un perseguidor; audiencia en 40 días."
    )
    page.get_by_label(t("Decision", language), exact=True).select_option("ready")
    steps.shot("screening-filled")
    page.get_by_role("button", name=t("Save the screening", language)).click()
    page.wait_for_url(f"**/cases/{code}/")
    case.refresh_from_db()
    assert case.stage == Stage.READY
    steps.shot("case-ready")

    # The case is on the board, anonymized: its summary in the reader's language, no names.
    page.get_by_role("link", name=t("Cases that need an attorney", language), exact=True).click()
    page.wait_for_url("**/board/")
    expect_heading(page, "Cases that need an attorney", language)
    card = page.locator("article", has=page.get_by_text(code, exact=True))
    expect(card).to_be_visible()
    summary = "Madre joven" if language == "es" else "Young mother"
    expect(card).to_contain_text(summary)
    expect(card).not_to_contain_text("Tzul")
    card.scroll_into_view_if_needed()
    steps.shot("board")
