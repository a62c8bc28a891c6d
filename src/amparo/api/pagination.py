"""Cursor pagination: a cursor is the (sort key, id) of the last row of a page, base64-encoded
JSON. The next page is a keyset query from there (an index range scan), so page 5,000 of the
board costs what page 1 costs, and rows added meanwhile are neither skipped nor repeated.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

from django.utils.translation import gettext as _

from amparo.api.errors import invalid

MAX_ID = 2**63 - 1
MAX_CURSOR_LENGTH = 200


def cursor_encode(key: Any, pk: int) -> str:
    value = key.isoformat() if isinstance(key, dt.date) else key
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_cursor() -> Exception:
    return invalid({"cursor": [_("This cursor is not valid: start again without it.")]})


def _decode(cursor: str) -> tuple[Any, int]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise _bad_cursor()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, pk = json.loads(raw)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise _bad_cursor() from None
    if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise _bad_cursor()
    return key, pk


def cursor_decode_int(cursor: str, *, upper: int) -> tuple[int, int]:
    key, pk = _decode(cursor)
    if isinstance(key, bool) or not isinstance(key, int) or not 0 <= key <= upper:
        raise _bad_cursor()
    return key, pk


def cursor_decode_date(cursor: str) -> tuple[dt.date, int]:
    key, pk = _decode(cursor)
    try:
        return dt.date.fromisoformat(key), pk
    except (TypeError, ValueError):
        raise _bad_cursor() from None
