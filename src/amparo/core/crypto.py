"""Encryption of personal data at rest, and keyed hashes (blind indexes) to search it.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) through MultiFernet: the first key
in AMPARO_FIELD_KEYS encrypts, every key decrypts, so a key can be rotated without downtime
(`manage.py rotate_keys`). Blind indexes are HMAC-SHA256 under a separate key, so rotating the
encryption keys never changes what searches find.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("AMPARO_FIELD_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys])
    except ValueError as exc:  # wrong length or not url-safe base64
        raise ImproperlyConfigured(f"AMPARO_FIELD_KEYS holds an invalid Fernet key: {exc}") from exc


def _fernet() -> MultiFernet:
    # Read the setting on each call so tests (and rotation) can swap keys; the build is cached.
    return _multi_fernet(tuple(settings.AMPARO_FIELD_KEYS))


def encrypt_text(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError(
            "A stored value could not be decrypted with any configured key."
        ) from exc


def rotate_token(token: str) -> str:
    """Re-encrypt a token under the newest key (MultiFernet.rotate)."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError(
            "A stored value could not be decrypted with any configured key."
        ) from exc


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash of an already-normalised value; `purpose` separates the hash spaces."""
    key = hmac.new(
        settings.AMPARO_BLIND_INDEX_KEY.encode("utf-8"), purpose.encode("utf-8"), hashlib.sha256
    ).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


A_NUMBER_DIGITS = re.compile(r"^\d{8,9}$")


def normalize_a_number(raw: str) -> str:
    """A-numbers are 8 or 9 digits, written A-123-456-789; the 8-digit form is zero-padded.

    Raises ValueError for anything else, so callers can explain the problem to the user.
    """
    digits = re.sub(r"[\s\-.]", "", raw.strip().upper().removeprefix("A"))
    if not A_NUMBER_DIGITS.match(digits):
        raise ValueError("An A-number has 8 or 9 digits, for example A-123-456-789.")
    return digits.zfill(9)


def format_a_number(normalized: str) -> str:
    return f"A-{normalized[0:3]}-{normalized[3:6]}-{normalized[6:9]}"


def a_number_index(raw: str) -> str:
    return blind_index(normalize_a_number(raw), purpose="a_number")
