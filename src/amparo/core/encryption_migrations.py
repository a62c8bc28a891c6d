"""A migration step that encrypts the values a column already holds, when a plain-text field
becomes one of the encrypted fields of fields.py.

Use it right after the AlterField, in the same migration:

    operations = [
        migrations.AlterField("hearing", "notes", EncryptedTextField(...)),
        encrypt_existing_values("cases.Hearing", "notes"),
    ]

Forward, every non-empty value that does not decrypt yet is encrypted (so running it again, or
on a database where part of the rows were already written encrypted, changes nothing);
backward, every value that decrypts is written back in clear, before the reversed AlterField
turns the column back into what it was (a VARCHAR, for a CharField, must receive the short clear
value, not the long token).

The column is read and written with SQL, not through the model: the historical model already
has the encrypted field after the AlterField, and would try to decrypt the clear values (or
encrypt the tokens a second time). Rows go in batches ordered by primary key, so a large table
is never held in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations

from amparo.core import crypto

BATCH_SIZE = 500


def _decrypts(value: str) -> bool:
    try:
        crypto.decrypt_text(value)
    except crypto.DecryptionError:
        return False
    return True


def _encrypted(value: str) -> str | None:
    """The token to store for a clear value; None for a value that is a token already."""
    return None if _decrypts(value) else crypto.encrypt_text(value)


def _decrypted(value: str) -> str | None:
    """The clear value to store for a token; None for a value that does not decrypt (it was
    never encrypted, so it is left as it is)."""
    try:
        return crypto.decrypt_text(value)
    except crypto.DecryptionError:
        return None


def rewrite_column_values(
    schema_editor: Any,
    model: Any,
    field_name: str,
    transform: Callable[[str], str | None],
    *,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Apply `transform` to every non-empty value of one column (None: leave the value as it
    is); returns how many rows were rewritten."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    column = quote(model._meta.get_field(field_name).column)
    # Names from the model, quoted by the backend; values are always parameters.
    values = f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"  # noqa: S608
    first_batch = f"{values} ORDER BY {pk} LIMIT %s"
    next_batch = f"{values} AND {pk} > %s ORDER BY {pk} LIMIT %s"
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s"  # noqa: S608
    rewritten = 0
    last: Any = None
    while True:
        with connection.cursor() as cursor:
            if last is None:
                cursor.execute(first_batch, [batch_size])
            else:
                cursor.execute(next_batch, [last, batch_size])
            rows = cursor.fetchall()
        if not rows:
            return rewritten
        changes = []
        for key, value in rows:
            new = transform(value)
            if new is not None and new != value:
                changes.append((new, key))
        if changes:
            with connection.cursor() as cursor:
                cursor.executemany(update, changes)
            rewritten += len(changes)
        last = rows[-1][0]


def encrypt_existing_values(model_label: str, *field_names: str) -> migrations.RunPython:
    """A RunPython that encrypts the clear values of `field_names` of the model `app.Model`
    (and decrypts them when the migration is reversed)."""
    app_label, model_name = model_label.split(".")

    def forward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for name in field_names:
            rewrite_column_values(schema_editor, model, name, _encrypted)

    def backward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for name in field_names:
            rewrite_column_values(schema_editor, model, name, _decrypted)

    return migrations.RunPython(forward, backward)
