"""Wagtail's starter groups, Moderators and Editors, are not roles of Alongside: they
are removed while nobody is in them, so the people list offers only the real roles."""

from django.db import migrations

UNUSED = ["Moderators", "Editors"]


def remove_unused_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=UNUSED, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_preferred_name"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(remove_unused_groups, migrations.RunPython.noop)]
