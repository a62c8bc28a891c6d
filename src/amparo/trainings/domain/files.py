"""What an uploaded certificate really is, judged by its first bytes, not by its name.

A file's extension and the browser's Content-Type are chosen by the sender; the signature at the
start of the file ("magic number") is what a viewer will actually open. PDF: ISO 32000-1 section
7.5.2 ("%PDF-"); PNG: RFC 2083 section 3.1 (8-byte signature); JPEG: ITU T.81 SOI marker
(FF D8) followed by another marker (FF).
"""

from __future__ import annotations

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"

EXTENSIONS: dict[str, str] = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG}
FILE_EXTENSION_FOR_TYPE: dict[str, str] = {PDF: "pdf", PNG: "png", JPEG: "jpg"}
# Enough bytes to recognise every signature above (a PDF header may follow a few stray bytes).
SNIFF_BYTES = 1024


def sniff_certificate_type(head: bytes) -> str | None:
    """The content type the bytes are, among those accepted for certificates; None otherwise."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    # Readers accept the PDF header within the first 1024 bytes (a common leniency).
    if b"%PDF-" in head[:SNIFF_BYTES]:
        return PDF
    return None


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def type_matches_extension(content_type: str, name: str) -> bool:
    return EXTENSIONS.get(extension_of(name)) == content_type
