"""The case's documents (issue 7, point 3): drafts, final filings and evidence, kept in versions,
with the mentor's comments on a version.

Files are checked by their content, never by the name or the browser's Content-Type, through
the shared check (library/filetypes.py) limited to PDF, Word (DOCX), PNG and JPEG. They go to private storage under a random name; a write that fails leaves no file behind.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from amparo.cases.models import Case
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.core.storage import display_filename
from amparo.deadlines.models import Milestone
from amparo.library.filetypes import CONTENT_TYPES, FileRefused, FileType, Refusal, check_upload
from amparo.library.uploads import archive_refusal_message
from amparo.workspace.models import (
    CaseDocument,
    CaseDocumentVersion,
    DocumentComment,
    DocumentKind,
)

#: The largest file one version may be: a long brief with its exhibits, not a disk-filler.
MAX_DOCUMENT_MB = 20
MAX_DOCUMENT_BYTES = MAX_DOCUMENT_MB * 1024 * 1024
MAX_TITLE_LENGTH = 200

#: What a case document may be.
IMAGE_TYPES = frozenset({FileType.PNG, FileType.JPEG})
DOCUMENT_TYPES = frozenset({FileType.PDF, FileType.DOCX}) | IMAGE_TYPES
ALLOWED_TYPES_TEXT = "PDF, Word (DOCX), PNG, JPEG"


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def document_file_check(file: Any) -> tuple[str, str]:
    """(content type, extension) of an acceptable upload; a ValidationError on the `file` field,
    in the active language, otherwise."""
    if file is None:
        raise _refuse(_("Choose a file to upload."), "required")
    name = str(getattr(file, "name", "") or "")
    size = int(getattr(file, "size", 0) or 0)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if size <= 0:
        raise _refuse(_("The file is empty."), "empty")
    if size > MAX_DOCUMENT_BYTES:
        raise _refuse(
            _("The file is larger than %(max)s MB. Split it or compress it, then upload it again.")
            % {"max": MAX_DOCUMENT_MB},
            "too_large",
        )
    try:
        checked = check_upload(
            name=name,
            stream=file,
            size=size,
            max_size=MAX_DOCUMENT_BYTES,
            allowed=DOCUMENT_TYPES,
        )
    except FileRefused as error:
        wrong_name = error.reason in (Refusal.EXTENSION_MISMATCH, Refusal.EXTENSION_NOT_ALLOWED)
        if wrong_name and error.detected in IMAGE_TYPES:
            raise _refuse(
                _(
                    "The file name ends in .%(extension)s but the file is a %(detected)s image: "
                    "rename it or choose the right file."
                )
                % {"extension": extension, "detected": str(error.detected).upper()},
                "extension_mismatch",
            ) from error
        if error.reason == Refusal.EXTENSION_MISMATCH and error.detected in DOCUMENT_TYPES:
            raise _refuse(
                _(
                    "The file name ends in .%(extension)s but the file is a %(detected)s file: "
                    "rename it or choose the right file."
                )
                % {"extension": extension, "detected": str(error.detected).upper()},
                "extension_mismatch",
            ) from error
        if error.reason == Refusal.ARCHIVE_TOO_LARGE:
            raise _refuse(archive_refusal_message(), "archive_too_large") from error
        if error.reason == Refusal.EXECUTABLE:
            raise _refuse(_("Programs and scripts cannot be uploaded."), "executable") from error
        if error.reason == Refusal.MACROS:
            raise _refuse(
                _("Office files with macros cannot be uploaded: save the document as DOCX."),
                "macros",
            ) from error
        raise _refuse(
            _("Only %(types)s files can be uploaded.") % {"types": ALLOWED_TYPES_TEXT},
            "type_not_allowed",
        ) from error
    finally:
        file.seek(0)
    stored_extension = "jpg" if checked.file_type == FileType.JPEG else checked.file_type.value
    return CONTENT_TYPES[checked.file_type], stored_extension


def _remove_stored(names: list[str]) -> None:
    storage = CaseDocumentVersion._meta.get_field("file").storage
    for name in names:
        if name and storage.exists(name):
            storage.delete(name)


def _version_save(
    *, document: CaseDocument, actor: Any, file: Any, note: str, number: int
) -> CaseDocumentVersion:
    content_type, extension = document_file_check(file)
    original = display_filename(getattr(file, "name", ""), fallback=f"document.{extension}")
    version = CaseDocumentVersion(
        document=document,
        number=number,
        original_filename=original,
        size=int(file.size),
        content_type=content_type,
        uploaded_by=actor,
        note=note.strip(),
    )
    stored: list[str] = []
    try:
        with transaction.atomic():
            version.file.save(f"upload.{extension}", file, save=False)
            stored.append(version.file.name or "")
            version.save()
    except BaseException:
        # The row was not written: the file must not stay on disk without it.
        _remove_stored(stored)
        raise
    return version


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the document a title.")})
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationError(
            {"title": _("The title is at most %(max)s characters.") % {"max": MAX_TITLE_LENGTH}}
        )
    return title


def case_document_create(
    *,
    case: Case,
    actor: Any,
    title: str,
    kind: str,
    file: Any,
    milestone: Milestone | None = None,
    note: str = "",
) -> CaseDocument:
    """A new document of the case with its first version."""
    title = _clean_title(title)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose what kind of document this is.")})
    if milestone is not None and milestone.case_id != case.pk:
        raise ValidationError({"milestone": _("Choose a milestone of this case's plan.")})
    document_file_check(file)
    with transaction.atomic():
        document = CaseDocument.objects.create(
            case=case, milestone=milestone, title=title, kind=kind, created_by=actor
        )
        _version_save(document=document, actor=actor, file=file, note=note, number=1)
    return document


def case_document_version_add(
    *, document: CaseDocument, actor: Any, file: Any, note: str = ""
) -> CaseDocumentVersion:
    """The next version of a document. The document row is locked, so two uploads at once get
    versions N and N+1."""
    document_file_check(file)
    with transaction.atomic():
        locked = CaseDocument.objects.select_for_update().get(pk=document.pk)
        last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = _version_save(document=locked, actor=actor, file=file, note=note, number=last + 1)
        locked.save(update_fields=["updated_at"])
    return version


@transaction.atomic
def document_comment_add(
    *, version: CaseDocumentVersion, author: Any, body: str
) -> DocumentComment:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    return DocumentComment.objects.create(version=version, author=author, body=body)


def case_document_download_record(
    *, version: CaseDocumentVersion, viewer: Any, request: HttpRequest | None = None
) -> None:
    """A download takes a copy of the client file out of Amparo: one audit event per download,
    on the case (so that the log finds it by case), naming the document by ids only."""
    case = version.document.case
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditEvent.Action.CLIENT_DOCUMENT_DOWNLOADED,
            target=case,
            request=request,
            data={
                "client_id": case.client_id,
                "case_code": case.code,
                "case_document": version.document_id,
                "version": version.number,
            },
        )
