"""Uploads are encrypted at rest: Fernet tokens on disk, clear bytes to the program, files
written before encryption still readable, and keys rotate for files as for fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.urls import reverse

from amparo.core.crypto import DecryptionError
from amparo.core.models import AuditEvent
from amparo.core.storage import MAGIC, ROTATION_PREFIX, EncryptedFileSystemStorage
from tests.factories import LibraryDocumentVersionFactory

SECRET = b"Declaration of Rosa Quintanilla: she fled after the threats of 2023.\n"


def on_disk(name: str) -> bytes:
    return Path(default_storage.path(name)).read_bytes()


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def write_clear(name: str, content: bytes) -> None:
    """A file as the plain FileSystemStorage wrote it before uploads were encrypted."""
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def test_the_default_storage_encrypts():
    assert isinstance(storages["default"], EncryptedFileSystemStorage)


def test_round_trip_gives_back_the_same_bytes():
    name = default_storage.save("cases/declaration.txt", ContentFile(SECRET))
    assert read(name) == SECRET
    assert default_storage.size(name) == len(SECRET)
    with default_storage.open(name, "r") as handle:
        assert handle.read() == SECRET.decode()


def test_bytes_on_disk_are_a_token_after_the_header_and_hide_the_plaintext():
    name = default_storage.save("cases/declaration.txt", ContentFile(SECRET))
    raw = on_disk(name)
    assert raw.startswith(MAGIC)
    assert SECRET not in raw
    assert b"Quintanilla" not in raw
    assert Fernet(_first_key()).decrypt(raw[len(MAGIC) :]) == SECRET


def test_two_saves_of_the_same_content_differ_on_disk():
    first = default_storage.save("a.txt", ContentFile(SECRET))
    second = default_storage.save("b.txt", ContentFile(SECRET))
    assert on_disk(first) != on_disk(second)


def test_a_file_written_in_clear_before_encryption_reads_back_unchanged():
    write_clear("library/old.pdf", b"%PDF-1.4 old upload")
    assert read("library/old.pdf") == b"%PDF-1.4 old upload"
    assert default_storage.size("library/old.pdf") == len(b"%PDF-1.4 old upload")


def test_files_cannot_be_opened_for_writing():
    name = default_storage.save("a.txt", ContentFile(SECRET))
    with pytest.raises(ValueError, match="save"):
        default_storage.open(name, "wb")


def test_uploads_still_have_no_public_url():
    name = default_storage.save("a.txt", ContentFile(SECRET))
    assert default_storage.url(name).startswith("/no-public-media/")


@pytest.mark.django_db
def test_rotation_reencrypts_files_so_the_old_key_can_go(settings):
    old_key = settings.AMPARO_FIELD_KEYS[0]
    settings.AMPARO_FIELD_KEYS = [old_key]
    name = default_storage.save("trainings/certificate.pdf", ContentFile(SECRET))
    write_clear("mentoring/legacy-draft.txt", b"written before encryption")
    before = on_disk(name)

    new_key = Fernet.generate_key().decode()
    settings.AMPARO_FIELD_KEYS = [new_key, old_key]
    call_command("rotate_keys", verbosity=0)
    assert on_disk(name) != before
    assert on_disk(name).startswith(MAGIC)
    assert on_disk("mentoring/legacy-draft.txt").startswith(MAGIC)  # encrypted on the way
    event = AuditEvent.objects.get(action=AuditEvent.Action.KEYS_ROTATED)
    assert event.data["files"] == 2

    settings.AMPARO_FIELD_KEYS = [new_key]  # the old key is retired
    assert read(name) == SECRET
    assert read("mentoring/legacy-draft.txt") == b"written before encryption"
    root = Path(default_storage.path(""))
    assert not [p for p in root.rglob(f"{ROTATION_PREFIX}*")]  # no temp file left behind


@pytest.mark.django_db
def test_rotation_twice_is_harmless_and_reports_the_count(settings, capsys):
    default_storage.save("one.txt", ContentFile(b"one"))
    default_storage.save("sub/two.txt", ContentFile(b"two"))
    call_command("rotate_keys")
    call_command("rotate_keys")
    out = capsys.readouterr().out
    assert out.count("and 2 files.") == 2
    assert read("one.txt") == b"one"
    assert read("sub/two.txt") == b"two"


@pytest.mark.django_db
def test_rotation_stops_loudly_on_a_file_no_key_opens(settings):
    name = default_storage.save("a.txt", ContentFile(SECRET))
    before = on_disk(name)
    settings.AMPARO_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(DecryptionError):
        call_command("rotate_keys", verbosity=0)
    assert on_disk(name) == before  # left as it was
    with pytest.raises(DecryptionError):
        read(name)


@pytest.mark.django_db
def test_download_through_the_library_view_returns_the_original_bytes(client, personas):
    version = LibraryDocumentVersionFactory(document__created_by=personas.coordinator)
    assert on_disk(version.file.name).startswith(MAGIC)
    assert b"Sample text" not in on_disk(version.file.name)

    client.force_login(personas.attorney)
    response = client.get(reverse("library:version_download", args=[version.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == b"Sample text, no client data.\n"
    assert response["Content-Length"] == str(len(body))


def _first_key() -> bytes:
    from django.conf import settings

    return settings.AMPARO_FIELD_KEYS[0].strip().encode()


@pytest.mark.django_db
def test_a_field_file_closed_and_opened_again_still_reads_clear(personas):
    version = LibraryDocumentVersionFactory(document__created_by=personas.coordinator)
    with version.file.open("rb") as handle:
        assert handle.read() == b"Sample text, no client data.\n"
    with version.file.open("rb") as handle:
        assert handle.read() == b"Sample text, no client data.\n"
