"""Uploading documents and versions: type and size checked by content, a clear message,
nothing saved when refused; the version history and "updated on"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse

from amparo.library.models import Document, DocumentVersion
from tests.library.conftest import docx_bytes, upload

CREATE = reverse("library:document_create")


def form_data(**overrides):
    data = {
        "kind": "template",
        "title_en": "Supplement B request letter",
        "title_es": "",
        "description_en": "A letter template.",
        "description_es": "",
        "language": "en",
        "country": "",
        "case_types": ["u_visa"],
        "redacted": "on",
        "notes": "",
    }
    data.update(overrides)
    return data


def stored_files() -> list[Path]:
    root = Path(django_settings.STORAGES["default"]["OPTIONS"]["location"]) / "library"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def staff(client, personas):
    client.force_login(personas.coordinator)
    return client


def test_upload_form_reminds_that_samples_must_be_redacted(staff):
    html = staff.get(CREATE).content.decode()
    assert "Samples must be redacted" in html
    assert "A-number" in html


def test_upload_creates_the_document_and_version_1(staff, personas, pdf):
    before = len(stored_files())
    response = staff.post(CREATE, {**form_data(), "file": upload("letter.pdf", pdf), "topics": []})
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("library:document_detail", args=[document.pk])
    version = document.versions.get()
    assert (version.number, version.file_type, version.uploaded_by) == (
        1,
        "pdf",
        personas.coordinator,
    )
    assert version.size == len(pdf)
    assert list(document.case_types.values_list("case_type", flat=True)) == ["u_visa"]
    assert len(stored_files()) == before + 1
    assert "letter" not in version.file.name  # the stored name is not the uploader's


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 64, "Programs and scripts cannot be uploaded"),
        ("page.html", b"<html><script>alert(1)</script></html>", "Web pages, SVG images"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "Web pages, SVG images"),
        ("fake.pdf", b"just some text\n", "but the file is a TXT file"),
        ("macro.docx", docx_bytes(macros=True), "Office files with macros"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "This file is not a PDF"),
    ],
)
def test_upload_refuses_a_bad_type_with_a_clear_message_and_saves_nothing(
    staff, name, content, message
):
    before = len(stored_files())
    response = staff.post(CREATE, {**form_data(), "file": upload(name, content)})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert len(stored_files()) == before


def test_upload_refuses_a_file_over_the_size_setting(staff, settings):
    settings.AMPARO_LIBRARY_MAX_UPLOAD_MB = 1
    response = staff.post(
        CREATE, {**form_data(), "file": upload("big.txt", b"a" * (1024 * 1024 + 10))}
    )
    assert response.status_code == 422
    assert "larger than 1 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_upload_needs_a_title_and_the_redaction_confirmation(staff):
    response = staff.post(
        CREATE,
        {
            **form_data(title_en="", title_es="", redacted=""),
            "file": upload("a.txt", "text"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Give the document a title in English or in Spanish." in html
    assert "Confirm that the sample has been redacted." in html
    assert not Document.objects.exists()


def test_upload_refuses_an_unknown_country_code(staff):
    response = staff.post(CREATE, {**form_data(country="XX"), "file": upload("a.txt", "text")})
    assert response.status_code == 422
    assert "two-letter country code" in response.content.decode()


def test_upload_is_refused_to_attorneys(client, personas):
    client.force_login(personas.attorney)
    response = client.post(CREATE, {**form_data(), "file": upload("a.txt", "text")})
    assert response.status_code == 404
    assert not Document.objects.exists()


def test_new_version_history_and_updated_on(staff, personas, make_document):
    with time_machine.travel(dt.datetime(2026, 1, 5, 18, tzinfo=dt.UTC)):
        document = make_document()
    url = reverse("library:version_create", args=[document.pk])
    with time_machine.travel(dt.datetime(2026, 3, 2, 18, tzinfo=dt.UTC)):
        response = staff.post(
            url,
            {
                "file": upload("checklist.txt", "1. Interview.\n2. Read back.\n"),
                "notes": "Added the read-back.",
                "redacted": "on",
            },
        )
    assert response.status_code == 302
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    detail = staff.get(reverse("library:document_detail", args=[document.pk]))
    html = detail.content.decode()
    assert "Added the read-back." in html
    assert "March 2, 2026" in html or "Mar. 2, 2026" in html
    listing = staff.get(reverse("library:document_list")).context["page"].object_list[0]
    assert listing.updated_on.date() == dt.date(2026, 3, 2)
    assert listing.latest_number == 2


def test_new_version_needs_notes_and_a_good_file(staff, make_document):
    document = make_document()
    url = reverse("library:version_create", args=[document.pk])
    response = staff.post(
        url, {"file": upload("x.txt", b"<html></html>"), "notes": "", "redacted": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Say what changed in this version." in html
    assert "Web pages, SVG images" in html
    assert document.versions.count() == 1


def test_edit_changes_description_and_tags_not_the_file(staff, make_document):
    document = make_document()
    response = staff.post(
        reverse("library:document_edit", args=[document.pk]),
        form_data(title_en="Renamed", case_types=["defensive_asylum"], country="gt"),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title_en == "Renamed"
    assert document.country == "GT"
    assert list(document.case_types.values_list("case_type", flat=True)) == ["defensive_asylum"]
    assert document.versions.count() == 1
