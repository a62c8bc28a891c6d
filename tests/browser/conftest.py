"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Each test gets a fresh browser context against pytest-django's live server; every step's
screenshot is saved under test-artifacts/browser/<test name>/ (kept out of git), so a failing
step leaves its picture. Every step is also checked for accessibility (tests/browser/a11y.py):
axe-core finds no serious or critical violation, and <html lang> is the expected language.
"""

from __future__ import annotations

import importlib
import itertools
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from amparo.courts.models import ImmigrationCourt
from amparo.courts.reference import immigration_courts_load

from .a11y import assert_accessible

CHROMIUM = os.environ.get("AMPARO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"

# Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[Any]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make setup` (apt-get install chromium)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class Steps:
    """Takes a numbered screenshot after each named step, then checks the page's accessibility.

    `language` is the `lang` every page must declare ("en" or "es"); a test that switches the
    language mid-way sets it again. The pages of one test (say a volunteer's and a
    coordinator's) number their screenshots in one sequence."""

    def __init__(
        self, page: Any, folder: Path, language: str, counter: Iterator[int] | None = None
    ) -> None:
        self.page = page
        self.folder = folder
        self.language = language
        self.counter = counter or itertools.count(1)

    def shot(self, name: str, *, a11y: bool = True) -> None:
        number = next(self.counter)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.folder / f"{number:02d}-{name}.png"), full_page=True)
        if a11y:
            # Moderate and minor findings, which do not fail, are left next to the screenshot.
            report = self.folder / f"{number:02d}-{name}.a11y.txt"
            assert_accessible(
                self.page, language=self.language, where=f"step {name!r}", report=report
            )


@pytest.fixture
def page_factory(browser: Any, live_server: Any, request: Any) -> Iterator[Any]:
    contexts: list[Any] = []
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    counter = itertools.count(1)

    def make(*, locale: str = "en-US", width: int = 1280, height: int = 900) -> tuple[Any, Steps]:
        # Reduced motion switches off Bootstrap's colour transitions, so the accessibility
        # check never samples a button halfway through its hover fade (a flaky contrast failure).
        context = browser.new_context(
            locale=locale,
            viewport={"width": width, "height": height},
            reduced_motion="reduce",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url
        return page, Steps(page, folder, language=locale.split("-")[0], counter=counter)

    yield make
    for context in contexts:
        context.close()


# Reference data that data migrations load (besides the courts): milestone templates, library
# topics, mentoring plan templates. Their loaders are idempotent (get_or_create).
MIGRATION_LOADERS = [
    ("amparo.deadlines.migrations.0002_milestone_templates", "create_templates"),
    ("amparo.library.migrations.0002_topics", "create_topics"),
    ("amparo.mentoring_work.migrations.0002_mentoring_plan_templates", "create_templates"),
]


@pytest.fixture
def demo_program(settings: Any) -> None:
    """The fictional demo program (manage.py demo_data); its users skip 2FA while DEBUG is on."""
    # A transactional test before this one may have flushed what the migrations load: without
    # it the demo's case plans and mentoring plans would have no milestones.
    immigration_courts_load(ImmigrationCourt)
    for module, loader in MIGRATION_LOADERS:
        getattr(importlib.import_module(module), loader)(django_apps, None)
    settings.DEBUG = True
    settings.AMPARO_DEMO_SKIPS_2FA = True
    call_command("demo_data", verbosity=0)
