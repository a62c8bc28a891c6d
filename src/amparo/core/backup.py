"""Backups: one tar.gz holding the whole database and every uploaded file, and its restore.

What is in an archive (format version 1):
  manifest.json                     format, when, the schema (applied migrations), per model its
                                    columns, row count and SHA-256, per file its size and SHA-256,
                                    and a key check (see below)
  database/<app>.<model>.jsonl      one JSON array per row: the raw column values, in the
                                    manifest's column order
  media/<path>                      the uploaded files exactly as stored (encrypted at rest)

Personal data stays encrypted in the archive. Django's serializers (dumpdata) go through
`value_to_string`, which decrypts the encrypted fields; here every encrypted column is read as
the stored Fernet token (a Cast to text skips the field's decryption) and written back as is,
and files are copied byte for byte. So an archive is useless without AMPARO_FIELD_KEYS (and the
conflict check without AMPARO_BLIND_INDEX_KEY): the keys are never in it and must be kept
apart, which is the point. The manifest's key check (a Fernet token and an HMAC of a fixed
text, which reveal nothing of the keys) lets `restore` refuse keys that could not read it.

Restore verifies everything before writing anything: the archive's members against the
manifest's checksums, the schema against the database's applied migrations, the keys. Then, in
one transaction, it empties every table, loads every row, checks the foreign keys, resets the
PostgreSQL sequences and swaps the media directory in (object storage: writes the files through
the storage API, see _StoredMedia); any failure rolls all of it back.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import hmac
import json
import os
import shutil
import stat
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.duration import duration_iso_string

from amparo.core import crypto
from amparo.core.audit import audit_record
from amparo.core.fields import ENCRYPTED_FIELD_TYPES
from amparo.core.models import AuditEvent
from amparo.core.storage import (
    ROTATION_PREFIX,
    EncryptedStorageMixin,
    read_stored,
    stored_names,
    write_stored,
)

FORMAT = "amparo-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
#: HMAC of the manifest under a key derived from AMPARO_BLIND_INDEX_KEY: the checksums in the
#: manifest show accidental damage, the signature shows deliberate changes (an altered file
#: with its checksum rewritten) by anyone who does not hold the key.
SIGNATURE_NAME = "manifest.hmac"
SIGNATURE_PURPOSE = "backup_manifest"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
#: Sessions are not kept: after a restore everyone signs in again.
EXCLUDED_MODELS = frozenset({"sessions.session"})
#: A fixed text whose token and keyed hash, in the manifest, tell whether the keys configured
#: at restore time are the ones the backup was made with.
KEY_CHECK_TEXT = "amparo-backup-key-check"
KEY_CHECK_PURPOSE = "backup_key_check"
BATCH_SIZE = 500
CHUNK = 1024 * 1024
ARCHIVE_PREFIX = "amparo-backup-"
ARCHIVE_SUFFIX = ".tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- what is backed up ----------------------------------------------------------------------


def backup_models() -> list[type[models.Model]]:
    """Every model with its own table (many-to-many tables included), by label."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _is_encrypted(field_: models.Field) -> bool:
    return isinstance(field_, ENCRYPTED_FIELD_TYPES)


def _raw_alias(field_: models.Field) -> str:
    return f"amparo_raw_{field_.attname}"


def _raw_rows(model: type[models.Model]) -> Iterator[tuple[Any, ...]]:
    """The rows as stored: encrypted columns come back as their tokens, never decrypted."""
    fields = _columns(model)
    raw = {
        _raw_alias(f): Cast(f.attname, output_field=models.TextField())
        for f in fields
        if _is_encrypted(f)
    }
    names = [_raw_alias(f) if _is_encrypted(f) else f.attname for f in fields]
    queryset = model._base_manager.order_by("pk").annotate(**raw).values_list(*names)
    yield from queryset.iterator(chunk_size=2000)


def _encode(field_: models.Field, value: Any) -> Any:
    """A JSON value that `_decode` turns back into exactly the same column value."""
    if value is None or _is_encrypted(field_) or isinstance(field_, models.JSONField):
        return value
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # full microseconds (DjangoJSONEncoder would cut them)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"{field_.model._meta.label}.{field_.name}: cannot back up {type(value)}")


def _decode(field_: models.Field, value: Any) -> Any:
    """The parameter to insert for a value `_encode` wrote."""
    if value is None:
        return None
    if _is_encrypted(field_):
        return value  # the stored token, inserted untouched
    if not isinstance(field_, models.JSONField):
        value = field_.to_python(value)
    return field_.get_db_prep_save(value, connection)


def _migration_state() -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        state.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(state.items())}


def _media_storage() -> Storage:
    """The uploads' storage: this machine's disk, or object storage reached through the
    storage API (AMPARO_MEDIA_STORAGE=s3); files are copied as stored, encrypted."""
    return storages["default"]


def _media_files(root: Path) -> list[tuple[str, Path]]:
    """(path relative to the media root, absolute path) of every stored file, sorted."""
    found: list[tuple[str, Path]] = []
    if not root.is_dir():
        return found
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for filename in sorted(files):
            path = Path(directory) / filename
            if filename.startswith(ROTATION_PREFIX) or not path.is_file() or path.is_symlink():
                continue  # a key rotation's left-over temp file, or not a plain file
            found.append((path.relative_to(root).as_posix(), path))
    return found


def _sha256_file(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _add(archive: tarfile.TarFile, name: str, handle: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, handle)


# --- backup ---------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    created_at: datetime.datetime
    rows: dict[str, int]
    files: int
    size: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def default_backup_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def backup_create(*, output: Path | None = None, directory: Path | None = None) -> BackupResult:
    """Write a backup archive (atomically: a temp file renamed into place) and audit it."""
    created_at = timezone.now()
    if output is None:
        directory = directory or default_backup_dir()
        output = directory / f"{ARCHIVE_PREFIX}{created_at:%Y%m%d-%H%M%S}{ARCHIVE_SUFFIX}"
    output = output.resolve()
    if output.exists():
        raise BackupError(f"{output} already exists: choose another name.")
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".amparo-backup-", dir=output.parent)
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        os.chmod(temp_path, 0o600)  # ciphertext, but still nobody else's business
        with tarfile.open(temp_path, "w:gz") as archive:
            manifest = _write_archive(archive, created_at=created_at)
        os.replace(temp_path, output)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    rows = {entry["label"]: entry["rows"] for entry in manifest["models"]}
    result = BackupResult(
        path=output,
        created_at=created_at,
        rows=rows,
        files=len(manifest["files"]),
        size=output.stat().st_size,
    )
    # Written after the dump, so the archive does not hold its own creation.
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditEvent.Action.BACKUP_CREATED,
            data={
                "archive": output.name,
                "format_version": FORMAT_VERSION,
                "rows": result.total_rows,
                "files": result.files,
            },
        )
    return result


def _write_archive(archive: tarfile.TarFile, *, created_at: datetime.datetime) -> dict[str, Any]:
    outermost = not connection.in_atomic_block
    # One transaction: every table is read from the same moment (on SQLite the write lock is
    # held meanwhile, so uploads wait for the copy of the files too).
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        model_entries = [_write_model(archive, model) for model in backup_models()]
        file_entries = _write_media(archive)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at.isoformat(),
            "database_vendor": connection.vendor,
            "migrations": _migration_state(),
            "key_check": {
                "field_token": crypto.encrypt_text(KEY_CHECK_TEXT),
                "blind_index": crypto.blind_index(KEY_CHECK_TEXT, purpose=KEY_CHECK_PURPOSE),
            },
            "files_encrypted": isinstance(storages["default"], EncryptedStorageMixin),
            "models": model_entries,
            "files": file_entries,
        }
    data = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
    signature = _sign(data).encode("ascii")
    for name, content in ((MANIFEST_NAME, data), (SIGNATURE_NAME, signature)):
        with tempfile.SpooledTemporaryFile() as buffer:
            buffer.write(content)
            buffer.seek(0)
            _add(archive, name, buffer, len(content))
    return manifest


def _sign(manifest: bytes) -> str:
    return crypto.blind_index(manifest.decode("utf-8"), purpose=SIGNATURE_PURPOSE)


def _write_model(archive: tarfile.TarFile, model: type[models.Model]) -> dict[str, Any]:
    fields = _columns(model)
    name = f"{DATABASE_DIR}/{model._meta.label_lower}.jsonl"
    digest = hashlib.sha256()
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as buffer:
        for row in _raw_rows(model):
            values = [_encode(f, v) for f, v in zip(fields, row, strict=True)]
            line = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            buffer.write(line)
            digest.update(line)
            count += 1
        size = buffer.tell()
        buffer.seek(0)
        _add(archive, name, buffer, size)
    return {
        "label": model._meta.label_lower,
        "table": model._meta.db_table,
        "columns": [f.column for f in fields],
        "rows": count,
        "path": name,
        "sha256": digest.hexdigest(),
    }


def _write_media(archive: tarfile.TarFile) -> list[dict[str, Any]]:
    storage = _media_storage()
    if not isinstance(storage, FileSystemStorage):
        return _write_stored_media(archive, storage)
    root = Path(storage.location)
    entries = []
    for relative, path in _media_files(root):
        with open(path, "rb") as handle:
            digest, size = _sha256_file(handle)
            handle.seek(0)
            name = f"{MEDIA_DIR}/{relative}"
            _add(archive, name, handle, size)
        entries.append({"path": name, "size": size, "sha256": digest})
    return entries


def _write_stored_media(archive: tarfile.TarFile, storage: Storage) -> list[dict[str, Any]]:
    """The files of a storage that is not on this disk (object storage), through its API."""
    entries = []
    for relative in stored_names(storage):
        data = read_stored(storage, relative)
        name = f"{MEDIA_DIR}/{relative}"
        with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as buffer:
            buffer.write(data)
            buffer.seek(0)
            _add(archive, name, buffer, len(data))
        entries.append(
            {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        )
    return entries


def backup_prune(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives this command wrote in `directory`."""
    if keep < 1:
        raise BackupError("Keep at least one backup.")
    archives = sorted(
        p
        for p in directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}")
        if p.is_file() and not p.is_symlink()
    )
    removed = archives[:-keep]
    for path in removed:
        path.unlink()
    return removed


# --- verify ---------------------------------------------------------------------------------


@dataclass
class VerifiedBackup:
    """An archive unpacked in `staging` and checked against its manifest."""

    staging: Path
    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def created_at(self) -> str:
        return str(self.manifest.get("created_at", ""))

    @property
    def total_rows(self) -> int:
        return sum(int(entry["rows"]) for entry in self.manifest["models"])

    @property
    def file_count(self) -> int:
        return len(self.manifest["files"])

    def cleanup(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and "\\" not in name
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def _unpack(path: Path, staging: Path) -> dict[str, str]:
    """Unpack the regular files of the archive into `staging`; their SHA-256 by name."""
    digests: dict[str, str] = {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                if not member.isfile():
                    raise BackupError(
                        f"The archive holds {member.name!r}, which is not a plain file: "
                        "it was not written by `manage.py backup`."
                    )
                if not _safe_member_name(member.name) or member.name in digests:
                    raise BackupError(f"The archive holds an unexpected entry {member.name!r}.")
                source = archive.extractfile(member)
                if source is None:  # pragma: no cover - isfile() said it is a file
                    raise BackupError(f"{member.name!r} cannot be read from the archive.")
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with source, open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
                digests[member.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        if isinstance(exc, FileNotFoundError) and exc.filename == str(path):
            raise BackupError(f"There is no file {path}.") from exc
        raise BackupError(f"{path} is not a readable backup archive ({exc}).") from exc
    return digests


def backup_verify(*, path: Path, staging_parent: Path | None = None) -> VerifiedBackup:
    """Unpack and check an archive; raises BackupError, leaving nothing behind, if it is not
    intact. The caller must `cleanup()` the result."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    parent = staging_parent or default_backup_dir()
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".amparo-restore-", dir=parent))
    verified = VerifiedBackup(staging=staging, manifest={})
    try:
        digests = _unpack(path, staging)
        verified.manifest = _check_manifest(staging, digests)
        _check_keys(verified.manifest)
    except BaseException:
        verified.cleanup()
        raise
    return verified


def _check_manifest(staging: Path, digests: dict[str, str]) -> dict[str, Any]:
    if MANIFEST_NAME not in digests or SIGNATURE_NAME not in digests:
        raise BackupError("The archive has no manifest: it was not written by `manage.py backup`.")
    data = (staging / MANIFEST_NAME).read_bytes()
    signature = (staging / SIGNATURE_NAME).read_bytes().decode("ascii", "replace").strip()
    try:
        signed = hmac.compare_digest(_sign(data), signature)
    except UnicodeError:
        signed = False
    if not signed:
        raise BackupError(
            "The manifest's signature does not match: the archive was changed after it was "
            "made, or AMPARO_BLIND_INDEX_KEY is not the key in use when it was made."
        )
    try:
        manifest = json.loads(data)
    except (ValueError, UnicodeError) as exc:
        raise BackupError("The archive's manifest is damaged.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("The archive's manifest is not an Amparo backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"The backup has format version {manifest.get('format_version')!r}; this version of "
            f"Amparo restores format version {FORMAT_VERSION}."
        )
    expected: dict[str, str] = {}
    try:
        for entry in manifest["models"]:
            if not (
                isinstance(entry["label"], str)
                and str(entry["path"]).startswith(f"{DATABASE_DIR}/")
                and isinstance(entry["rows"], int)
                and isinstance(entry["columns"], list)
            ):
                raise TypeError(entry)
            expected[entry["path"]] = str(entry["sha256"])
        for entry in manifest["files"]:
            if not str(entry["path"]).startswith(f"{MEDIA_DIR}/"):
                raise TypeError(entry)
            expected[entry["path"]] = str(entry["sha256"])
        if not isinstance(manifest["migrations"], dict):
            raise TypeError(manifest["migrations"])
    except (KeyError, TypeError) as exc:
        raise BackupError("The archive's manifest is incomplete.") from exc
    members = set(digests) - {MANIFEST_NAME, SIGNATURE_NAME}
    missing = sorted(set(expected) - members)
    extra = sorted(members - set(expected))
    changed = sorted(name for name in set(expected) & members if digests[name] != expected[name])
    if missing or extra or changed:
        parts = []
        if changed:
            parts.append("changed since the backup was made: " + ", ".join(changed[:5]))
        if missing:
            parts.append("missing: " + ", ".join(missing[:5]))
        if extra:
            parts.append("not in the manifest: " + ", ".join(extra[:5]))
        raise BackupError("The archive does not match its manifest (" + "; ".join(parts) + ").")
    for entry in manifest["models"]:
        with open(staging / entry["path"], "rb") as handle:
            lines = sum(1 for _ in handle)
        if lines != entry["rows"]:
            raise BackupError(
                f"{entry['label']}: the manifest counts {entry['rows']} rows, the archive "
                f"holds {lines}."
            )
    return manifest


def _check_keys(manifest: dict[str, Any]) -> None:
    check = manifest.get("key_check") or {}
    try:
        readable = crypto.decrypt_text(str(check.get("field_token", ""))) == KEY_CHECK_TEXT
    except crypto.DecryptionError:
        readable = False
    if not readable:
        raise BackupError(
            "The encryption keys configured here (AMPARO_FIELD_KEYS) cannot read this backup: "
            "set them to the keys in use when it was made (they are kept apart from backups)."
        )
    hashed = crypto.blind_index(KEY_CHECK_TEXT, purpose=KEY_CHECK_PURPOSE)
    if hashed != check.get("blind_index"):
        raise BackupError(
            "AMPARO_BLIND_INDEX_KEY differs from the key in use when this backup was made: "
            "set it to that key, or searches by A-number and the conflict check would miss."
        )


# --- restore --------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    created_at: str
    rows: int
    files: int


def database_holds_data() -> bool:
    """Whether the database holds anything but what `migrate` itself puts there."""
    from amparo.cases.models import Case
    from amparo.intake.models import Client

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return any(model._base_manager.exists() for model in (user_model, Client, Case, AuditEvent))


def _check_schema(manifest: dict[str, Any]) -> dict[str, type[models.Model]]:
    if manifest["migrations"] != _migration_state():
        raise BackupError(
            "The backup was made with a different database schema (its migrations differ from "
            "this database's). Restore it with the Amparo version that made it into a database "
            "migrated by that version, then upgrade as usual."
        )
    current = {model._meta.label_lower: model for model in backup_models()}
    by_label: dict[str, type[models.Model]] = {}
    for entry in manifest["models"]:
        model = current.get(entry["label"])
        if model is None:
            raise BackupError(f"The backup holds {entry['label']}, which this version lacks.")
        if entry["columns"] != [f.column for f in _columns(model)]:
            raise BackupError(f"The columns of {entry['label']} differ from this version's.")
        by_label[entry["label"]] = model
    return by_label


def backup_restore(*, path: Path, force: bool = False) -> RestoreResult:
    """Replace the database and the uploaded files with an archive's. All or nothing."""
    storage = _media_storage()
    media: _DiskMedia | _StoredMedia
    if isinstance(storage, FileSystemStorage):
        media = _DiskMedia(Path(storage.location).resolve())
        media.root.parent.mkdir(parents=True, exist_ok=True)
        # Unpacked next to the media root, so the files move into place by a rename.
        staging_parent: Path | None = media.root.parent
    else:
        media = _StoredMedia(storage)
        staging_parent = None
    verified = backup_verify(path=Path(path), staging_parent=staging_parent)
    try:
        manifest = verified.manifest
        by_label = _check_schema(manifest)
        if not force and database_holds_data():
            raise BackupError(
                "The database is not empty: restoring would replace everything in it. Run "
                "`manage.py restore --force` to do that."
            )
        staged_media = verified.staging / MEDIA_DIR
        staged_media.mkdir(exist_ok=True)
        try:
            with transaction.atomic():
                _load(verified.staging, manifest, by_label)
                media.put_in_place(staged_media)
                audit_record(
                    actor=None,
                    action=AuditEvent.Action.BACKUP_RESTORED,
                    data={
                        "backup_created_at": verified.created_at,
                        "format_version": FORMAT_VERSION,
                        "rows": verified.total_rows,
                        "files": verified.file_count,
                        "forced": force,
                    },
                )
        except BaseException:
            media.undo()
            raise
        media.finish()
        return RestoreResult(
            created_at=verified.created_at, rows=verified.total_rows, files=verified.file_count
        )
    finally:
        verified.cleanup()


class _DiskMedia:
    """Uploads on this disk: the restored directory replaces the media root by a rename."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.previous = root.parent / f".amparo-media-before-restore-{uuid.uuid4().hex}"
        self.swapped = False

    def put_in_place(self, staged: Path) -> None:
        if self.root.exists():
            os.replace(self.root, self.previous)
        os.replace(staged, self.root)
        self.swapped = True

    def undo(self) -> None:
        if self.swapped:  # put the files back as they were
            shutil.rmtree(self.root, ignore_errors=True)
            if self.previous.exists():
                os.replace(self.previous, self.root)

    def finish(self) -> None:
        shutil.rmtree(self.previous, ignore_errors=True)


class _StoredMedia:
    """Uploads in object storage: the archive's files are written through the storage API
    while the database transaction is open; the files the archive lacks are deleted only
    once it has committed, and a failure deletes the files the restore added. A file the
    archive replaces under the same name keeps its earlier version only where the bucket
    keeps versions (docs/deploy.md)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.before = set(stored_names(storage))
        self.restored: list[str] = []

    def put_in_place(self, staged: Path) -> None:
        for path in sorted(p for p in staged.rglob("*") if p.is_file()):
            name = path.relative_to(staged).as_posix()
            write_stored(self.storage, name, path.read_bytes())
            self.restored.append(name)

    def undo(self) -> None:
        for name in self.restored:
            if name not in self.before:
                self.storage.delete(name)

    def finish(self) -> None:
        for name in sorted(self.before - set(self.restored)):
            self.storage.delete(name)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _load(staging: Path, manifest: dict[str, Any], by_label: dict[str, type[models.Model]]) -> None:
    """Empty every table and load the archive's rows (inside the caller's transaction)."""
    # Every table, the excluded ones (sessions) too: a restore signs everyone out.
    every_model = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    try:
        with connection.cursor() as cursor:
            # Raw DELETEs: foreign keys are checked at commit, and the audit log's manager
            # refuses deletes by design (a restore replaces the log with the backup's).
            for model in every_model:
                cursor.execute(f"DELETE FROM {_quote(model._meta.db_table)}")  # noqa: S608
            for entry in manifest["models"]:
                _insert(cursor, staging / entry["path"], by_label[entry["label"]])
        connection.check_constraints()
        if connection.vendor == "postgresql":
            statements = connection.ops.sequence_reset_sql(no_style(), list(by_label.values()))
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
    except (DatabaseError, ValidationError, ValueError, TypeError) as exc:
        raise BackupError(f"The backup could not be loaded ({exc}).") from exc


def _insert(cursor: Any, data_path: Path, model: type[models.Model]) -> None:
    fields = _columns(model)
    columns = ", ".join(_quote(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {_quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    batch: list[list[Any]] = []
    with open(data_path, encoding="utf-8") as handle:
        for line in handle:
            values = json.loads(line)
            batch.append([_decode(f, v) for f, v in zip(fields, values, strict=True)])
            if len(batch) >= BATCH_SIZE:
                cursor.executemany(sql, batch)
                batch = []
    if batch:
        cursor.executemany(sql, batch)
