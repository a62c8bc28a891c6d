"""Uploads in an S3-compatible bucket (AMPARO_MEDIA_STORAGE=s3): the bucket holds only
ciphertext, the program reads clear bytes, and backup, restore and key rotation go through the
storage API. The bucket is moto's in-process mock of S3 (`mock_aws`): no network."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command

from amparo.core.storage import MAGIC, EncryptedStorageMixin, decrypt_file_bytes

boto3 = pytest.importorskip("boto3")
moto = pytest.importorskip("moto")

BUCKET = "amparo-test-uploads"
SECRET = b"Declaration of Rosa Quintanilla: she fled after the threats of 2023.\n"


@pytest.fixture
def bucket(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A mocked bucket, and the default storage pointed at it as the s3 settings point it."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": s3_settings_storage(monkeypatch),
        }
        yield client
    # settings' teardown restores STORAGES, which resets `storages` (setting_changed).


def s3_settings_storage(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """STORAGES["default"] exactly as settings.py builds it for AMPARO_MEDIA_STORAGE=s3."""
    monkeypatch.setenv("AMPARO_MEDIA_STORAGE", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    monkeypatch.setenv("AWS_S3_REGION_NAME", "us-east-1")
    from amparo.config import settings as settings_module

    try:
        fresh = importlib.reload(settings_module)
        return dict(fresh.STORAGES["default"])
    finally:
        for name in ("AMPARO_MEDIA_STORAGE", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_REGION_NAME"):
            monkeypatch.delenv(name)
        importlib.reload(settings_module)


def objects(client: Any) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        entry["Key"]: client.get_object(Bucket=BUCKET, Key=entry["Key"])["Body"].read()
        for entry in listing
    }


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def first_key() -> bytes:
    from django.conf import settings

    return settings.AMPARO_FIELD_KEYS[0].encode()


def test_the_s3_switch_gives_a_private_encrypting_bucket_storage(bucket):
    storage = storages["default"]
    assert type(storage).__name__ == "EncryptedS3Storage"
    assert isinstance(storage, EncryptedStorageMixin)
    assert storage.bucket_name == BUCKET
    assert storage.default_acl == "private"
    assert storage.querystring_auth is False


def test_the_bucket_holds_ciphertext_and_the_storage_gives_back_the_clear_bytes(bucket):
    name = default_storage.save("cases/declaration.txt", ContentFile(SECRET))

    stored = objects(bucket)
    assert list(stored) == [name]
    raw = stored[name]
    assert raw.startswith(MAGIC)
    assert SECRET not in raw
    assert b"Quintanilla" not in raw
    assert Fernet(first_key()).decrypt(raw[len(MAGIC) :]) == SECRET

    assert read(name) == SECRET
    assert default_storage.size(name) == len(SECRET)
    with default_storage.open(name, "r") as handle:
        assert handle.read() == SECRET.decode()


def test_a_name_already_taken_gets_another_name_instead_of_replacing_the_file(bucket):
    first = default_storage.save("cases/a.txt", ContentFile(b"first"))
    second = default_storage.save("cases/a.txt", ContentFile(b"second"))
    assert first != second
    assert (read(first), read(second)) == (b"first", b"second")


def test_files_in_the_bucket_have_no_url_that_serves_them(bucket):
    name = default_storage.save("cases/declaration.txt", ContentFile(SECRET))
    url = default_storage.url(name)
    assert url.startswith("/no-public-media/")
    assert "amazonaws" not in url and "Signature" not in url


def test_rotate_keys_reencrypts_the_objects_in_the_bucket(bucket, db, settings):
    name = default_storage.save("cases/declaration.txt", ContentFile(SECRET))
    old_raw = objects(bucket)[name]
    new_key = Fernet.generate_key().decode()
    settings.AMPARO_FIELD_KEYS = [new_key, *settings.AMPARO_FIELD_KEYS]

    call_command("rotate_keys", verbosity=0)

    new_raw = objects(bucket)[name]
    assert new_raw != old_raw
    assert Fernet(new_key.encode()).decrypt(new_raw[len(MAGIC) :]) == SECRET
    settings.AMPARO_FIELD_KEYS = [new_key]  # the old key can go
    assert read(name) == SECRET


def test_backup_and_restore_round_trip_through_the_bucket(bucket, db, tmp_path):
    kept = default_storage.save("cases/kept.txt", ContentFile(SECRET))
    lost = default_storage.save("library/lost.pdf", ContentFile(b"%PDF-1.4 sample"))
    before = objects(bucket)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)

    # After the backup: one file deleted, one added that the backup does not know.
    default_storage.delete(lost)
    added = default_storage.save("cases/added-later.txt", ContentFile(b"later"))
    assert set(objects(bucket)) == {kept, added}

    call_command("restore", archive, force=True, verbosity=0)

    assert objects(bucket) == before  # the same ciphertext, byte for byte, and nothing else
    assert read(kept) == SECRET
    assert read(lost) == b"%PDF-1.4 sample"
    assert all(decrypt_file_bytes(raw) for raw in before.values())


def test_the_archive_holds_the_bucket_ciphertext(bucket, db, tmp_path):
    import tarfile

    name = default_storage.save("cases/declaration.txt", ContentFile(SECRET))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, verbosity=0)
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile(f"media/{name}")
        assert member is not None
        assert member.read() == objects(bucket)[name]


def test_s3_without_a_bucket_name_refuses_to_start(monkeypatch):
    monkeypatch.setenv("AMPARO_MEDIA_STORAGE", "s3")
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    from amparo.config import settings as settings_module

    try:
        with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
            importlib.reload(settings_module)
    finally:
        monkeypatch.delenv("AMPARO_MEDIA_STORAGE")
        importlib.reload(settings_module)


def test_the_default_is_still_the_encrypted_disk():
    assert os.environ.get("AMPARO_MEDIA_STORAGE", "filesystem") == "filesystem"
    assert type(storages["default"]).__name__ == "EncryptedFileSystemStorage"
    assert Path(storages["default"].location).name == "private-media"
