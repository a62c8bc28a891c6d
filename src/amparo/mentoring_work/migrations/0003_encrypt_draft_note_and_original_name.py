"""Draft.note and Draft.original_name (file names often carry the client's name): encrypted at
rest (the columns, then the values already stored)."""

import amparo.core.fields
import django.core.validators
from django.db import migrations

from amparo.core.encryption_migrations import encrypt_existing_values


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring_work", "0002_mentoring_plan_templates"),
    ]

    operations = [
        migrations.AlterField(
            model_name="draft",
            name="note",
            field=amparo.core.fields.EncryptedTextField(
                blank=True, verbose_name="note for the reviewer"
            ),
        ),
        migrations.AlterField(
            model_name="draft",
            name="original_name",
            field=amparo.core.fields.EncryptedCharField(
                max_length=255,
                validators=[django.core.validators.MaxLengthValidator(255)],
                verbose_name="original file name",
            ),
        ),
        encrypt_existing_values("mentoring_work.Draft", "note", "original_name"),
    ]
