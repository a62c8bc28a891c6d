"""Steps shared by the browser flows."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from amparo.accounts.models import User

DEMO_PASSWORD = "amparo-demo"  # manage.py demo_data's password for every demo sign-in


def page_language(page: Any) -> str:
    return str(page.locator("html").get_attribute("lang") or "")


def sign_in(page: Any, email: str, *, password: str = DEMO_PASSWORD, steps: Any = None) -> None:
    """Sign in through the real form; the fields are found by their (translated) labels.

    With `steps`, the sign-in page and the dashboard are photographed and checked."""
    page.goto(page.base_url + "/accounts/login/")
    if steps is not None:
        steps.shot("sign-in")
    spanish = page_language(page) == "es"
    page.get_by_label("Correo electrónico" if spanish else "Email").fill(email)
    page.get_by_label("Contraseña" if spanish else "Password").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")
    if steps is not None:
        steps.shot("dashboard")


def t(message: str, language: str) -> str:
    """The page's wording in `language`, from the same catalogue the live server uses.

    Selecting by the translated label keeps the tests true to what a person reads, before and
    after the lead translator's pass."""
    with translation.override(language):
        return gettext(message)


def expect_heading(page: Any, message: str, language: str, *, level: int = 1) -> None:
    """The page's heading reads `message` in `language`; in Spanish it must be translated."""
    text = t(message, language)
    if language == "es":
        assert text != message, f"{message!r} has no Spanish translation yet"
    expect(page.get_by_role("heading", level=level).filter(has_text=text).first).to_be_visible()


def set_user_language(email: str, language: str) -> None:
    User.objects.filter(email=email).update(language=language)
