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

from collections.abc import Callable, Sequence
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
    field_names: Sequence[str],
    transform: Callable[[str], str | None],
    *,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Apply `transform` to every non-empty value of the columns of `field_names` (None: leave
    the value as it is); returns how many rows were rewritten. A row is written once, all its
    columns together."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    columns = [quote(model._meta.get_field(name).column) for name in field_names]
    # Names from the model, quoted by the backend; values are always parameters.
    non_empty = " OR ".join(f"({c} IS NOT NULL AND {c} <> '')" for c in columns)
    values = f"SELECT {pk}, {', '.join(columns)} FROM {table} WHERE ({non_empty})"  # noqa: S608
    first_batch = f"{values} ORDER BY {pk} LIMIT %s"
    next_batch = f"{values} AND {pk} > %s ORDER BY {pk} LIMIT %s"
    assignments = ", ".join(f"{c} = %s" for c in columns)
    update = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
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
            break
        changes = []
        for key, *old in rows:
            new = [
                value if not value or (changed := transform(value)) is None else changed
                for value in old
            ]
            if new != old:
                changes.append((*new, key))
        if changes:
            with connection.cursor() as cursor:
                cursor.executemany(update, changes)
            rewritten += len(changes)
        last = rows[-1][0]
    if rewritten and connection.vendor == "postgresql":
        # Run the deferred foreign-key checks the updates queued now, so that an ALTER TABLE
        # later in the same migration's transaction (the reversed AlterField, when unapplying)
        # does not meet "pending trigger events"; then defer them again as Django expects.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return rewritten


def encrypt_existing_values(model_label: str, *field_names: str) -> migrations.RunPython:
    """A RunPython that encrypts the clear values of `field_names` of the model `app.Model`
    (and decrypts them when the migration is reversed)."""
    app_label, model_name = model_label.split(".")

    def forward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        rewrite_column_values(schema_editor, model, field_names, _encrypted)

    def backward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        rewrite_column_values(schema_editor, model, field_names, _decrypted)

    return migrations.RunPython(forward, backward)
