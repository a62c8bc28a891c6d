"""Zip archives for the tests, built by hand so that a "200 MB" zip bomb costs milliseconds to
make: deflate output is cut at full flushes, so the compressed form of 1 MB of zeros is the
same bytes every time and 200 MB of zeros is that block 200 times (about 200 KB)."""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

MB = 1024 * 1024
_EMPTY_FINAL_BLOCK = b"\x03\x00"  # a raw deflate stream's last (empty, fixed-Huffman) block


@dataclass(frozen=True)
class Member:
    name: str
    deflated: bytes
    size: int
    crc: int


def member(name: str, data: bytes | str) -> Member:
    raw = data.encode() if isinstance(data, str) else data
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = compressor.compress(raw) + compressor.flush()
    return Member(name, deflated, len(raw), zlib.crc32(raw))


@functools.cache
def zeros_member(name: str, megabytes: int) -> Member:
    chunk = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return Member(name, block * megabytes + _EMPTY_FINAL_BLOCK, megabytes * MB, crc)


def build_zip(members: list[Member]) -> bytes:
    """A zip file (deflate, no zip64: every size below 4 GB) of the given members."""
    out = io.BytesIO()
    central = []
    for item in members:
        name = item.name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                8,
                0,
                0x21,
                item.crc,
                len(item.deflated),
                item.size,
                len(name),
                0,
            )
        )
        out.write(name)
        out.write(item.deflated)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                item.crc,
                len(item.deflated),
                item.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), size, start, 0)
    )
    return out.getvalue()


CONTENT_TYPES_DOCX = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
CONTENT_TYPES_XLSX = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def docx(*extra: Member) -> bytes:
    return build_zip(
        [
            member("[Content_Types].xml", CONTENT_TYPES_DOCX),
            member("word/document.xml", "<w:document/>"),
            *extra,
        ]
    )


def xlsx_bomb(megabytes: int = 200) -> bytes:
    """An XLSX whose one sheet is `megabytes` MB of zeros (about 1 KB per MB compressed)."""
    return build_zip(
        [
            member("[Content_Types].xml", CONTENT_TYPES_XLSX),
            member("xl/workbook.xml", "<workbook/>"),
            zeros_member("xl/worksheets/sheet1.xml", megabytes),
        ]
    )


def docx_bomb(megabytes: int = 200) -> bytes:
    return docx(zeros_member("word/media/image1.png", megabytes))


def nested(levels: int) -> bytes:
    """A DOCX holding a zip holding a zip... `levels` archives deep."""
    inner = build_zip([member("readme.txt", "hello")])
    for _ in range(levels - 1):
        inner = build_zip([member("inner.zip", inner)])
    return docx(member("word/embeddings/package.zip", inner))


def many_members(count: int) -> bytes:
    return docx(*(member(f"word/parts/part{n}.xml", "<p/>") for n in range(count)))


def real_xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def is_zip(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data))
