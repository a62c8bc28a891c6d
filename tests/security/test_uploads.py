"""Every upload is judged by its content, not its name; size limits hold with a clear message;
zip archives (DOCX, XLSX, ODT) that would unpack to far more than they weigh are refused from
their directory before anything unpacks them; and the names uploaders give their files reach
neither the disk nor the download headers.

The upload fields: case documents and their versions (workspace), library documents and their
versions, mentoring drafts, training certificates, and the two imports (cases, mentor
requests; their content is fuzzed in test_imports_fuzz.py).
"""

from __future__ import annotations

import contextlib
import io
import random
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.cases.models import Case
from amparo.core.storage import MAX_DISPLAY_NAME, display_filename
from amparo.intake.imports import case_import_validate
from amparo.library.filetypes import (
    FileRefused,
    FileType,
    Refusal,
    ZipLimits,
    check_upload,
    check_zip,
    detect_type,
)
from amparo.library.models import DocumentVersion
from amparo.mentoring.models import MentoringRequest
from amparo.mentoring_work.models import Draft
from amparo.trainings.models import Certificate
from amparo.workspace.models import CaseDocumentVersion
from tests.security import zips
from tests.security.conftest import PDF, World, stored_files, world_build
from tests.security.test_forms_fuzz import is_refusal

MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
ARCHIVE_MESSAGE = "would unpack to far more data than it weighs"


# --- The zip check ---------------------------------------------------------------------------


def test_a_200_mb_sheet_of_zeros_is_refused_from_the_directory_without_unpacking(monkeypatch):
    bomb = zips.xlsx_bomb(200)
    assert len(bomb) < 300_000  # 200 MB of zeros weigh about 200 KB
    read: list[int] = []
    original = zipfile.ZipExtFile.read

    def counting_read(self: Any, n: int = -1) -> bytes:
        data = original(self, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    with pytest.raises(FileRefused) as refused:
        check_upload(name="sheet.xlsx", stream=io.BytesIO(bomb), size=len(bomb), max_size=20 * MB)
    assert refused.value.reason == Refusal.ARCHIVE_TOO_LARGE
    assert sum(read) < MB  # nothing was unpacked (a few bytes of small members at most)


@pytest.mark.parametrize(
    ("data", "limits"),
    [
        (zips.docx_bomb(30), ZipLimits()),  # a ratio far beyond what documents compress
        (zips.many_members(50), ZipLimits(max_members=20)),
        (
            zips.docx(zips.member("word/media/a.bin", bytes(300_000))),
            ZipLimits(max_unpacked_bytes=200_000),
        ),
        (zips.nested(2), ZipLimits()),  # an archive in an archive in the document
    ],
    ids=["ratio", "members", "unpacked-size", "nested"],
)
def test_zip_limits_refuse_bombs(data, limits):
    with pytest.raises(FileRefused) as refused:
        check_zip(io.BytesIO(data), limits=limits)
    assert refused.value.reason == Refusal.ARCHIVE_TOO_LARGE


def test_default_limits_refuse_too_many_members_and_deep_nesting():
    for data in (zips.many_members(2_100), zips.nested(3)):
        with pytest.raises(FileRefused) as refused:
            detect_type(io.BytesIO(data))
        assert refused.value.reason == Refusal.ARCHIVE_TOO_LARGE


def test_real_office_files_pass_the_zip_check():
    embedded_sheet = zips.real_xlsx([["Exhibit", 1]])
    with_chart = zips.docx(
        zips.member("word/embeddings/Microsoft_Excel_Sheet.xlsx", embedded_sheet)
    )
    assert detect_type(io.BytesIO(with_chart)) == FileType.DOCX
    assert detect_type(io.BytesIO(zips.real_xlsx([["a", "b"]] * 2_000))) == FileType.XLSX
    # A few megabytes of incompressible media: a ratio near 1.
    photo = zips.member("word/media/photo.jpeg", random.Random(7).randbytes(3 * MB))
    assert detect_type(io.BytesIO(zips.docx(photo))) == FileType.DOCX


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    base=st.sampled_from([zips.docx(), zips.real_xlsx([["a"]]), zips.nested(1)]),
    cuts=st.lists(st.tuples(st.integers(min_value=0), st.binary(max_size=8)), max_size=6),
)
def test_damaged_zips_are_refused_never_crash(base, cuts):
    data = bytearray(base)
    for position, replacement in cuts:
        at = position % max(len(data), 1)
        data[at : at + len(replacement)] = replacement
    with contextlib.suppress(FileRefused):
        detect_type(io.BytesIO(bytes(data)))


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(
    prefix=st.sampled_from([b"", b"PK\x03\x04", b"%PDF-", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
    body=st.binary(max_size=400),
    name=st.sampled_from(["a.pdf", "a.docx", "a.txt", "a.png", "a.jpg", "a", "a.exe"]),
)
def test_any_bytes_are_judged_or_refused_never_crash(prefix, body, name):
    data = prefix + body
    try:
        checked = check_upload(name=name, stream=io.BytesIO(data), size=len(data), max_size=MB)
    except FileRefused:
        return
    assert name.rpartition(".")[2] in {"pdf", "docx", "txt", "png", "jpg"}
    assert checked.file_type in FileType


# --- Each upload field, through its page -------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """One upload field: who posts, where, with which other fields, and what it saves."""

    persona: str
    url: Callable[[World], str]
    data: Callable[[World, SimpleUploadedFile], dict[str, Any]]
    model: Any
    download: Callable[[Any], str] | None = None  # the download URL of a saved row
    name_field: str = "original_name"

    def post(self, client: Any, world: World, upload: SimpleUploadedFile) -> Any:
        client.force_login(getattr(world.personas, self.persona))
        return client.post(self.url(world), self.data(world, upload))


def _library_data(world: World, upload: SimpleUploadedFile) -> dict[str, Any]:
    return {
        "kind": "template",
        "title_en": "Letter",
        "language": "en",
        "redacted": "on",
        "notes": "New exhibits.",
        "file": upload,
    }


UPLOADS = {
    "case document": Upload(
        "attorney",
        lambda w: reverse("workspace:document_upload", args=[w.values["case"]]),
        lambda w, f: {
            "document-title": "Declaration",
            "document-kind": "draft",
            "document-file": f,
        },
        CaseDocumentVersion,
        lambda v: reverse("workspace:document_download", args=[v.document.case.code, v.pk]),
        name_field="original_filename",
    ),
    "case document version": Upload(
        "attorney",
        lambda w: reverse(
            "workspace:document_version_add", args=[w.values["case"], w.values["document"]]
        ),
        lambda w, f: {f"version-{w.values['document']}-file": f},
        CaseDocumentVersion,
        lambda v: reverse("workspace:document_download", args=[v.document.case.code, v.pk]),
        name_field="original_filename",
    ),
    "library document": Upload(
        "coordinator",
        lambda w: reverse("library:document_create"),
        _library_data,
        DocumentVersion,
        lambda v: reverse("library:version_download", args=[v.pk]),
    ),
    "library version": Upload(
        "coordinator",
        lambda w: reverse("library:version_create", args=[w.values["library_document"]]),
        _library_data,
        DocumentVersion,
        lambda v: reverse("library:version_download", args=[v.pk]),
    ),
    "mentoring draft": Upload(
        "attorney",
        lambda w: reverse("mentoring_work:draft_upload", args=[w.values["plan_milestone"]]),
        lambda w, f: {"file": f, "note": "Second draft"},
        Draft,
        lambda v: reverse("mentoring_work:draft_download", args=[v.pk]),
    ),
    "training certificate": Upload(
        "attorney",
        lambda w: reverse("trainings:certificate_upload", args=[w.values["course"]]),
        lambda w, f: {"file": f, "completed_on": timezone.localdate().isoformat()},
        Certificate,
        lambda v: reverse("trainings:certificate_file", args=[v.pk]),
    ),
}
IMPORTS = {
    "case import": Upload(
        "coordinator",
        lambda w: reverse("intake:case_import"),
        lambda w, f: {"action": "upload", "file": f},
        Case,
    ),
    "mentor request import": Upload(
        "partner",
        lambda w: reverse("mentoring:request_upload"),
        lambda w, f: {"file": f},
        MentoringRequest,
    ),
}


def _refused(response: Any) -> bool:
    """4xx, or the form shown again with its errors."""
    return is_refusal(response)


def _text(response: Any) -> str:
    return unicodedata.normalize("NFC", response.content.decode()).replace("&#x27;", "'")


# Content that does not match the name, for upload fields that take PDF.
BAD_CONTENT = [
    ("page.pdf", HTML),  # a web page renamed .pdf
    ("setup.pdf", EXE),  # a Windows program renamed .pdf
    ("logo.pdf", SVG),
    ("scan.pdf", PNG),  # an image named .pdf: the name lies (certificates and case documents
    # take PNG, but not under a .pdf name)
    ("brief.docx", PDF),  # a real PDF named .docx
    ("brief.pdf", zips.docx()),  # a real DOCX named .pdf
    ("bomb.docx", zips.docx_bomb(30)),
    ("run.pdf", b"#!/bin/sh\nrm -rf ~\n"),
    ("empty.pdf", b""),
]


@pytest.mark.parametrize("field", sorted(UPLOADS))
def test_uploads_are_refused_by_content_and_save_nothing(client, personas, _private_media, field):
    world = world_build(personas)
    upload = UPLOADS[field]
    for name, content in BAD_CONTENT:
        rows, files = upload.model.objects.count(), stored_files(_private_media)
        response = upload.post(client, world, SimpleUploadedFile(name, content))
        assert _refused(response), (field, name, response.status_code)
        assert upload.model.objects.count() == rows, (field, name)
        assert stored_files(_private_media) == files, (field, name)
    # The same field takes a real PDF under its own name.
    response = upload.post(client, world, SimpleUploadedFile("declaration.pdf", PDF))
    assert response.status_code in (200, 302) and not _refused(response), field


@pytest.mark.parametrize("field", sorted(UPLOADS))
def test_zip_bombs_are_refused_with_a_clear_message(client, personas, _private_media, field):
    world = world_build(personas)
    upload = UPLOADS[field]
    rows = upload.model.objects.count()
    response = upload.post(client, world, SimpleUploadedFile("bomb.docx", zips.docx_bomb(30)))
    assert _refused(response)
    if field != "training certificate":  # certificates take no Word file at all
        assert ARCHIVE_MESSAGE in _text(response)
    assert upload.model.objects.count() == rows


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("case document", "20 MB"),
        ("case document version", "20 MB"),
        ("library document", "1 MB"),
        ("library version", "1 MB"),
        ("mentoring draft", "1 MB"),
        ("training certificate", "1 MB"),
    ],
)
def test_uploads_over_the_size_limit_are_refused_with_the_limit(
    client, personas, settings, monkeypatch, field, limit
):
    settings.AMPARO_LIBRARY_MAX_UPLOAD_MB = 1
    monkeypatch.setattr("amparo.workspace.services.documents.MAX_DOCUMENT_BYTES", MB)
    monkeypatch.setattr("amparo.trainings.services.certificates.CERTIFICATE_MAX_BYTES", MB)
    world = world_build(personas)
    upload = UPLOADS[field]
    rows = upload.model.objects.count()
    big = SimpleUploadedFile("big.pdf", PDF + b"%" + b"0" * MB)
    response = upload.post(client, world, big)
    assert _refused(response)
    assert limit in _text(response)
    assert upload.model.objects.count() == rows


def test_imports_over_their_size_limit_are_refused_with_the_limit(client, personas):
    world = world_build(personas)
    cases = IMPORTS["case import"]
    big_csv = b"client_given_names\n" + b"Ana\n" * (5 * MB // 4 + 1)
    response = cases.post(client, world, SimpleUploadedFile("cases.csv", big_csv))
    assert response.status_code == 422 and "larger than 5 MB" in _text(response)
    requests = IMPORTS["mentor request import"]
    big = b"case_code\n" + b"AMP-26-0001\n" * (MB // 12 + 1)
    response = requests.post(client, world, SimpleUploadedFile("requests.csv", big))
    assert response.status_code == 422 and "larger than 1 MB" in _text(response)
    assert not MentoringRequest.objects.filter(source="csv").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cases.csv", EXE),
        ("cases.csv", b"\x00\x01\x02binary"),
        ("cases.xlsx", HTML),
        ("cases.xlsx", PDF),
        ("cases.xlsx", zips.xlsx_bomb(200)),
        ("cases.exe", b"client_given_names\nAna\n"),
    ],
)
def test_imports_refuse_content_that_is_not_their_format(client, personas, name, content):
    world = world_build(personas)
    for field in ("case import", "mentor request import"):
        upload = IMPORTS[field]
        rows = upload.model.objects.count()
        response = upload.post(client, world, SimpleUploadedFile(name, content))
        assert response.status_code == 422, (field, name)
        assert upload.model.objects.count() == rows


# --- File names ------------------------------------------------------------------------------

TRICKY_NAMES = [
    "../../etc/passwd.pdf",
    "..\\..\\windows\\win.ini.pdf",
    "/etc/cron.d/evil.pdf",
    "C:\\Windows\\System32\\evil.pdf",
    "evil\x00.exe.pdf",
    "line\r\nContent-Type: text/html\r\n\r\n<script>.pdf",
    "invoice\u202efdp.exe.pdf",  # the override shows the name's end reversed: "...exe.pdf"
    "zero\u200bwidth\ufeff.pdf",
    "CON.pdf",
    "nul.tar.pdf",
    '"quoted"; filename="other.exe".pdf',
    "<img src=x onerror=alert(1)>.pdf",
    "ñandú résumé 履歴書.pdf",
    "x" * 1_000 + ".pdf",
    ".pdf",
    "....pdf",
]


def raw_multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes) -> bytes:
    """A multipart body as a hostile client could send it: the file name both as a plain
    quoted parameter (with whatever bytes it holds) and as RFC 2231 UTF-8."""
    boundary = "----amparo-security-boundary"
    lines = []
    for key, value in fields.items():
        lines.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    plain = filename.replace("\r", "").replace("\n", "").encode("utf-8", "surrogatepass")
    encoded = quote(filename, safe="")
    lines.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '.encode()
        + b'filename="'
        + plain.replace(b'"', b"%22")
        + b'"; '
        + f"filename*=UTF-8''{encoded}\r\nContent-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    lines.append(f"--{boundary}--\r\n".encode())
    return b"".join(lines)


def post_raw(client: Any, url: str, body: bytes) -> Any:
    return client.post(
        url, body, content_type="multipart/form-data; boundary=----amparo-security-boundary"
    )


def assert_safe_name(shown: str) -> None:
    assert shown, "an empty name"
    assert len(shown) <= MAX_DISPLAY_NAME
    assert "/" not in shown and "\\" not in shown
    assert shown == shown.strip(" .")
    assert not any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in shown), shown
    assert shown.split(".")[0].lower() not in {"con", "nul", "prn", "aux"}
    assert display_filename(shown) == shown  # already as clean as it gets


def assert_inside(root: Path, stored: str) -> None:
    path = (root / stored).resolve()
    assert path.is_relative_to(root.resolve()), stored
    generated = re.compile(r"[0-9a-f]{32}")
    assert generated.search(Path(stored).name), stored  # a random name, not the sender's
    for word in ("passwd", "etc", "windows", "evil", "CON", "nul.tar", "img"):
        assert word not in Path(stored).name, stored


def assert_safe_download(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.isascii() and "\r" not in disposition and "\n" not in disposition
    match = re.fullmatch(r'attachment; filename="([A-Za-z0-9._-]+)"', disposition)
    assert match, disposition  # a name Amparo made (case code, version), nothing the sender chose
    assert response["X-Content-Type-Options"] == "nosniff"
    b"".join(response.streaming_content)


STORING = ["case document", "library document", "mentoring draft", "training certificate"]


@pytest.mark.parametrize("field", STORING)
def test_tricky_file_names_stay_out_of_paths_and_headers(client, personas, _private_media, field):
    world = world_build(personas)
    upload = UPLOADS[field]
    client.force_login(getattr(personas, upload.persona))
    for index, filename in enumerate(TRICKY_NAMES):
        latest = upload.model.objects.order_by("-pk").first()
        sample = SimpleUploadedFile("x.pdf", b"")
        fields = {
            key: str(value)
            for key, value in upload.data(world, sample).items()
            if not isinstance(value, SimpleUploadedFile)
        }
        file_field = next(
            k for k, v in upload.data(world, sample).items() if isinstance(v, SimpleUploadedFile)
        )
        if field == "library document":
            fields["title_en"] = f"Letter {index}"
        body = raw_multipart(fields, file_field, filename, PDF)
        response = post_raw(client, upload.url(world), body)
        assert response.status_code < 500, (field, filename)
        saved = upload.model.objects.order_by("-pk").first()
        if saved is None or saved == latest:
            assert _refused(response), (field, filename, response.status_code)
            continue
        assert_inside(_private_media, saved.file.name)
        assert_safe_name(getattr(saved, upload.name_field))
        assert upload.download is not None
        assert_safe_download(client, upload.download(saved))
        if field == "training certificate":
            saved.delete()  # one pending certificate per course at a time
    for path in stored_files(_private_media):
        assert path.resolve().is_relative_to(_private_media.resolve())


@pytest.mark.parametrize("filename", [*TRICKY_NAMES, "", "/", "\\", "\x00", "a/"])
def test_services_keep_a_safe_name_whatever_the_caller_passes(personas, _private_media, filename):
    """Names that reach a service without Django's multipart parser (an import, the API, a
    job) are cleaned the same way."""
    from amparo.mentoring_work.services.drafts import draft_upload
    from amparo.trainings.services import certificate_upload
    from amparo.workspace.services import case_document_create

    world = world_build(personas)
    p = personas
    raw_name = filename if filename.endswith(".pdf") else filename + ".pdf"
    pdf = File(io.BytesIO(PDF), name=raw_name)
    document = case_document_create(
        case=world.objects["case"], actor=p.attorney, title="T", kind="draft", file=pdf
    )
    version = document.versions.get()
    assert_safe_name(version.original_filename)
    assert_inside(_private_media, version.file.name)

    from amparo.mentoring_work.models import PlanMilestone

    milestone = PlanMilestone.objects.get(pk=world.values["plan_milestone"])
    pdf.seek(0)
    draft = draft_upload(milestone=milestone, actor=p.attorney, file=pdf)
    assert_safe_name(draft.original_name)
    assert_inside(_private_media, draft.file.name)

    from amparo.trainings.models import Course

    upload = SimpleUploadedFile("x.pdf", PDF)
    upload._name = raw_name  # UploadedFile's setter keeps only the base name: set it as sent
    certificate = certificate_upload(
        user=p.attorney,
        course=Course.objects.get(pk=world.values["course"]),
        upload=upload,
        completed_on=timezone.localdate(),
    )
    assert_safe_name(certificate.original_name)
    assert_inside(_private_media, certificate.file.name)


def test_original_names_are_escaped_on_the_pages(client, personas):
    world = world_build(personas)
    client.force_login(personas.attorney)
    upload = UPLOADS["case document"]
    evil = "<img src=x onerror=alert(1)>.pdf"
    body = raw_multipart(
        {"document-title": "T", "document-kind": "draft"}, "document-file", evil, PDF
    )
    post_raw(client, upload.url(world), body)
    page = client.get(reverse("workspace:case", args=[world.values["case"]])).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in page
    assert "<img src=x" not in page


# --- The storage and the name cleaner ------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/etc/passwd", "a/../../b.txt", "..\\..\\..\\x", "dir/../../x"]
)
def test_the_storage_refuses_paths_outside_its_root(_private_media, name):
    try:
        stored = default_storage.save(name, ContentFile(b"x"))
    except SuspiciousFileOperation:
        return
    # A backslash is no separator on POSIX: the name stays one file, inside the root.
    assert (_private_media / stored).resolve().is_relative_to(_private_media.resolve())


def test_the_storage_cleans_control_characters_from_names(_private_media):
    stored = default_storage.save("case-documents/a\x00b\r\nc.pdf", ContentFile(b"x"))
    assert "\x00" not in stored and "\n" not in stored
    assert (_private_media / stored).resolve().is_relative_to(_private_media.resolve())


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=600) | st.sampled_from(TRICKY_NAMES))
def test_display_filename_is_always_safe_and_idempotent(name):
    shown = display_filename(name)
    assert_safe_name(shown)
    assert display_filename(shown) == shown


def test_display_filename_keeps_ordinary_names_and_the_extension():
    assert display_filename("Declaración de Ana.docx") == "Declaración de Ana.docx"
    assert display_filename("../../etc/passwd.pdf") == "passwd.pdf"
    assert display_filename("..\\..\\x.pdf") == "x.pdf"
    assert display_filename("CON.pdf") == "_CON.pdf"
    assert display_filename("invoice\u202efdp.exe") == "invoicefdp.exe"
    assert display_filename("new\nline.pdf") == "new line.pdf"
    long = display_filename("x" * 1_000 + ".pdf")
    assert len(long) == MAX_DISPLAY_NAME and long.endswith(".pdf")
    assert display_filename("", fallback="draft") == "draft"


def test_case_import_of_an_xlsx_bomb_never_reaches_openpyxl(db, monkeypatch):
    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl was asked to open a zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", fail)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", fail)
    result = case_import_validate(content=zips.xlsx_bomb(200), filename="cases.xlsx")
    assert [p.message for p in result.problems] == [
        "This XLSX file is too large once unpacked. Split it into smaller files."
    ]


def test_files_past_the_upload_ceiling_are_not_kept_while_the_request_is_read(
    client, personas, settings, monkeypatch, _private_media
):
    """AMPARO_MAX_UPLOAD_MB: past it, Django keeps none of the file's bytes (neither in memory
    nor in a temporary file), and the field's own limit refuses it with its message."""
    from amparo.core import uploads

    settings.AMPARO_MAX_UPLOAD_MB = 1
    settings.AMPARO_LIBRARY_MAX_UPLOAD_MB = 1
    monkeypatch.setattr("amparo.workspace.services.documents.MAX_DOCUMENT_BYTES", MB)
    oversized: list[int] = []
    original = uploads.OversizedUpload.__init__

    def spy(self: Any, name: str, content_type: str, size: int) -> None:
        oversized.append(size)
        original(self, name, content_type, size)

    monkeypatch.setattr(uploads.OversizedUpload, "__init__", spy)
    world = world_build(personas)
    rows = CaseDocumentVersion.objects.count()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (3 * MB))
    response = UPLOADS["case document"].post(client, world, big)
    assert response.status_code == 422
    assert "larger than 20 MB" in _text(response)
    assert oversized == [len(PDF) + 3 * MB]  # the size as sent, with none of the bytes
    assert CaseDocumentVersion.objects.count() == rows
    # Below the ceiling, files are received as usual.
    response = UPLOADS["case document"].post(client, world, SimpleUploadedFile("a.pdf", PDF))
    assert response.status_code == 302
    assert CaseDocumentVersion.objects.count() == rows + 1
