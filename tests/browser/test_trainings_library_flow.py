"""An attorney finishes the program's asylum training (a module, then its quiz) and sees the course
complete; then finds a sample document in the library with a search typed without accents, and
downloads it."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from amparo.accounts.models import User
from amparo.library.models import Document
from amparo.trainings.models import Choice, Course, CourseCompletion, ModuleCompletion

from .helpers import expect_heading, set_user_language, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = [pytest.param("en-US", "en", id="en"), pytest.param("es-MX", "es", id="es")]
# The second demo attorney has done the first of the three modules of the asylum training.
ATTORNEY = "attorney2@demo.amparo.org"
# Typed without its accent: the library finds "Lista de verificación para la declaración…".
SEARCH = "verificacion"


def _in(language: str, value: object) -> str:
    """A model's translated field (title, text) as the page shows it in `language`."""
    with translation.override(language):
        return str(value() if callable(value) else value)


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_attorney_completes_a_training_and_downloads_a_sample(
    demo_program, page_factory, locale, language
):
    set_user_language(ATTORNEY, language)
    attorney = User.objects.get(email=ATTORNEY)
    course = Course.objects.get(kind=Course.Kind.PROGRAM, position=1)
    modules = list(course.modules.order_by("position"))
    assert len(modules) == 3
    assert ModuleCompletion.objects.filter(user=attorney, module=modules[0]).exists()
    course_title = _in(language, lambda: course.title)
    page, steps = page_factory(locale=locale)
    sign_in(page, ATTORNEY, steps=steps)

    # The catalogue shows where the attorney stands on each course.
    page.get_by_role("link", name=t("Trainings", language), exact=True).click()
    page.wait_for_url("**/trainings/")
    expect_heading(page, "Trainings", language)
    in_progress = capfirst(
        t("%(done)s of %(total)s modules done", language) % {"done": 1, "total": 3}
    )
    row = page.locator("main li").filter(has=page.get_by_role("link", name=course_title))
    expect(row).to_contain_text(in_progress)
    steps.shot("catalogue")
    row.get_by_role("link", name=course_title).click()
    page.wait_for_url(f"**/trainings/courses/{course.pk}/")
    expect_heading(page, "My progress", language, level=2)
    expect(page.locator("#progress-heading + p")).to_contain_text(in_progress)
    steps.shot("course")

    # The second module: read, then marked done; the next module opens.
    page.get_by_role("link", name=_in(language, lambda: modules[1].title)).click()
    page.wait_for_url(f"**/trainings/modules/{modules[1].pk}/")
    steps.shot("module")
    page.get_by_role(
        "button", name=t("I watched and read this module: mark it done", language)
    ).click()
    page.wait_for_url(f"**/trainings/modules/{modules[2].pk}/")
    expect(page.locator("main .messages")).to_contain_text(t("Module done.", language))

    # The last module ends with a quiz: every answer right passes and completes the course.
    expect_heading(page, "Quiz", language, level=2)
    steps.shot("quiz")
    for question in modules[2].questions.order_by("position"):
        right = Choice.objects.get(question=question, is_correct=True)
        legend = _in(language, lambda q=question: q.text)
        group = page.get_by_role("group").filter(has_text=legend)
        group.get_by_label(_in(language, lambda c=right: c.text), exact=True).check()
    steps.shot("quiz-answered")
    page.get_by_role("button", name=t("Submit my answers", language)).click()
    page.wait_for_url(f"**/trainings/courses/{course.pk}/")
    passed = t("You passed: %(correct)s of %(total)s right (%(percent)s%%). Module done.", language)
    expect(page.locator("main .messages")).to_contain_text(
        passed % {"correct": 3, "total": 3, "percent": 100}
    )
    badge = page.locator("#progress-heading + p .badge")
    completed = t("completed on %(done)s; valid until %(until)s", language).split("%(done)s")[0]
    expect(badge).to_contain_text(capfirst(completed.strip()))
    expect(badge).to_have_class(re.compile(r"text-bg-success"))
    steps.shot("course-complete")
    assert CourseCompletion.objects.filter(user=attorney, course=course).exists()

    # The library: a search typed without accents finds the accented title.
    page.get_by_role("link", name=t("Library", language), exact=True).click()
    page.wait_for_url("**/library/")
    expect_heading(page, "Sample materials", language)
    steps.shot("library")
    search = page.get_by_label(t("Search titles, descriptions and tags", language))
    search.fill(SEARCH)
    search.press("Enter")
    page.wait_for_url(f"**/library/?*q={SEARCH}*")
    checklist = Document.objects.get(title_en="Asylum declaration checklist")
    title = checklist.title_es if language == "es" else checklist.title_en
    results = page.locator("#document-results tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(title)
    steps.shot("library-search")

    # The latest version downloads.
    with page.expect_download() as download_info:
        results.first.get_by_role("link", name=t("Download", language)).click()
    content = download_info.value.path().read_text(encoding="utf-8")
    assert content.startswith("ASYLUM DECLARATION CHECKLIST")
    assert "Version 2" in content
