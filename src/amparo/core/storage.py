"""Uploads encrypted at rest: the private file storage behind every FileField.

Each stored file is one Fernet token (MultiFernet over AMPARO_FIELD_KEYS, the same keys as the
encrypted model fields, see crypto.py) after a short magic header, so the storage can tell its
own files from the ones written in clear before encryption was switched on. Files are encrypted
and decrypted whole, in memory: uploads are bounded by the apps' size limits.

Uploads are never served by URL (MEDIA has no public route); views stream them through
`FieldFile.open()` after asking the policy, which goes through `_open` here and so decrypts.
"""

from __future__ import annotations

import io
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterator
from typing import IO, Any

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.encoding import filepath_to_uri

# The helper that builds the MultiFernet from settings.AMPARO_FIELD_KEYS (cached per key set).
from amparo.core.crypto import DecryptionError, _fernet

MAGIC = b"AMPENC1\n"
ROTATION_PREFIX = ".rotating-"

# --- Names ----------------------------------------------------------------------------------
# An uploaded file's name is chosen by whoever uploads it. It never reaches the disk: every
# upload_to builds a random name (uuid4) with an extension taken from the checked content, and
# Django refuses ".." and absolute paths in what reaches the storage. The sender's name is only
# kept to be shown back, after `display_filename` has made it harmless to show.
MAX_DISPLAY_NAME = 255
# Device names Windows will not open as files, whatever the extension ("CON.pdf" is the console).
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in "123456789"}
    | {f"lpt{n}" for n in "123456789"}
)
_SPACES = re.compile(r"\s+")


# Cc: control characters (NUL, newline, escape) and Zl/Zp (line separators) become spaces; Cf:
# format characters, among them the bidirectional overrides (U+202E makes "fdp.exe" show as
# "exe.pdf") and zero-width ones, and Cs/Co/Cn (surrogates, private use, unassigned) go.
_AS_SPACE = frozenset({"Cc", "Zl", "Zp"})
_DROPPED = frozenset({"Cf", "Cs", "Co", "Cn"})


def _shown(char: str) -> str:
    category = unicodedata.category(char)
    if category in _AS_SPACE:
        return " "
    return "" if category in _DROPPED else char


def display_filename(name: object, *, fallback: str = "file") -> str:
    """The uploader's file name as it may be shown and kept: the last path component only
    (slashes of either kind), no control, format or bidirectional-override characters, white
    space collapsed, no leading or trailing dots or spaces, a Windows device name prefixed,
    and at most 255 characters with the extension kept. `fallback` when nothing is left."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(_shown(char) for char in text)
    text = _SPACES.sub(" ", text).strip(" .")
    if not text:
        return fallback
    stem, dot, extension = text.rpartition(".")
    if not dot:
        stem, extension = text, ""
    if stem.split(".")[0].strip().lower() in _WINDOWS_DEVICES:
        text = "_" + text
    if len(text) > MAX_DISPLAY_NAME:
        extension = extension[:16]
        keep = MAX_DISPLAY_NAME - (len(extension) + 1 if extension else 0)
        text = (text[:keep].rstrip(" .") + ("." + extension if extension else ""))[
            :MAX_DISPLAY_NAME
        ]
    return text


def is_encrypted(raw: bytes) -> bool:
    return raw.startswith(MAGIC)


def encrypt_file_bytes(data: bytes) -> bytes:
    return MAGIC + _fernet().encrypt(data)


def decrypt_file_bytes(raw: bytes) -> bytes:
    """The clear content of a stored file.

    A file without the header was written before uploads were encrypted (or by hand): it is
    returned unchanged, so old uploads stay readable until `rotate_keys` encrypts them.
    """
    if not is_encrypted(raw):
        return raw
    try:
        return _fernet().decrypt(raw[len(MAGIC) :])
    except InvalidToken as exc:
        raise DecryptionError(
            "A stored file could not be decrypted with any configured key."
        ) from exc


class DecryptedFile(File):
    """The clear content in memory; reopening it (FieldFile.open after close) decrypts again
    through the storage rather than reading the encrypted file by its name."""

    def __init__(
        self, file: IO[Any], *, name: str, storage: EncryptedStorageMixin, mode: str
    ) -> None:
        super().__init__(file, name=name)
        self._storage = storage
        self._mode = mode

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> DecryptedFile:
        if not self.closed:
            self.seek(0)
        else:
            self.file = self._storage._open(self.name or "", mode or self._mode).file
        return self


class EncryptedStorageMixin(Storage):
    """Encryption at rest over any Django storage: put it before the storage class in the bases
    (`class X(EncryptedStorageMixin, SomeStorage)`). What the underlying storage keeps is the
    header and a Fernet token; what the program reads and writes is the clear content.

    `stored_names`, `read_stored` and `write_stored` reach the stored (encrypted) bytes through
    the storage API, for the backup and the key rotation, whatever the storage is.
    """

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        """Django refuses ".." and absolute paths here; control and format characters (NUL,
        newlines, bidirectional overrides) are taken out of every part of the name as well,
        for a caller that saves under a name it did not build (os.open fails on a NUL)."""
        parts = [
            "".join(char for char in part if unicodedata.category(char)[0] != "C")
            for part in str(name).replace("\\", "/").split("/")
        ]
        return super().get_available_name("/".join(parts), max_length=max_length)

    def _save(self, name: str, content: Any) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        # django-stubs do not declare Storage._save, which Django documents as the hook.
        return super()._save(name, ContentFile(encrypt_file_bytes(data)))  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> File:
        if any(flag in mode for flag in "wax+"):
            raise ValueError("Encrypted files are written through save(), not opened for writing.")
        data = decrypt_file_bytes(self.read_stored(name))
        buffer: IO[Any] = io.BytesIO(data) if "b" in mode else io.StringIO(data.decode("utf-8"))
        return DecryptedFile(buffer, name=name, storage=self, mode=mode)

    def size(self, name: str) -> int:
        # The size of the clear content, as callers expect (the stored token is about a third
        # larger). The apps keep their own size column, so this is rarely asked for.
        return len(decrypt_file_bytes(self.read_stored(name)))

    def read_stored(self, name: str) -> bytes:
        """The bytes as the underlying storage keeps them (the header and the token)."""
        with super()._open(name, "rb") as stored:  # type: ignore[misc]
            data: bytes = stored.read()
        return data

    def write_stored(self, name: str, data: bytes) -> None:
        """Put bytes already in stored form (a backup's) under exactly `name`, replacing any.
        Storages that replace a file in one step override this."""
        if self.exists(name):
            self.delete(name)
        saved = super()._save(name, ContentFile(data))  # type: ignore[misc]
        if saved != name:  # pragma: no cover - only a storage that renames on its own would
            raise OSError(f"The storage kept {name!r} as {saved!r}.")

    def stored_names(self) -> Iterator[str]:
        return stored_names(self)

    def rotate_name(self, name: str) -> None:
        """Re-encrypt one stored file under the newest key (a file in clear is encrypted).
        On object storage the new object replaces the old one whole."""
        self.write_stored(name, _rotated(self.read_stored(name), name))

    def rotate_all(self) -> int:
        """Re-encrypt every stored file under the newest key; returns how many. Idempotent."""
        count = 0
        for name in list(self.stored_names()):
            self.rotate_name(name)
            count += 1
        return count


def stored_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """The name of every file in any storage, through its API (listdir), sorted within each
    directory; left-over rotation temp files excepted."""
    subdirs, files = storage.listdir(directory)
    prefix = f"{directory.rstrip('/')}/" if directory else ""
    for filename in sorted(files):
        if filename and not filename.startswith(ROTATION_PREFIX):
            yield prefix + filename
    for subdir in sorted(subdirs):
        if subdir:
            yield from stored_names(storage, prefix + subdir)


def read_stored(storage: Storage, name: str) -> bytes:
    """A file's bytes as any storage keeps them: encrypted storages give their ciphertext."""
    if isinstance(storage, EncryptedStorageMixin):
        return storage.read_stored(name)
    with storage.open(name, "rb") as stored:
        data: bytes = stored.read()
    return data


def write_stored(storage: Storage, name: str, data: bytes) -> None:
    """Put bytes in stored form under exactly `name` in any storage, replacing any file."""
    if isinstance(storage, EncryptedStorageMixin):
        storage.write_stored(name, data)
        return
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # pragma: no cover - only a storage that renames on its own would
        raise OSError(f"The storage kept {name!r} as {saved!r}.")


def _rotated(raw: bytes, where: str) -> bytes:
    if not is_encrypted(raw):
        return encrypt_file_bytes(raw)
    try:
        return MAGIC + _fernet().rotate(raw[len(MAGIC) :])
    except InvalidToken as exc:
        raise DecryptionError(
            f"The stored file {where} could not be decrypted with any configured key."
        ) from exc


class EncryptedFileSystemStorage(EncryptedStorageMixin, FileSystemStorage):
    """FileSystemStorage whose files are Fernet tokens on disk and clear bytes to the program.

    `url()` is inherited unchanged: it points under the non-public base URL, which no route
    serves. `path()` names the encrypted file on disk; read files through `open()`.
    """

    def read_stored(self, name: str) -> bytes:
        """The bytes on disk, as FileSystemStorage._open would give them."""
        with open(self.path(name), "rb") as stored:
            return stored.read()

    def stored_files(self) -> Iterator[str]:
        """Absolute paths of every stored file (left-over rotation temp files excepted)."""
        root = self.location
        for directory, _subdirs, files in os.walk(root):
            for filename in sorted(files):
                if not filename.startswith(ROTATION_PREFIX):
                    yield os.path.join(directory, filename)

    def rotate_name(self, name: str) -> None:
        self.rotate_file(self.path(name))

    def rotate_file(self, path: str) -> None:
        """Re-encrypt one stored file under the newest key, in place and atomically.

        A file still in clear (written before encryption) is encrypted. The new content goes to a
        temp file in the same directory, then replaces the old one with os.replace, so a crash
        leaves either the old or the new file, never half of one.
        """
        with open(path, "rb") as stored:
            new = _rotated(stored.read(), path)
        directory = os.path.dirname(path)
        handle, temp_path = tempfile.mkstemp(prefix=ROTATION_PREFIX, dir=directory)
        try:
            with os.fdopen(handle, "wb") as temp:
                temp.write(new)
                temp.flush()
                os.fsync(temp.fileno())
            os.chmod(temp_path, stat.S_IMODE(os.stat(path).st_mode))
            os.replace(temp_path, path)
        except BaseException:
            if os.path.exists(temp_path):
                os.unlink(temp_path)
            raise

    def rotate_all(self) -> int:
        """Re-encrypt every stored file under the newest key; returns how many. Idempotent."""
        count = 0
        for path in list(self.stored_files()):
            self.rotate_file(path)
            count += 1
        return count


NON_PUBLIC_BASE_URL = "/no-public-media/"


def _encrypted_s3_storage_class() -> type[Storage]:
    # django-storages imports boto3, which takes a while to load: only a deployment that keeps
    # its uploads in a bucket (AMPARO_MEDIA_STORAGE=s3) pays for it.
    from storages.backends.s3 import S3Storage

    class EncryptedS3Storage(EncryptedStorageMixin, S3Storage):
        """Uploads in an S3-compatible bucket (AWS, MinIO, ...), encrypted before they leave
        the server: the bucket only ever holds the header and a Fernet token.

        Files are private (no public ACL) and never handed out by URL: `url()` points under the
        non-public base URL, as on disk, instead of a pre-signed link to the bucket.
        """

        def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
            return NON_PUBLIC_BASE_URL + filepath_to_uri(name or "")

        def write_stored(self, name: str, data: bytes) -> None:
            # A PUT replaces the object whole: no delete first, so no moment without the file.
            S3Storage._save(self, name, ContentFile(data))

    EncryptedS3Storage.__module__ = __name__
    EncryptedS3Storage.__qualname__ = "EncryptedS3Storage"
    return EncryptedS3Storage


def __getattr__(name: str) -> Any:
    """`amparo.core.storage.EncryptedS3Storage`, built on first use (see above)."""
    if name == "EncryptedS3Storage":
        storage_class = _encrypted_s3_storage_class()
        globals()[name] = storage_class
        return storage_class
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
