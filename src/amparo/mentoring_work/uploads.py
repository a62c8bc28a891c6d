"""The draft upload check: the library's content sniffing (library/filetypes.py: the type is
decided from the bytes, never from the name or the browser), limited to the document types a
draft can be (PDF, DOCX, DOC, ODT, TXT), with this app's own sentences."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.library.filetypes import CheckedFile, FileRefused, FileType, Refusal, check_upload
from amparo.library.uploads import archive_refusal_message

DRAFT_TYPES = frozenset({FileType.PDF, FileType.DOCX, FileType.DOC, FileType.ODT, FileType.TXT})
ACCEPTED_EXTENSIONS = ".pdf,.docx,.doc,.odt,.txt"
# A declaration or a brief with its exhibits; the same default as the library.
DEFAULT_MAX_DRAFT_MB = 20


def max_draft_mb() -> int:
    return int(getattr(settings, "AMPARO_LIBRARY_MAX_UPLOAD_MB", DEFAULT_MAX_DRAFT_MB))


def _not_a_document() -> str:
    return _(
        "A draft must be a PDF, Word (DOCX or DOC), OpenDocument text (ODT) or plain-text file."
    )


def _message(error: FileRefused, *, name: str) -> str:
    reason = error.reason
    if reason == Refusal.ARCHIVE_TOO_LARGE:
        return archive_refusal_message()
    if reason == Refusal.EMPTY:
        return _("The file is empty.")
    if reason == Refusal.TOO_LARGE:
        return _(
            "The file is larger than %(max)s MB. Split it or compress it, then upload it again."
        ) % {"max": max_draft_mb()}
    if reason == Refusal.EXECUTABLE:
        return _("Programs and scripts cannot be uploaded.")
    if reason == Refusal.MARKUP:
        return _(
            "Web pages, SVG images and other markup cannot be uploaded: save the document as PDF, "
            "Word or plain text."
        )
    if reason == Refusal.MACROS:
        return _("Office files with macros cannot be uploaded: save the document as DOCX.")
    if reason == Refusal.EXTENSION_MISMATCH:
        return _(
            "The file's name does not match its content (a .%(extension)s name on a different "
            "kind of file): rename it or choose the right file."
        ) % {"extension": name.rpartition(".")[2].lower()}
    return _not_a_document()


def draft_upload_check(file: Any) -> CheckedFile:
    """Check an uploaded draft; raise ValidationError in the active language when refused."""
    name = str(getattr(file, "name", "") or "")
    size = int(getattr(file, "size", 0) or 0)
    try:
        checked = check_upload(
            name=name, stream=file, size=size, max_size=max_draft_mb() * 1024 * 1024
        )
    except FileRefused as error:
        raise ValidationError(_message(error, name=name), code=error.reason.value) from error
    if checked.file_type not in DRAFT_TYPES:
        raise ValidationError(_not_a_document(), code="not_a_draft_type")
    return checked
