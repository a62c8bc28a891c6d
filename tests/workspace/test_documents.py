"""The case's documents (issue 7, point 3): upload, versions, comments, type and size checks,
downloads by role (audited), and the hand-off packet's list."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo.core.models import AuditEvent
from amparo.workspace import services
from amparo.workspace.handoff import documents_for_handoff, handoff_display, handoff_snapshot
from amparo.workspace.models import CaseDocument, CaseDocumentVersion, DocumentComment
from amparo.workspace.services.documents import MAX_DOCUMENT_BYTES
from tests.workspace.conftest import workspace_url

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


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


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> set[str]:
    storage = CaseDocumentVersion._meta.get_field("file").storage
    if not storage.exists("case-documents"):
        return set()
    return set(storage.listdir("case-documents")[1])


@pytest.fixture
def document(personas, case) -> CaseDocument:
    return services.case_document_create(
        case=case,
        actor=personas.attorney,
        title="Declaration draft",
        kind="draft",
        milestone=case.milestones.first(),
        file=upload("declaration.pdf", PDF),
        note="First draft",
    )


def download_url(document: CaseDocument, number: int = 1) -> str:
    version = document.versions.get(number=number)
    return reverse("workspace:document_download", args=[document.case.code, version.pk])


# --- upload and versions ----------------------------------------------------------------------


def test_attorney_uploads_a_document_through_the_page(client, personas, case):
    client.force_login(personas.attorney)
    milestone = case.milestones.first()
    response = client.post(
        reverse("workspace:document_upload", args=[case.code]),
        {
            "document-title": "I-589 draft",
            "document-kind": "draft",
            "document-milestone": milestone.pk,
            "document-file": upload("i589.pdf", PDF),
            "document-note": "For the mentor's review",
        },
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=case)
    assert document.title == "I-589 draft"
    assert document.milestone == milestone
    version = document.versions.get()
    assert version.number == 1
    assert version.original_filename == "i589.pdf"
    assert version.content_type == "application/pdf"
    assert version.size == len(PDF)
    assert version.uploaded_by == personas.attorney
    # A random name on disk: neither the file name nor the case code.
    assert "i589" not in version.file.name and case.code not in version.file.name
    page = client.get(workspace_url(case)).content.decode()
    assert "I-589 draft" in page
    assert download_url(document) in page


def test_upload_by_htmx_answers_the_section(client, personas, case):
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("workspace:document_upload", args=[case.code]),
        {
            "document-title": "Photo of the injury",
            "document-kind": "evidence",
            "document-file": upload("photo.jpg", JPEG, "image/jpeg"),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="documents"' in body and "Photo of the injury" in body
    version = CaseDocumentVersion.objects.get()
    assert version.content_type == "image/jpeg"


def test_new_versions_are_numbered_and_kept(personas, document):
    second = services.case_document_version_add(
        document=document, actor=personas.attorney, file=upload("v2.docx", docx_bytes())
    )
    third = services.case_document_version_add(
        document=document, actor=personas.coordinator, file=upload("scan.png", PNG, "image/png")
    )
    assert [v.number for v in document.versions.order_by("number")] == [1, 2, 3]
    assert second.content_type.endswith("wordprocessingml.document")
    assert third.content_type == "image/png"
    assert len(stored_files()) >= 3


def test_version_upload_through_the_page(client, personas, case, document):
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:document_version_add", args=[case.code, document.pk]),
        {f"version-{document.pk}-file": upload("v2.pdf", PDF), f"version-{document.pk}-note": "x"},
    )
    assert response.status_code == 302
    assert document.versions.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "Programs and scripts"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "Only PDF"),
        ("notes.txt", b"plain text notes", "Only PDF"),
        ("photo.pdf", PNG, "PNG image"),
        ("brief.docx", PDF, "PDF file"),
        ("macro.docx", docx_bytes(macros=True), "macros"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_wrong_types_are_refused_and_nothing_is_saved(
    client, personas, case, name, content, message
):
    before = stored_files()
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:document_upload", args=[case.code]),
        {
            "document-title": "Brief",
            "document-kind": "final_filing",
            "document-file": upload(name, content),
        },
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not CaseDocument.objects.exists()
    assert stored_files() == before


def test_too_large_is_refused_and_nothing_is_saved(personas, case):
    before = stored_files()
    big = upload("huge.pdf", b"%PDF-1.4\n" + b"0" * MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationError) as error:
        services.case_document_create(
            case=case, actor=personas.attorney, title="Huge", kind="evidence", file=big
        )
    assert "20 MB" in str(error.value)
    assert not CaseDocument.objects.exists()
    assert stored_files() == before


def test_a_failed_row_write_leaves_no_file(personas, case, document, monkeypatch):
    before = stored_files()

    def boom(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(CaseDocumentVersion, "save", boom)
    with pytest.raises(RuntimeError):
        services.case_document_version_add(
            document=document, actor=personas.attorney, file=upload("v2.pdf", PDF)
        )
    assert stored_files() == before


def test_milestone_of_another_case_is_refused(personas, case):
    from tests.factories import CaseFactory

    other = CaseFactory()
    from amparo.deadlines.models import Milestone

    foreign = Milestone.objects.create(case=other, title_en="X", title_es="X")
    with pytest.raises(ValidationError):
        services.case_document_create(
            case=case,
            actor=personas.attorney,
            title="Doc",
            kind="draft",
            milestone=foreign,
            file=upload("a.pdf", PDF),
        )
    assert not CaseDocument.objects.exists()


def test_title_is_required(client, personas, case):
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:document_upload", args=[case.code]),
        {"document-title": "  ", "document-kind": "draft", "document-file": upload("a.pdf", PDF)},
    )
    assert response.status_code == 422
    assert not CaseDocument.objects.exists()


# --- comments -------------------------------------------------------------------------------


def comment_url(document: CaseDocument, number: int = 1) -> str:
    version = document.versions.get(number=number)
    return reverse("workspace:document_comment", args=[document.case.code, version.pk])


def test_mentor_comments_on_a_version_when_the_file_is_shared(client, personas, document):
    version = document.versions.get()
    client.force_login(personas.mentor)
    response = client.post(
        comment_url(document), {f"comment-{version.pk}-body": "Add the 2019 incident."}
    )
    assert response.status_code == 302
    comment = DocumentComment.objects.get()
    assert comment.author == personas.mentor
    assert comment.body == "Add the 2019 incident."
    # Encrypted at rest.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM workspace_documentcomment")
        assert "2019" not in cursor.fetchone()[0]
    client.force_login(personas.attorney)
    assert "Add the 2019 incident." in client.get(workspace_url(document.case)).content.decode()


def test_empty_comment_is_refused(client, personas, document):
    version = document.versions.get()
    client.force_login(personas.mentor)
    response = client.post(comment_url(document), {f"comment-{version.pk}-body": ""})
    assert response.status_code == 422
    assert not DocumentComment.objects.exists()


def test_mentor_cannot_comment_or_download_when_the_file_is_not_shared(
    client, personas, case, document
):
    case.mentor_file_access = False
    case.save()
    version = document.versions.get()
    client.force_login(personas.mentor)
    assert client.get(download_url(document)).status_code == 404
    response = client.post(comment_url(document), {f"comment-{version.pk}-body": "Hi"})
    assert response.status_code == 404
    assert not DocumentComment.objects.exists()
    page = client.get(workspace_url(case)).content.decode()
    assert "Declaration draft" not in page


def test_mentor_cannot_upload(client, personas, case):
    client.force_login(personas.mentor)
    response = client.post(
        reverse("workspace:document_upload", args=[case.code]),
        {"document-title": "T", "document-kind": "draft", "document-file": upload("a.pdf", PDF)},
    )
    assert response.status_code == 404
    assert not CaseDocument.objects.exists()


# --- downloads --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["attorney", "coordinator", "mentor"])
def test_download_by_those_allowed_is_audited(client, personas, case, document, persona):
    user = getattr(personas, persona)
    client.force_login(user)
    before = set(AuditEvent.objects.values_list("id", flat=True))
    response = client.get(download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert case.code in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    # Exactly one event for the download: a document download, not a page view.
    event = AuditEvent.objects.exclude(id__in=before).get()
    assert event.actor == user
    assert event.action == AuditEvent.Action.CLIENT_DOCUMENT_DOWNLOADED
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
    assert event.ip_address == "127.0.0.1"
    version = document.versions.get()
    assert event.data == {
        "client_id": case.client_id,
        "case_code": case.code,
        "case_document": document.pk,
        "version": version.number,
    }


@pytest.mark.parametrize(
    "persona",
    ["other_attorney", "unverified_attorney", "other_mentor", "other_partner", "partner"],
)
def test_download_refused_to_everyone_else(client, personas, case, document, persona):
    user = getattr(personas, persona)
    client.force_login(user)
    assert client.get(download_url(document)).status_code == 404
    assert not AuditEvent.objects.filter(actor=user).exists()


def test_download_signed_out_goes_to_sign_in(client, document):
    response = client.get(download_url(document))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_version_of_another_case_answers_404(client, personas, case, document):
    from tests.factories import CaseFactory

    other = CaseFactory(attorney_of_record=personas.attorney, stage="placed")
    client.force_login(personas.attorney)
    version = document.versions.get()
    url = reverse("workspace:document_download", args=[other.code, version.pk])
    assert client.get(url).status_code == 404
    missing = reverse("workspace:document_download", args=[case.code, version.pk + 100])
    assert client.get(missing).status_code == 404


def test_documents_section_hidden_from_workspace_readers_without_access(
    client, personas, case, document
):
    client.force_login(personas.partner)
    page = client.get(workspace_url(case))
    assert page.status_code == 200
    assert "Declaration draft" not in page.content.decode()


# --- hand-off packet -------------------------------------------------------------------------


def test_handoff_lists_documents_without_files(personas, case, document):
    services.case_document_version_add(
        document=document, actor=personas.attorney, file=upload("v2.pdf", PDF)
    )
    services.case_document_create(
        case=case,
        actor=personas.attorney,
        title="Photo",
        kind="evidence",
        file=upload("p.png", PNG, "image/png"),
    )
    rows = documents_for_handoff(case=case)
    assert [(r["name"], r["kind"], r["version"]) for r in rows] == [
        ("Declaration draft", "draft", 2),
        ("Photo", "evidence", 1),
    ]
    assert all(r["date"] for r in rows)
    assert set(rows[0]) == {"name", "kind", "version", "date"}
    shown = handoff_display(handoff_snapshot(case=case))["documents"]
    assert shown[0]["kind"] == "Draft"
    assert shown[0]["version"] == 2


def test_handoff_without_documents_is_empty(case):
    assert documents_for_handoff(case=case) == []
