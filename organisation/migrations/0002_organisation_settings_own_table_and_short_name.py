"""The moved settings get this app's table name, a short name, and neutral defaults.

The content type follows the model, so permissions already granted on the settings
(and Wagtail's log entries about them) keep pointing at it.
"""

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="portal", model="organisationsettings")
    if not ContentType.objects.filter(app_label="organisation", model="organisationsettings").exists():
        old.update(app_label="organisation")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="organisation", model="organisationsettings").update(
        app_label="portal"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisation", "0001_organisation_settings_from_portal"),
        ("portal", "0003_organisation_settings_move_to_organisation"),
    ]

    operations = [
        migrations.AlterModelTable(name="organisationsettings", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.AddField(
            model_name="organisationsettings",
            name="short_name",
            field=models.CharField(
                blank=True,
                help_text="How people say the organisation's name in a phrase such as 'Leeds Mind supervision'. Empty: the full name.",
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="organisationsettings",
            name="name",
            field=models.CharField(default="Your organisation", max_length=120),
        ),
    ]
