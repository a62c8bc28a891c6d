"""Re-encrypt every encrypted field, and every uploaded file, under the newest key in
AMPARO_FIELD_KEYS.

Rotation: put the new key first in AMPARO_FIELD_KEYS (keeping the old one after it), deploy,
run this command, then remove the old key. Uploads still stored in clear (written before uploads
were encrypted) are encrypted on the way. Running it again is harmless.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from amparo.core.audit import audit_record
from amparo.core.crypto import rotate_token
from amparo.core.fields import encrypted_fields
from amparo.core.models import AuditEvent
from amparo.core.storage import EncryptedStorageMixin

BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Re-encrypt all personal data with the first key of AMPARO_FIELD_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            if model._meta.proxy:
                continue  # its table is its concrete model's, rotated once with that model
            # A child of multi-table inheritance holds only its own columns in its table.
            fields = [f for f in encrypted_fields(model) if f in model._meta.local_concrete_fields]
            if not fields:
                continue
            total += self._rotate_model(model, fields)
        files = self._rotate_files()
        audit_record(
            actor=None,
            action=AuditEvent.Action.KEYS_ROTATED,
            data={"values": total, "files": files},
        )
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} values and {files} files."))

    def _rotate_files(self) -> int:
        storage = storages["default"]
        if not isinstance(storage, EncryptedStorageMixin):
            self.stderr.write(
                self.style.WARNING(
                    "The default storage does not encrypt files: uploads were left as they are."
                )
            )
            return 0
        return storage.rotate_all()

    def _rotate_model(self, model: Any, fields: list[Any]) -> int:
        # Work on the stored tokens directly (MultiFernet.rotate): no clear text is built, and a
        # value that no key can decrypt stops the command before anything of that batch is written.
        table = connection.ops.quote_name(model._meta.db_table)
        pk_column = connection.ops.quote_name(model._meta.pk.column)
        columns = [connection.ops.quote_name(f.column) for f in fields]
        count = 0
        last_pk: Any = None
        while True:
            with transaction.atomic():
                where = f"WHERE {pk_column} > %s" if last_pk is not None else ""
                params = [last_pk] if last_pk is not None else []
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {pk_column}, {', '.join(columns)} FROM {table} {where} "  # noqa: S608
                        f"ORDER BY {pk_column} LIMIT {BATCH_SIZE}",
                        params,
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        return count
                    for pk, *tokens in rows:
                        rotated = [rotate_token(t) if t else t for t in tokens]
                        assignments = ", ".join(f"{c} = %s" for c in columns)
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s",  # noqa: S608
                            [*rotated, pk],
                        )
                        count += sum(1 for t in tokens if t)
                    last_pk = rows[-1][0]
