"""The attorney of record works a placed case: the workspace shows its deadlines, the attorney logs
hours and uploads a document (a real PDF), then downloads it back; and the workspace and the
conversation with the mentor on a phone."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.deadlines.models import CaseDeadline
from amparo.library.demo import tiny_pdf
from amparo.mentoring.models import Mentorship
from amparo.mentoring_work.models import Message
from amparo.workspace.models import CaseDocument, HoursEntry

from .helpers import expect_heading, set_user_language, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = [pytest.param("en-US", "en", id="en"), pytest.param("es-MX", "es", id="es")]
ATTORNEY = "attorney@demo.amparo.org"
PHONE = {"width": 390, "height": 844}
HOURS_NOTE = "Drafted the declaration with the client."
REPLY = "Here is the draft declaration; the exhibits follow on Monday."


def _mentored_case() -> tuple[Case, Mentorship]:
    """The demo attorney's placed case with an active mentorship (its workspace shows the
    conversation with the mentor)."""
    mentorship = (
        Mentorship.objects.filter(
            status=Mentorship.Status.ACTIVE, case__attorney_of_record__email=ATTORNEY
        )
        .select_related("case")
        .order_by("case__code")
        .first()
    )
    assert mentorship is not None, "the demo attorney has no mentored case"
    return mentorship.case, mentorship


def _assert_fits_the_phone(page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"the page scrolls sideways: {scroll_width}px wide"


def _open(section, summary: str):
    """Open the section's <details> by its summary, as a person clicks it; returns it."""
    details = section.locator("details").filter(
        has=section.page.locator("summary").filter(has_text=summary)
    )
    details.locator("summary").first.click()
    return details


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_attorney_logs_hours_and_uploads_a_document_in_the_workspace(
    demo_program, page_factory, locale, language, tmp_path
):
    set_user_language(ATTORNEY, language)
    attorney = User.objects.get(email=ATTORNEY)
    case, _mentorship = _mentored_case()
    page, steps = page_factory(locale=locale)
    sign_in(page, ATTORNEY, steps=steps)

    # From the attorney's cases to the case's workspace.
    page.get_by_role("link", name=t("My cases", language), exact=True).click()
    page.wait_for_url("**/cases/")
    page.locator("main").get_by_role("link", name=case.code, exact=True).first.click()
    page.wait_for_url(f"**/cases/{case.code}/")
    page.get_by_role("link", name=t("Case workspace", language)).click()
    page.wait_for_url(f"**/cases/{case.code}/workspace/")
    expect_heading(page, "Case workspace", language)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.code)

    # Its deadlines: each computed one is listed, with the rule it cites.
    deadlines = page.locator("section").filter(has=page.locator("#deadlines-heading"))
    expect_heading(page, "Deadlines", language, level=2)
    computed = list(CaseDeadline.objects.filter(case=case))
    assert computed, f"{case.code} has no deadline"
    expect(deadlines.locator("tbody tr")).to_have_count(len(computed))
    cited = next((d for d in computed if d.citation), None)
    if cited is not None:
        expect(deadlines.locator("tbody")).to_contain_text(cited.citation.split("\n")[0][:40])
    steps.shot("workspace")

    # The attorney logs two and a half hours of drafting.
    hours = page.locator("#hours")
    hours_before = HoursEntry.objects.filter(case=case).count()
    form = _open(hours, t("Log hours", language))
    form.get_by_label(t("Date", language), exact=True).fill(timezone.localdate().isoformat())
    form.get_by_label(t("Activity", language)).select_option("drafting")
    form.get_by_label(t("Hours", language), exact=True).fill("2.5")
    form.get_by_label(t("Description", language)).fill(HOURS_NOTE)
    steps.shot("hours-filled")
    form.locator("button[type=submit]").click()
    hours = page.locator("#hours")
    expect(hours.get_by_role("status")).to_be_visible()
    expect(hours.get_by_role("row").filter(has_text=HOURS_NOTE)).to_be_visible()
    steps.shot("hours-logged")
    assert HoursEntry.objects.filter(case=case).count() == hours_before + 1
    entry = HoursEntry.objects.filter(case=case).latest("pk")
    assert (entry.attorney, entry.description, str(entry.hours)) == (attorney, HOURS_NOTE, "2.50")

    # ... and uploads the draft declaration, a real PDF made here.
    pdf = tiny_pdf(["Declaration of the client (draft, test)", case.code])
    file = tmp_path / "declaration-draft.pdf"
    file.write_bytes(pdf)
    documents = page.locator("#documents")
    form = _open(documents, t("Upload a document", language))
    form.get_by_label(t("Title", language), exact=True).fill("Declaration, first draft")
    form.get_by_label(t("Kind", language), exact=True).select_option("draft")
    form.get_by_label(t("File", language), exact=True).set_input_files(str(file))
    steps.shot("document-filled")
    form.locator("button[type=submit]").click()
    documents = page.locator("#documents")
    expect(documents.get_by_role("status")).to_be_visible()
    listed = documents.locator("li").filter(has_text="Declaration, first draft").first
    expect(listed).to_be_visible()
    expect(listed).to_contain_text(t("Draft", language))
    steps.shot("document-listed")
    document = CaseDocument.objects.filter(case=case).latest("pk")
    assert (document.title, document.created_by) == ("Declaration, first draft", attorney)

    # The file comes back as it went in (it is stored encrypted, never served by URL).
    download_label = t("Download version %(number)s", language) % {"number": 1}
    with page.expect_download() as download_info:
        listed.get_by_role("link", name=download_label).click()
    assert download_info.value.path().read_bytes() == pdf


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_workspace_and_mentor_messages_on_a_phone(demo_program, page_factory, locale, language):
    set_user_language(ATTORNEY, language)
    case, mentorship = _mentored_case()
    page, steps = page_factory(locale=locale, **PHONE)
    sign_in(page, ATTORNEY, steps=steps)
    page.get_by_role("button", name=t("Show menu", language)).click()
    page.get_by_role("link", name=t("My cases", language), exact=True).click()
    page.wait_for_url("**/cases/")
    page.locator("main").get_by_role("link", name=case.code, exact=True).first.click()
    page.get_by_role("link", name=t("Case workspace", language)).click()
    page.wait_for_url(f"**/cases/{case.code}/workspace/")
    expect_heading(page, "Case workspace", language)
    _assert_fits_the_phone(page)
    steps.shot("workspace-phone")

    # The key controls are on the screen and work: the deadlines, logging hours, uploading.
    deadlines = page.locator("section").filter(has=page.locator("#deadlines-heading"))
    expect(deadlines.locator("tbody tr").first).to_be_visible()
    for section, summary, field in (
        ("#hours", "Log hours", "Hours"),
        ("#documents", "Upload a document", "File"),
    ):
        form = _open(page.locator(section), t(summary, language))
        control = form.get_by_label(t(field, language), exact=True)
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (field, box)
        expect(form.locator("button[type=submit]")).to_be_visible()
    _assert_fits_the_phone(page)
    steps.shot("workspace-phone-forms")

    # The conversation with the mentor: readable, and the attorney answers from the phone.
    page.get_by_role("link", name=t("Open the conversation with the mentor", language)).click()
    page.wait_for_url(f"**/mentoring/work/{mentorship.pk}/messages/")
    _assert_fits_the_phone(page)
    steps.shot("messages-phone")
    message = page.get_by_label(t("Message", language), exact=True)
    expect(message).to_be_visible()
    message.fill(REPLY)
    send = page.get_by_role("button", name=t("Send", language), exact=True)
    expect(send).to_be_visible()
    send.click()
    page.wait_for_url(f"**/mentoring/work/{mentorship.pk}/messages/")
    expect(page.locator("#thread")).to_contain_text(REPLY)
    _assert_fits_the_phone(page)
    steps.shot("messages-phone-sent")
    reply = Message.objects.filter(mentorship=mentorship).latest("pk")
    assert (reply.body, reply.author.email) == (REPLY, ATTORNEY)
