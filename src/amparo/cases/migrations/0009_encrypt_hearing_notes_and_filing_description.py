"""Hearing.notes and OpposingFiling.description tell the client's story: encrypted at rest (the
columns, then the values already stored)."""

import amparo.core.fields
import django.core.validators
from django.db import migrations

from amparo.core.encryption_migrations import encrypt_existing_values


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_caseevent_kinds_retention"),
    ]

    operations = [
        migrations.AlterField(
            model_name="hearing",
            name="notes",
            field=amparo.core.fields.EncryptedTextField(blank=True, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="opposingfiling",
            name="description",
            field=amparo.core.fields.EncryptedCharField(
                blank=True,
                max_length=200,
                validators=[django.core.validators.MaxLengthValidator(200)],
                verbose_name="description",
            ),
        ),
        encrypt_existing_values("cases.Hearing", "notes"),
        encrypt_existing_values("cases.OpposingFiling", "description"),
    ]
