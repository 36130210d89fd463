"""The indexes compliance reads by exist after migrating, and come back after a table
is rebuilt (as SQLite does when a later migration alters a table)."""

import pytest
from django.db import connection

from compliance.apps import keep_indexes
from compliance.indexes import INDEXES

pytestmark = pytest.mark.django_db


def indexes_on(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name: c["columns"] for name, c in constraints.items() if c["index"]}


@pytest.mark.parametrize("index", INDEXES, ids=[i[0] for i in INDEXES])
def test_each_index_compliance_reads_by_is_there(index):
    name, table, columns, *_ = index
    assert indexes_on(table)[name] == columns


def test_an_index_lost_in_a_table_rebuild_comes_back_after_migrate():
    name, table, columns = INDEXES[0][:3]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    assert name not in indexes_on(table)
    keep_indexes(using=connection.alias)
    assert indexes_on(table)[name] == columns
