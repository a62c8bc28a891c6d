"""Backups (issue 8): one archive with the database and the uploaded files, personal data kept
as ciphertext, and a restore that verifies everything and loads it all or nothing.

The round trip runs on whatever database the suite runs on: SQLite always, PostgreSQL in
`make test`'s PostgreSQL pass (DATABASE_URL)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from amparo.accounts.models import User
from amparo.cases.models import Case, Stage
from amparo.core.audit import audit_record
from amparo.core.fields import encrypted_fields
from amparo.core.models import AuditEvent
from amparo.intake.models import Client
from amparo.workspace.models import CaseDocument
from amparo.workspace.services import case_document_create
from tests.factories import CaseFactory, ClientFactory, UserFactory

CLIENT_GIVEN = "Xochitl Itzel"
CLIENT_FAMILY = "Zapeta Quixtán"
CLIENT_A_NUMBER = "A-208-441-973"
CLIENT_PHONE = "(415) 555-0142"
CLIENT_ADDRESS = "742 Calle Escondida, Richmond, CA"
DOCUMENT_MARKER = b"declaration-text-only-in-the-file-7f3a"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + DOCUMENT_MARKER + b"\ntrailer<<>>\n%%EOF\n"


# --- helpers that read the database and the disk without the code under test ------------------


def table_models() -> list[Any]:
    return sorted(
        (
            m
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and m._meta.label_lower != "sessions.session"
        ),
        key=lambda m: m._meta.label_lower,
    )


def raw_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as the database stores it (encrypted columns as tokens)."""
    rows = {}
    with connection.cursor() as cursor:
        for model in table_models():
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")
            rows[model._meta.label_lower] = [tuple(row) for row in cursor.fetchall()]
    return rows


def clear_values() -> dict[str, list[tuple[Any, ...]]]:
    """Every encrypted field, decrypted."""
    values = {}
    for model in table_models():
        fields = [f.attname for f in encrypted_fields(model)]
        if fields:
            values[model._meta.label_lower] = list(
                model._base_manager.order_by("pk").values_list("pk", *fields)
            )
    return values


def media_root() -> Path:
    return Path(storages["default"].location)


def media_files() -> dict[str, bytes]:
    root = media_root()
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def archive_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {
            m.name: archive.extractfile(m).read()  # type: ignore[union-attr]
            for m in archive.getmembers()
            if m.isfile()
        }


def rewrite_archive(path: Path, change: Any) -> None:
    """Rebuild the archive with `change(name, data)` applied to each member's bytes."""
    members = archive_members(path)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            data = change(name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())


def wipe() -> None:
    if connection.vendor == "postgresql":
        # Inside the test's transaction, TRUNCATE needs the deferred foreign-key checks done.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    shutil.rmtree(media_root(), ignore_errors=True)


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def program(db, settings) -> Case:
    """The demo program, a client with known identity, and an uploaded case document."""
    settings.DEBUG = True
    call_command("demo_data", verbosity=0)
    case = Case.objects.filter(stage=Stage.PLACED).order_by("code").first()
    client = case.client
    client.given_names = CLIENT_GIVEN
    client.family_names = CLIENT_FAMILY
    client.a_number = CLIENT_A_NUMBER
    client.phone = CLIENT_PHONE
    client.address = CLIENT_ADDRESS
    client.save()
    case_document_create(
        case=case,
        actor=case.attorney_of_record,
        title=f"Declaration of {CLIENT_GIVEN} {CLIENT_FAMILY}",
        kind="draft",
        file=SimpleUploadedFile("declaration.pdf", PDF, content_type="application/pdf"),
        note="First draft",
    )
    return case


@pytest.fixture
def small(db) -> Case:
    """A few rows and one file: enough for the refusal tests."""
    case = CaseFactory(client=ClientFactory(given_names=CLIENT_GIVEN, family_names=CLIENT_FAMILY))
    attorney = UserFactory()
    case_document_create(
        case=case,
        actor=attorney,
        title="Evidence",
        kind="evidence",
        file=SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf"),
    )
    return case


# --- the round trip ---------------------------------------------------------------------------


def test_backup_round_trip_restores_every_row_and_file_exactly(program, tmp_path):
    rows_before = raw_rows()
    clear_before = clear_values()
    files_before = media_files()
    assert any(name.startswith("case-documents/") for name in files_before)
    assert len(files_before) >= 2  # the demo library's files and the case document
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=archive, verbosity=0)

    created = AuditEvent.objects.get(action=AuditEvent.Action.BACKUP_CREATED)
    assert created.actor is None
    assert created.data["rows"] == sum(len(r) for r in rows_before.values())
    assert created.data["files"] == len(files_before)

    wipe()
    assert not Client.objects.exists() and not media_root().exists()

    call_command("restore", archive, verbosity=0)

    rows_after = raw_rows()
    restored = AuditEvent.objects.get(action=AuditEvent.Action.BACKUP_RESTORED)
    assert restored.actor is None and restored.data["forced"] is False
    # Exactly the rows as they were when the backup was made, plus the restore's own event
    # (the backup's creation was audited after the dump, so the archive does not hold it).
    audit_after = rows_after.pop("core.auditevent")
    audit_before = rows_before.pop("core.auditevent")
    assert audit_after[:-1] == audit_before
    assert audit_after[-1][0] == restored.pk
    assert rows_after.keys() == rows_before.keys()
    for label, rows in rows_before.items():
        assert rows_after[label] == rows, label
    assert media_files() == files_before
    assert clear_values() == clear_before
    client = Client.objects.get(pk=program.client_id)
    assert (client.given_names, client.family_names) == (CLIENT_GIVEN, CLIENT_FAMILY)
    document = CaseDocument.objects.get(case__code=program.code)
    with document.versions.get().file.open("rb") as handle:
        assert handle.read() == PDF


def test_backup_keeps_personal_data_encrypted(program, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)

    members = archive_members(archive)
    everything = b"".join(members.values()) + gzip.decompress(archive.read_bytes())
    for secret in (
        CLIENT_GIVEN,
        CLIENT_FAMILY,
        CLIENT_A_NUMBER,
        CLIENT_A_NUMBER.replace("-", "")[1:],  # the digits as stored before encryption
        CLIENT_PHONE,
        CLIENT_ADDRESS,
    ):
        assert secret.encode("utf-8") not in everything, secret
        assert json.dumps(secret)[1:-1].encode("ascii") not in everything, secret
    assert DOCUMENT_MARKER not in everything
    # The file is in the archive as stored: encrypted, byte for byte.
    stored = media_files()
    name = next(n for n in stored if n.startswith("case-documents/"))
    assert members[f"media/{name}"] == stored[name]
    assert stored[name].startswith(b"AMPENC1\n")


def test_backup_sequences_continue_after_a_restore(small, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)
    highest = max(Client.objects.values_list("pk", flat=True))
    wipe()
    call_command("restore", archive, verbosity=0)

    # New rows get new ids (PostgreSQL's sequences were reset past the restored rows).
    assert ClientFactory().pk > highest
    assert audit_record(actor=None, action=AuditEvent.Action.KEYS_ROTATED).pk > 0


# --- refusals ---------------------------------------------------------------------------------


def test_restore_refuses_a_database_with_data_unless_forced(small, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)
    rows_then = raw_rows()
    later = ClientFactory(given_names="Added after the backup")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", archive, verbosity=0)
    assert Client.objects.filter(pk=later.pk).exists()

    call_command("restore", archive, force=True, verbosity=0)
    assert not Client.objects.filter(pk=later.pk).exists()
    rows_now = raw_rows()
    assert rows_now["intake.client"] == rows_then["intake.client"]
    assert AuditEvent.objects.get(action=AuditEvent.Action.BACKUP_RESTORED).data["forced"]


def test_restore_of_a_tampered_file_fails_and_writes_nothing(small, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)

    def flip_a_byte(name: str, data: bytes) -> bytes:
        if name.startswith("media/case-documents/"):
            return data[:-1] + bytes([data[-1] ^ 1])
        return data

    rewrite_archive(archive, flip_a_byte)
    wipe()
    rows_wiped = raw_rows()

    with pytest.raises(CommandError, match="changed since the backup was made"):
        call_command("restore", archive, verbosity=0)

    assert raw_rows() == rows_wiped
    assert not media_root().exists()
    assert not any(p.name.startswith(".amparo-") for p in media_root().parent.iterdir())


def test_restore_of_a_tampered_row_fails_and_writes_nothing(small, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)

    def drop_a_client(name: str, data: bytes) -> bytes:
        return b"" if name == "database/intake.client.jsonl" else data

    rewrite_archive(archive, drop_a_client)
    with pytest.raises(CommandError, match="changed since the backup was made"):
        call_command("restore", archive, force=True, verbosity=0)
    assert Client.objects.filter(pk=small.client_id).exists()


def test_restore_of_a_load_error_rolls_everything_back(small, tmp_path, monkeypatch):
    """A failure while loading (after the tables were emptied) leaves the database and the
    files as they were."""
    from amparo.core import backup

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)
    rows_before = raw_rows()
    files_before = media_files()
    real_insert = backup._insert

    def failing_insert(cursor: Any, data_path: Path, model: Any) -> None:
        if model is Client:
            raise ValueError("disk on fire")
        real_insert(cursor, data_path, model)

    monkeypatch.setattr(backup, "_insert", failing_insert)
    with pytest.raises(CommandError, match="could not be loaded"):
        call_command("restore", archive, force=True, verbosity=0)
    assert raw_rows() == rows_before
    assert media_files() == files_before


def test_restore_refuses_other_keys(small, tmp_path, settings):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)
    wipe()
    settings.AMPARO_FIELD_KEYS = ["bmV3LWtleS1vbmx5LTAxMjM0NTY3ODlhYmNkZWZnaGk="]
    with pytest.raises(CommandError, match="AMPARO_FIELD_KEYS"):
        call_command("restore", archive, verbosity=0)
    assert not User.objects.exists()


def test_restore_refuses_another_schema(small, tmp_path):
    """A genuine backup (signed with the key) of another schema version."""
    from amparo.core.backup import _sign

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)
    manifest = archive_members(archive)["manifest.json"]
    other = manifest.replace(b'"0001_initial"', b'"0001_initial_elsewhere"', 1)

    def other_schema(name: str, data: bytes) -> bytes:
        return {"manifest.json": other, "manifest.hmac": _sign(other).encode()}.get(name, data)

    rewrite_archive(archive, other_schema)
    with pytest.raises(CommandError, match="different database schema"):
        call_command("restore", archive, force=True, verbosity=0)


def test_restore_refuses_a_file_changed_with_its_checksum(small, tmp_path):
    """Rewriting a file's checksum in the manifest does not help: the manifest is signed."""
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)
    members = archive_members(archive)
    name = next(n for n in members if n.startswith("media/"))
    forged = b"AMPENC1\nforged"
    manifest = members["manifest.json"].replace(
        hashlib.sha256(members[name]).hexdigest().encode(),
        hashlib.sha256(forged).hexdigest().encode(),
    )

    def forge(member: str, data: bytes) -> bytes:
        return {name: forged, "manifest.json": manifest}.get(member, data)

    rewrite_archive(archive, forge)
    with pytest.raises(CommandError, match="signature does not match"):
        call_command("restore", archive, force=True, verbosity=0)
    assert CaseDocument.objects.filter(case=small).exists()


@pytest.mark.parametrize("content", [b"", b"not a tar file at all", b"\x1f\x8b\x08broken"])
def test_restore_of_a_file_that_is_not_a_backup_fails_cleanly(db, tmp_path, content):
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(content)
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", archive, verbosity=0)


def test_restore_refuses_paths_outside_the_archive(small, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as evil:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 3
        evil.addfile(info, io.BytesIO(b"bad"))
    archive.write_bytes(buffer.getvalue())
    with pytest.raises(CommandError, match="unexpected entry"):
        call_command("restore", archive, force=True, verbosity=0)
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_restore_check_verifies_without_writing(small, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)
    out = io.StringIO()
    call_command("restore", archive, check=True, stdout=out)
    assert "is intact" in out.getvalue()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.BACKUP_RESTORED).exists()


def test_backup_keep_prunes_older_archives(small, tmp_path):
    for stamp in ("20260101-010101", "20260102-010101", "20260103-010101"):
        (tmp_path / f"amparo-backup-{stamp}.tar.gz").write_bytes(b"old")
    call_command("backup", directory=tmp_path, keep=2, verbosity=0)
    left = sorted(p.name for p in tmp_path.glob("amparo-backup-*.tar.gz"))
    assert len(left) == 2 and left[0] == "amparo-backup-20260103-010101.tar.gz"
