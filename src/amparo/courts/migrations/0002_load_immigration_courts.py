"""Load the U.S. immigration courts from data/immigration-courts.csv (sources in data/README.md)."""

from django.db import migrations

from amparo.courts.reference import immigration_courts_load


def load_courts(apps, schema_editor):
    immigration_courts_load(apps.get_model("courts", "ImmigrationCourt"))


class Migration(migrations.Migration):
    dependencies = [("courts", "0001_initial")]

    operations = [
        # Reversing leaves the rows: 0001's reverse drops the table itself.
        migrations.RunPython(load_courts, migrations.RunPython.noop),
    ]
