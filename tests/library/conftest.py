"""Fixtures for the library tests: sample files of each accepted type, and documents."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.library.demo import tiny_pdf
from amparo.library.models import Document
from amparo.library.services import document_create


def docx_bytes(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    main = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if macros
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00\x01")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Exhibit"
    workbook.save(buffer)
    return buffer.getvalue()


def doc_bytes() -> bytes:
    # An OLE compound file whose directory names a "WordDocument" stream.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + "WordDocument".encode("utf-16-le") + b"\x00" * 512


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data)


@pytest.fixture
def pdf() -> bytes:
    return tiny_pdf(["Sample brief", "No client data."])


@pytest.fixture
def make_document(personas: Any) -> Any:
    """document_create with sensible defaults, as the coordinator."""

    def make(**fields: Any) -> Document:
        values: dict[str, Any] = {
            "actor": personas.coordinator,
            "kind": "checklist",
            "title_en": "Declaration checklist",
            "title_es": "Lista para la declaración",
            "description_en": "Steps for the client's declaration.",
            "description_es": "Pasos para la declaración del cliente.",
            "language": "en",
            "file": upload("checklist.txt", "1. Interview with an interpreter.\n"),
        }
        values.update(fields)
        return document_create(**values)

    return make
