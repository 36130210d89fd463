from django.db import migrations

from compliance.indexes import drop_indexes, ensure_indexes


def create(apps, schema_editor):
    ensure_indexes(schema_editor.connection)


def drop(apps, schema_editor):
    drop_indexes(schema_editor.connection)


class Migration(migrations.Migration):
    """The history and queue indexes compliance reads by (compliance/indexes.py)."""

    dependencies = [
        ("compliance", "0003_merge_status_tables_with_reminder_claims"),
        ("people", "0006_supervisor_side_from_the_vocabulary"),
        ("training", "0006_knowledge_check_providers_named_by_the_vocabulary"),
        ("supervision", "0004_merge_corrections_with_vocabulary_streams"),
    ]

    operations = [migrations.RunPython(create, drop)]
