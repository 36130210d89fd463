"""The organisation's settings moved from `portal` to `organisation`: what a live site
had saved must come through the migration unchanged."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("portal", "0002_site_pages"), ("organisation", None)]
AFTER = [
    ("portal", "0003_organisation_settings_move_to_organisation"),
    ("organisation", "0002_organisation_settings_own_table_and_short_name"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_saved_organisation_settings_survive_the_move_to_the_ground_floor():
    old = migrate(BEFORE)
    site = old.get_model("wagtailcore", "Site").objects.get(is_default_site=True)
    old.get_model("portal", "OrganisationSettings").objects.update_or_create(
        site_id=site.pk,
        defaults={"name": "Leeds Mind", "signatory_name": "A. Person", "compliance_target": 90},
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    moved = ContentType.objects.get_or_create(app_label="portal", model="organisationsettings")[0]

    new = migrate(AFTER)
    saved = new.get_model("organisation", "OrganisationSettings").objects.get(site_id=site.pk)
    assert (saved.name, saved.signatory_name, saved.compliance_target) == (
        "Leeds Mind",
        "A. Person",
        90,
    )
    assert saved.short_name == ""
    assert new.get_model("contenttypes", "ContentType").objects.get(pk=moved.pk).app_label == (
        "organisation"
    )
    migrate(latest())


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
