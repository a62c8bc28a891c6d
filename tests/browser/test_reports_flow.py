"""A coordinator reads the program's reports, downloads a table as CSV and opens the printable
report to funders."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .helpers import expect_heading, set_user_language, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = [pytest.param("en-US", "en", id="en"), pytest.param("es-MX", "es", id="es")]
COORDINATOR = "coordinator@demo.amparo.org"


def _summary_figure(page, label: str) -> str:
    """The value the summary table shows for `label` (its row header)."""
    summary = page.locator("section").filter(has=page.locator("#table-summary"))
    row = summary.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=label, exact=True)
    )
    return row.get_by_role("cell").last.inner_text().strip()


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_coordinator_reads_the_reports_and_downloads_a_table(
    demo_program, page_factory, locale, language
):
    set_user_language(COORDINATOR, language)
    page, steps = page_factory(locale=locale)
    sign_in(page, COORDINATOR, steps=steps)

    # The reports are one of the program tools.
    page.get_by_role("link", name=t("Program tools", language), exact=True).click()
    page.wait_for_url("**/program/")
    expect_heading(page, "Program tools", language)
    steps.shot("program-tools")
    page.locator("main").get_by_role("link", name=t("Reports", language), exact=True).click()
    page.wait_for_url("**/reports/")
    expect_heading(page, "Program reports", language)
    for title in ("Program summary", "Placements per month", "Outcomes by case type"):
        expect_heading(page, title, language, level=2)
    # Every chart is also a table: its figures are readable without the picture.
    expect(page.locator("main svg").first).to_be_visible()
    placed = _summary_figure(page, t("Cases placed", language))
    clients = _summary_figure(page, t("Clients served", language))
    assert int(placed) > 0 and int(clients) > 0, (placed, clients)
    steps.shot("reports")

    # The summary table downloads as CSV, with the same figures as the page.
    summary = page.locator("section").filter(has=page.locator("#table-summary"))
    with page.expect_download() as download_info:
        summary.get_by_role("link", name=t("Download (CSV)", language)).click()
    download = download_info.value
    assert download.suggested_filename.startswith("amparo-summary-")
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [t("Figure", language), t("Value", language)]
    assert len(rows) > 1
    figures = dict(rows[1:])
    assert figures[t("Cases placed", language)] == placed
    assert figures[t("Clients served", language)] == clients

    # The printable report to funders, for the same period.
    page.get_by_role(
        "link", name=t("Printable report to funders for this period", language)
    ).click()
    page.wait_for_url("**/reports/funders/**")
    heading = t("%(name)s: report to funders", language) % {"name": settings.AMPARO_PROGRAM_NAME}
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect_heading(page, "Program summary", language, level=2)
    expect(page.get_by_role("button", name=t("Print or save as PDF", language))).to_be_visible()
    assert _summary_figure(page, t("Cases placed", language)) == placed
    steps.shot("funder-report")
