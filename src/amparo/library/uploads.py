"""The upload check as Django sees it: the size limit from settings and the reasons of
`filetypes.check_upload` as sentences in the user's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.library.filetypes import CheckedFile, FileRefused, Refusal, check_upload

# The limit is a setting (AMPARO_LIBRARY_MAX_UPLOAD_MB); 20 MB holds a long brief with exhibits
# and keeps one upload from filling a small server's disk.
DEFAULT_MAX_UPLOAD_MB = 20

TYPE_NAMES = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "doc": "Word (DOC)",
    "odt": "OpenDocument (ODT)",
    "xlsx": "Excel (XLSX)",
    "txt": "TXT",
}


def max_upload_mb() -> int:
    return int(getattr(settings, "AMPARO_LIBRARY_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB))


def archive_refusal_message() -> str:
    """Refusal.ARCHIVE_TOO_LARGE in the active language (every upload that takes Office files)."""
    return _(
        "This file would unpack to far more data than it weighs, or holds too many parts or "
        "archives inside archives, so it cannot be uploaded. Save it again from your word "
        "processor or spreadsheet, or as PDF."
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
        ) % {"max": max_upload_mb()}
    if reason == Refusal.EXECUTABLE:
        return _("Programs and scripts cannot be uploaded to the library.")
    if reason == Refusal.MARKUP:
        return _(
            "Web pages, SVG images and other markup cannot be uploaded: save the document as PDF, "
            "Word or plain text."
        )
    if reason == Refusal.MACROS:
        return _(
            "Office files with macros cannot be uploaded: save the document without macros "
            "(DOCX or XLSX)."
        )
    if reason == Refusal.EXTENSION_NOT_ALLOWED:
        return _("Only files ending in .pdf, .docx, .doc, .odt, .xlsx or .txt can be uploaded.")
    if reason == Refusal.EXTENSION_MISMATCH:
        extension = name.rpartition(".")[2].lower()
        detected = TYPE_NAMES.get(error.detected or "", "?")
        return _(
            "The file name ends in .%(extension)s but the file is a %(detected)s file: rename it "
            "or choose the right file."
        ) % {"extension": extension, "detected": detected}
    return _(
        "This file is not a PDF, Word (DOCX or DOC), OpenDocument text (ODT), Excel (XLSX) or "
        "plain-text file."
    )


def upload_check(file: Any) -> CheckedFile:
    """Check an uploaded file (Django's UploadedFile or File); raise ValidationError, in the
    active language, when it may not go into the library."""
    name = str(getattr(file, "name", "") or "")
    size = int(getattr(file, "size", 0) or 0)
    try:
        return check_upload(
            name=name, stream=file, size=size, max_size=max_upload_mb() * 1024 * 1024
        )
    except FileRefused as error:
        raise ValidationError(_message(error, name=name), code=error.reason.value) from error
