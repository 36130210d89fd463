"""The organisation's settings now belong to the `organisation` app (state only: the
table is handed over as it is, with its rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_site_pages"),
        ("organisation", "0001_organisation_settings_from_portal"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OrganisationSettings")],
            database_operations=[],
        ),
    ]
