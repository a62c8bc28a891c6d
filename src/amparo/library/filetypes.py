"""What an uploaded library file really is, decided from its bytes, never from the name or the
browser's Content-Type (both are chosen by whoever uploads).

Accepted: PDF, Word (DOCX and the older DOC), OpenDocument text (ODT), Excel (XLSX) and plain
text. Everything else is refused, with a reason a person can act on: executables and scripts,
HTML and SVG (they run scripts when opened in a browser), macro-enabled Office files, files
whose content does not match their extension (a ".pdf" that is really a web page), and zip
archives (DOCX, XLSX, ODT are zips) that would unpack to far more than they weigh ("zip bombs"),
judged from the archive's directory before a single member is unpacked.

Pure Python: no Django, so the rules are tested without a database.
"""

from __future__ import annotations

import enum
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO


class FileType(enum.StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    DOC = "doc"
    ODT = "odt"
    XLSX = "xlsx"
    TXT = "txt"
    PNG = "png"
    JPEG = "jpeg"


CONTENT_TYPES: dict[FileType, str] = {
    FileType.PDF: "application/pdf",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.DOC: "application/msword",
    FileType.ODT: "application/vnd.oasis.opendocument.text",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.TXT: "text/plain",
    FileType.PNG: "image/png",
    FileType.JPEG: "image/jpeg",
}

# Extensions each type may carry (the name must agree with the content).
EXTENSIONS: dict[FileType, frozenset[str]] = {
    FileType.PDF: frozenset({"pdf"}),
    FileType.DOCX: frozenset({"docx"}),
    FileType.DOC: frozenset({"doc"}),
    FileType.ODT: frozenset({"odt"}),
    FileType.XLSX: frozenset({"xlsx"}),
    FileType.TXT: frozenset({"txt", "text"}),
    FileType.PNG: frozenset({"png"}),
    FileType.JPEG: frozenset({"jpg", "jpeg"}),
}
# What the library accepts; other callers pass their own set (case documents add images).
LIBRARY_TYPES = frozenset(
    {FileType.PDF, FileType.DOCX, FileType.DOC, FileType.ODT, FileType.XLSX, FileType.TXT}
)


class Refusal(enum.StrEnum):
    """Why a file is refused; the form turns each into a sentence in the user's language."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    EXECUTABLE = "executable"
    MARKUP = "markup"
    MACROS = "macros"
    UNKNOWN_TYPE = "unknown_type"
    EXTENSION_NOT_ALLOWED = "extension_not_allowed"
    EXTENSION_MISMATCH = "extension_mismatch"
    ARCHIVE_TOO_LARGE = "archive_too_large"


class FileRefused(Exception):
    def __init__(self, reason: Refusal, detected: FileType | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.detected = detected


@dataclass(frozen=True)
class CheckedFile:
    file_type: FileType
    size: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.file_type]


# Signatures of programs: Windows PE ("MZ"), ELF, Mach-O (both byte orders, fat binaries),
# Java class files share Mach-O fat's CAFEBABE.
_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A Word 97-2003 file is an OLE compound file with a stream named "WordDocument"; directory
# entry names are UTF-16LE. Other OLE files (MSI installers, old Excel) do not have it.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Markup a browser would render (and run scripts in) if the file were ever opened inline.
_MARKUP_MARKERS = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<?xml",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<meta",
    b"<style",
)
# [Content_Types].xml is small; a larger one is not an Office file we want.
_CONTENT_TYPES_LIMIT = 1_000_000
_ZIP_MAGIC = b"PK\x03\x04"
MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """How far a zip archive may unpack, judged from its central directory (the sizes it
    declares) before any member is decompressed.

    Python's zipfile (which openpyxl uses) never returns more than a member's declared size, so
    the declared sizes bound what reading can cost. A real DOCX or XLSX has tens to a few
    hundred members; its XML compresses about 5 to 30 times, images not at all, while a zip
    bomb's members compress about 1000 times (deflate's limit). Small members are not judged by
    their ratio: a few kilobytes of repetitive XML may compress very well and cost nothing.
    """

    max_members: int = 2_000
    max_unpacked_bytes: int = 250 * MB
    max_ratio: int = 200
    ratio_applies_above: int = 2 * MB
    # An archive inside the archive (Word keeps an embedded Excel chart as an .xlsx member) is
    # checked with the same limits; one inside that is refused, and so is one too large to
    # open in memory.
    max_depth: int = 1
    max_nested_bytes: int = 50 * MB


DEFAULT_ZIP_LIMITS = ZipLimits()


def extension_of(name: str) -> str:
    _stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def _read_all(stream: BinaryIO) -> bytes:
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    return data


def _zip_refused() -> FileRefused:
    return FileRefused(Refusal.ARCHIVE_TOO_LARGE)


def _check_zip_archive(archive: zipfile.ZipFile, limits: ZipLimits, depth: int) -> int:
    """The archive's declared unpacked size; FileRefused when it passes a limit."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise _zip_refused()
    total = 0
    for info in members:
        if info.file_size < 0 or info.compress_size < 0:
            raise FileRefused(Refusal.UNKNOWN_TYPE)
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise _zip_refused()
        if info.file_size > limits.ratio_applies_above and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise _zip_refused()
    for info in members:
        if info.is_dir() or info.file_size < len(_ZIP_MAGIC):
            continue
        with archive.open(info) as member:
            head = member.read(len(_ZIP_MAGIC))
        if head != _ZIP_MAGIC:
            continue
        # An archive inside the archive: its own members count too, one level deep at most.
        if depth >= limits.max_depth or info.file_size > limits.max_nested_bytes:
            raise _zip_refused()
        inner = archive.read(info)
        with zipfile.ZipFile(io.BytesIO(inner)) as nested:
            total += _check_zip_archive(nested, limits, depth + 1)
        if total > limits.max_unpacked_bytes:
            raise _zip_refused()
    return total


def check_zip(stream: BinaryIO, *, limits: ZipLimits = DEFAULT_ZIP_LIMITS) -> int:
    """Refuse a zip archive (DOCX, XLSX, ODT...) that would unpack to more than `limits` allow:
    too many members, too many bytes in all, a member compressed far beyond what documents
    compress, or archives nested in archives. Returns the declared unpacked size.

    Raises FileRefused(ARCHIVE_TOO_LARGE) for a bomb, FileRefused(UNKNOWN_TYPE) for bytes that
    are not a readable zip (damaged, encrypted, an unknown compression method)."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            return _check_zip_archive(archive, limits, 0)
    except FileRefused:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        ValueError,
        EOFError,
        OSError,
        OverflowError,
        struct.error,
        zlib.error,
    ) as error:
        raise FileRefused(Refusal.UNKNOWN_TYPE) from error
    finally:
        stream.seek(0)


def _zip_type(stream: BinaryIO) -> FileType | None:
    """DOCX, XLSX or ODT, from the package's own description of itself."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.getinfo("mimetype").file_size > 200:
                    return None
                if archive.read("mimetype").strip() == _ODT_MIMETYPE:
                    return FileType.ODT
                return None
            if "[Content_Types].xml" not in names:
                return None
            if archive.getinfo("[Content_Types].xml").file_size > _CONTENT_TYPES_LIMIT:
                return None
            content_types = archive.read("[Content_Types].xml").lower()
            if (
                b"macroenabled" in content_types
                or any(name.lower().endswith("vbaproject.bin") for name in names)
                or b"vbaproject" in content_types
            ):
                raise FileRefused(Refusal.MACROS)
            if "word/document.xml" in names:
                return FileType.DOCX
            if "xl/workbook.xml" in names:
                return FileType.XLSX
            return None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        NotImplementedError,
        RuntimeError,
        ValueError,
        EOFError,
        OSError,
        OverflowError,
        struct.error,
        zlib.error,
    ):
        return None
    finally:
        stream.seek(0)


def _looks_like_markup(data: bytes) -> bool:
    # Templates use placeholders such as "<client's name>", so a leading "<" alone is fine.
    lowered = data.lower()
    return any(marker in lowered for marker in _MARKUP_MARKERS)


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Windows editors save Spanish text in Windows-1252.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return False
    allowed_controls = {"\t", "\n", "\r", "\f"}
    return not any(ord(ch) < 32 and ch not in allowed_controls for ch in text)


def detect_type(stream: BinaryIO, *, zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS) -> FileType:
    """The file's type from its content; raises FileRefused when it is not one we accept."""
    data = _read_all(stream)
    if not data:
        raise FileRefused(Refusal.EMPTY)
    head = data[:8]
    if data.startswith(_EXECUTABLE_MAGIC) or data.startswith(b"#!"):
        raise FileRefused(Refusal.EXECUTABLE)
    if data.startswith(b"%PDF-"):
        return FileType.PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):  # RFC 2083, section 3.1
        return FileType.PNG
    if data.startswith(b"\xff\xd8\xff"):  # JPEG start-of-image marker (ITU T.81)
        return FileType.JPEG
    if data.startswith(_ZIP_MAGIC):
        check_zip(stream, limits=zip_limits)
        zipped = _zip_type(stream)
        if zipped is None:
            raise FileRefused(Refusal.UNKNOWN_TYPE)
        return zipped
    if head == _OLE_MAGIC:
        if _WORD_STREAM in data:
            return FileType.DOC
        raise FileRefused(Refusal.UNKNOWN_TYPE)
    if _is_plain_text(data):
        if _looks_like_markup(data):
            raise FileRefused(Refusal.MARKUP)
        return FileType.TXT
    raise FileRefused(Refusal.UNKNOWN_TYPE)


def check_upload(
    *,
    name: str,
    stream: BinaryIO,
    size: int,
    max_size: int,
    allowed: frozenset[FileType] = LIBRARY_TYPES,
    zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS,
) -> CheckedFile:
    """Size first (cheap), then the content, then the extension, which must match it."""
    if size <= 0:
        raise FileRefused(Refusal.EMPTY)
    if size > max_size:
        raise FileRefused(Refusal.TOO_LARGE)
    extension = extension_of(name)
    detected = detect_type(stream, zip_limits=zip_limits)
    if detected not in allowed:
        raise FileRefused(Refusal.UNKNOWN_TYPE, detected)
    if extension not in frozenset().union(*(EXTENSIONS[kind] for kind in allowed)):
        raise FileRefused(Refusal.EXTENSION_NOT_ALLOWED, detected)
    if extension not in EXTENSIONS[detected]:
        raise FileRefused(Refusal.EXTENSION_MISMATCH, detected)
    return CheckedFile(file_type=detected, size=size)
