"""Training fixtures: a program course with three modules (the last with a quiz), a course taken
elsewhere, a live training with a session, and valid certificate files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from amparo.trainings.models import Gate
from tests.factories import ChoiceFactory, CourseFactory, LiveSessionFactory, ModuleFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pdf_upload(name: str = "certificate.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Catalogue:
    asylum: Any
    modules: list[Any]
    quiz_module: Any
    right: list[Any]
    wrong: list[Any]
    external: Any
    live: Any
    session: Any


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Each test starts in English: a request earlier in the run may leave Spanish active in the
    thread (the language middleware activates the user's language and does not reset it)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    """Each test keeps its uploads in its own directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "amparo.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {
                "location": str(tmp_path / "private-media"),
                "base_url": "/no-public-media/",
            },
        },
    }


@pytest.fixture
def catalogue(db: Any) -> Catalogue:
    asylum = CourseFactory(
        kind="program",
        title_en="Comprehensive asylum training",
        title_es="Capacitación integral sobre asilo",
        valid_for_months=12,
    )
    modules = [ModuleFactory(course=asylum, position=n) for n in (1, 2, 3)]
    quiz_module = modules[2]
    quiz_module.quiz_pass_mark = 60
    quiz_module.save()
    right, wrong = [], []
    for n in (1, 2):
        from tests.factories import QuestionFactory

        question = QuestionFactory(module=quiz_module, position=n)
        right.append(ChoiceFactory(question=question, text_en=f"Right {n}", is_correct=True))
        wrong.append(ChoiceFactory(question=question, text_en=f"Wrong {n}"))
    external = CourseFactory(
        kind="external",
        title_en="Center of Excellence online training",
        title_es="Capacitación en línea Center of Excellence",
    )
    live = CourseFactory(kind="live", title_en="Live workshop", title_es="Taller en vivo")
    session = LiveSessionFactory(course=live, capacity=2)
    return Catalogue(
        asylum=asylum,
        modules=modules,
        quiz_module=quiz_module,
        right=right,
        wrong=wrong,
        external=external,
        live=live,
        session=session,
    )


@pytest.fixture
def defensive_gate(catalogue: Catalogue) -> Gate:
    gate = Gate.objects.create(action=Gate.Action.TAKE_DEFENSIVE_ASYLUM)
    gate.required_courses.set([catalogue.asylum])
    return gate
