"""The public pages, as a visitor without an account reads them: each renders in the browser's
language and passes the accessibility check, and each form answers bad input with messages that
say what to fix, tied to their fields, before it accepts good input."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from amparo.cases.models import Case
from amparo.public.models import NewsletterSubscriber, PartnerInquiry

from .helpers import expect_heading, t

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = [pytest.param("en-US", "en", id="en"), pytest.param("es-MX", "es", id="es")]


def _field_says(page, label: str, message: str) -> None:
    """The field is marked invalid and its error is read with it (aria-describedby)."""
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))


def _group_says(page, legend: str, message: str) -> None:
    """A group of radio buttons or boxes shows its error, and names it for screen readers."""
    group = page.get_by_role("group", name=legend, exact=True)
    expect(group).to_contain_text(message)
    expect(group).to_have_accessible_description(re.compile(re.escape(message)))


def _errors_summary(page, language: str) -> None:
    expect(page.get_by_role("alert").first).to_contain_text(
        t("Please correct the errors below.", language)
    )


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_public_pages_render_and_their_forms_explain_bad_input(
    demo_program, page_factory, mailoutbox, locale, language
):
    cache.clear()  # the public forms' rate limits count per address, in the database cache
    page, steps = page_factory(locale=locale)
    base = page.base_url

    # The home page, then the urgent needs, anonymized (no client's name).
    page.goto(base + "/")
    expect_heading(page, "Pro bono immigration representation, organised", language)
    steps.shot("home")
    page.goto(base + "/urgent/")
    expect_heading(page, "Cases in urgent need of an attorney", language)
    shown = Case.objects.filter(on_public_urgent_page=True).select_related("client")
    assert shown, "the demo shows no case on the urgent page"
    main = page.locator("main")
    for case in shown:
        expect(main).not_to_contain_text(case.client.full_name)
    steps.shot("urgent")
    page.goto(base + "/support/")
    expect_heading(page, "Support the program", language)
    steps.shot("support")

    # The newsletter: nothing, then a malformed address, then a good one.
    page.goto(base + "/newsletter/")
    expect_heading(page, "Subscribe to our newsletter", language)
    steps.shot("newsletter")
    subscribe = page.get_by_role("button", name=t("Subscribe", language))
    subscribe.click()
    _errors_summary(page, language)
    _field_says(page, t("E-mail", language), t("Enter your e-mail address.", language))
    steps.shot("newsletter-empty")
    page.get_by_label(t("E-mail", language), exact=True).fill("reader.example.org")
    subscribe.click()
    _field_says(
        page,
        t("E-mail", language),
        t("Enter a valid e-mail address, for example name@example.org.", language),
    )
    steps.shot("newsletter-invalid")
    assert not NewsletterSubscriber.objects.exists()
    page.get_by_label(t("E-mail", language), exact=True).fill(f"reader.{language}@example.org")
    subscribe.click()
    page.wait_for_url("**/newsletter/sent/")
    expect_heading(page, "Check your e-mail", language)
    steps.shot("newsletter-sent")
    assert NewsletterSubscriber.objects.count() == 1
    # The double opt-in: one e-mail to the address, with the link to confirm.
    assert len([m for m in mailoutbox if m.to == [f"reader.{language}@example.org"]]) == 1

    # A nonprofit's request: an empty form says what each required field needs.
    page.goto(base + "/partners/")
    expect_heading(page, "Nonprofits: place cases with us", language)
    steps.shot("partners")
    send = page.get_by_role("button", name=t("Send", language), exact=True)
    send.click()
    _errors_summary(page, language)
    _field_says(page, t("Organization", language), t("Enter your organization's name.", language))
    _field_says(
        page,
        t("Your name", language),
        t("Enter the name of the person we should contact.", language),
    )
    _field_says(page, t("E-mail", language), t("Enter your e-mail address.", language))
    _group_says(
        page,
        t("What would your organization like?", language),
        t("Choose what your organization would like.", language),
    )
    _field_says(
        page,
        t("About how many cases?", language),
        t("Enter about how many cases, for example 10.", language),
    )
    steps.shot("partners-empty")
    assert not PartnerInquiry.objects.exists()
    page.get_by_label(t("Organization", language), exact=True).fill("Valley Legal Aid (test)")
    page.get_by_label(t("Your name", language), exact=True).fill("Ana Torres")
    page.get_by_label(t("E-mail", language), exact=True).fill("ana.torres@example.org")
    page.locator("input[name=wants]").first.check()
    page.get_by_label(t("About how many cases?", language), exact=True).fill("12")
    steps.shot("partners-filled")
    send.click()
    page.wait_for_url("**/partners/thanks/")
    expect_heading(page, "Thank you for your request", language)
    steps.shot("partners-thanks")
    assert PartnerInquiry.objects.count() == 1

    # Volunteering: the sign-up form, sent empty, says what is missing.
    page.goto(base + "/join/")
    expect_heading(page, "Become a pro bono partner", language)
    steps.shot("join")
    page.locator("main form button[type=submit]:not([name])").last.click()
    _errors_summary(page, language)
    required = t("This field is required.", language)
    _field_says(page, t("Full name", language), required)
    _field_says(page, t("E-mail", language), required)
    _group_says(
        page, t("Languages you work in", language), t("Choose at least one language.", language)
    )
    _group_says(
        page,
        t("Does your malpractice coverage include immigration work?", language),
        t("Answer yes or no.", language),
    )
    expect(page.locator("main")).to_contain_text(t("Your consent is needed to sign up.", language))
    steps.shot("join-empty")
