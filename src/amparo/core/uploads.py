"""One ceiling on every uploaded file, applied while the request is read.

Each upload field has its own limit, checked with a clear message (library and drafts:
AMPARO_LIBRARY_MAX_UPLOAD_MB; case documents: 20 MB; certificates: 10 MB; imports: 5 MB and
1 MB). Those checks run once Django has received the whole file, into memory or a temporary
file on disk. This handler, first in FILE_UPLOAD_HANDLERS, stops keeping a file's bytes once it
passes AMPARO_MAX_UPLOAD_MB, so a multi-gigabyte upload fills neither memory nor the disk when
no proxy in front caps the request (deploy docs: the proxy should). The form then receives an
empty file that still reports its full size, so each field's own size check refuses it with
its usual sentence ("The file is larger than 20 MB...").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

DEFAULT_MAX_UPLOAD_MB = 25


def max_upload_bytes() -> int:
    """The ceiling: AMPARO_MAX_UPLOAD_MB, never below a field's own limit (so that field's
    check, with its message, is the one that refuses)."""
    ceiling = int(getattr(settings, "AMPARO_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB))
    library = int(getattr(settings, "AMPARO_LIBRARY_MAX_UPLOAD_MB", 0))
    return max(ceiling, library, 1) * 1024 * 1024


class OversizedUpload(SimpleUploadedFile):
    """What the form receives for a file past the ceiling: no content, the size sent."""

    def __init__(self, name: str, content_type: str, size: int) -> None:
        super().__init__(name, b"", content_type)
        self.size = size


class SizeCeilingUploadHandler(FileUploadHandler):
    """Passes each file's chunks on to the next handlers until the file passes the ceiling;
    from then on keeps counting, stores nothing, and hands over an OversizedUpload."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the handlers after this one get no more of this file
        return raw_data

    def file_complete(self, file_size: int) -> OversizedUpload | None:
        if self.received <= self.limit:
            return None  # the next handler (memory or temporary file) completes it
        return OversizedUpload(self.file_name or "upload", self.content_type or "", self.received)
