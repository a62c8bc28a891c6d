"""AttorneyProfile.declared_conflicts holds names of third parties: encrypted at rest (the
column, then the values already stored)."""

import amparo.core.fields
from django.db import migrations

from amparo.core.encryption_migrations import encrypt_existing_values


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_attorney_courts_board_digest_sent_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attorneyprofile",
            name="declared_conflicts",
            field=amparo.core.fields.EncryptedTextField(
                blank=True,
                help_text="Names of people or organizations the attorney cannot act against.",
                verbose_name="declared conflicts",
            ),
        ),
        encrypt_existing_values("people.AttorneyProfile", "declared_conflicts"),
    ]
