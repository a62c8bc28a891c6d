"""The content types a certificate may have, and the extension each is downloaded with.

The upload itself is checked by the shared upload check (amparo.library.filetypes.check_upload
with the certificate types: content first, then the name, then zip and size limits), like every
other upload. The signatures it reads are the ones below: PDF: ISO 32000-1 section 7.5.2
("%PDF-" at the start); PNG: RFC 2083 section 3.1 (8-byte signature); JPEG: ITU T.81 SOI marker
(FF D8) followed by another marker (FF). `sniff_certificate_type` applies the same rules to a
file's first bytes, for callers that only hold those.
"""

from __future__ import annotations

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"

EXTENSIONS: dict[str, str] = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG}
FILE_EXTENSION_FOR_TYPE: dict[str, str] = {PDF: "pdf", PNG: "png", JPEG: "jpg"}
# Enough bytes to recognise every signature above.
SNIFF_BYTES = 1024


def sniff_certificate_type(head: bytes) -> str | None:
    """The content type the bytes are, among those accepted for certificates; None otherwise.
    Like the shared check, the signature must open the file: bytes before a "%PDF-" header are
    how polyglot files (a web page that is also a PDF) are built."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def type_matches_extension(content_type: str, name: str) -> bool:
    return EXTENSIONS.get(extension_of(name)) == content_type
