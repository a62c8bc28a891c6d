"""Screening.reason tells the client's situation: encrypted at rest (the column, then the values
already stored)."""

import amparo.core.fields
from django.db import migrations

from amparo.core.encryption_migrations import encrypt_existing_values


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_case_import_job"),
    ]

    operations = [
        migrations.AlterField(
            model_name="screening",
            name="reason",
            field=amparo.core.fields.EncryptedTextField(blank=True, verbose_name="reason"),
        ),
        encrypt_existing_values("intake.Screening", "reason"),
    ]
