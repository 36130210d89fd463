"""The organisation's settings move down from `portal` to this ground-floor app.

State only: the table `portal_organisationsettings` and its rows stay as they are here
(the next migration renames the table), so no setting is lost on the way.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OrganisationSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(default="Leeds Mind", max_length=120)),
                        ("signatory_name", models.CharField(blank=True, default="Peer Support Manager", max_length=120, verbose_name="certificate signatory")),
                        ("signatory_role", models.CharField(blank=True, default="Peer Support Manager", max_length=120)),
                        ("compliance_target", models.PositiveSmallIntegerField(default=95, help_text="Modules and services below this share of compliant people are highlighted.", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name="compliance target (%)")),
                        ("logo", models.ForeignKey(blank=True, help_text="Shown on certificates and the passport.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="wagtailimages.image")),
                        ("site", models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to="wagtailcore.site")),
                    ],
                    options={"verbose_name": "organisation", "db_table": "portal_organisationsettings"},
                ),
            ],
            database_operations=[],
        ),
    ]
