"""The upload check decides by content: what is accepted, what is refused and why."""

from __future__ import annotations

import io

import pytest

from amparo.library.demo import tiny_pdf
from amparo.library.filetypes import FileRefused, FileType, Refusal, check_upload
from tests.library.conftest import doc_bytes, docx_bytes, odt_bytes, xlsx_bytes

MB = 1024 * 1024


def check(name: str, data: bytes, *, max_size: int = 20 * MB):
    return check_upload(name=name, stream=io.BytesIO(data), size=len(data), max_size=max_size)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("brief.pdf", tiny_pdf(["A sample"]), FileType.PDF),
        ("template.docx", docx_bytes(), FileType.DOCX),
        ("old.doc", doc_bytes(), FileType.DOC),
        ("notes.odt", odt_bytes(), FileType.ODT),
        ("exhibits.xlsx", xlsx_bytes(), FileType.XLSX),
        ("checklist.txt", "Lista de verificación: declaración\n".encode(), FileType.TXT),
        ("windows.TXT", "Declaración".encode("cp1252"), FileType.TXT),
        ("template.txt", b"Dear <name of the official>,\n", FileType.TXT),
    ],
)
def test_filetypes_accepts_the_library_formats(name, data, expected):
    assert check(name, data).file_type == expected


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, Refusal.EXECUTABLE),
        ("brief.pdf", b"MZ\x90\x00" + b"\x00" * 100, Refusal.EXECUTABLE),
        ("tool.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 50, Refusal.EXECUTABLE),
        ("run.txt", b"#!/bin/sh\nrm -rf /\n", Refusal.EXECUTABLE),
        ("page.txt", b"<!DOCTYPE html><html><body>hi</body></html>", Refusal.MARKUP),
        ("page.html", b"<html><script>alert(1)</script></html>", Refusal.MARKUP),
        ("logo.txt", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', Refusal.MARKUP),
        ("macro.docx", docx_bytes(macros=True), Refusal.MACROS),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, Refusal.UNKNOWN_TYPE),
        ("archive.docx", b"PK\x03\x04not really a zip", Refusal.UNKNOWN_TYPE),
        (
            "installer.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            Refusal.UNKNOWN_TYPE,
        ),
        ("notes.md", b"# Notes\n", Refusal.EXTENSION_NOT_ALLOWED),
        ("noextension", b"Plain text\n", Refusal.EXTENSION_NOT_ALLOWED),
        ("brief.pdf", b"A text file renamed\n", Refusal.EXTENSION_MISMATCH),
        ("empty.txt", b"", Refusal.EMPTY),
    ],
)
def test_filetypes_refuses_with_a_reason(name, data, reason):
    with pytest.raises(FileRefused) as refused:
        check(name, data)
    assert refused.value.reason == reason


def test_filetypes_refuses_a_file_over_the_limit_before_reading_it():
    with pytest.raises(FileRefused) as refused:
        check("big.txt", b"x" * (MB + 1), max_size=MB)
    assert refused.value.reason == Refusal.TOO_LARGE
