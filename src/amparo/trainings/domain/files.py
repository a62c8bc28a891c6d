"""The content types a certificate may have, and the extension each is downloaded with.

The upload itself is checked by the shared upload check (amparo.library.filetypes.check_upload
with the certificate types: content first, then the name, then zip and size limits), like every
other upload.
"""

from __future__ import annotations

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"

FILE_EXTENSION_FOR_TYPE: dict[str, str] = {PDF: "pdf", PNG: "png", JPEG: "jpg"}
