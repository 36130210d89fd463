"""Indexes that compliance's reads need on other apps' tables.

"As recorded on" a past day reads the history tables by person (or arrangement) and
moment; the month-end counts read sessions by arrangement and the day held; the
manager's dashboard counts completions waiting for verification and lists recent
safeguarding flags. At tens of thousands of people each of these is a full scan
without an index. The history tables are made by django-simple-history, whose models
take no index options, so the indexes are created here by name, the same SQL on
SQLite and PostgreSQL. `ensure_indexes` runs in a migration and again after every
`migrate` (compliance.apps), because SQLite rebuilds a table whenever a later
migration alters it, keeping only the indexes the models declare.
"""

INDEXES = [
    # (name, table, columns[, a boolean column: only the rows where it is true])
    ("hist_record_person_date", "training_historicaltrainingrecord", ["person_id", "history_date"]),
    (
        "hist_exemption_person_date",
        "training_historicaltrainingexemption",
        ["person_id", "history_date"],
    ),
    (
        "hist_arrangement_person_date",
        "supervision_historicalsupervisionarrangement",
        ["supervisee_id", "history_date"],
    ),
    (
        "hist_session_arrangement_held",
        "supervision_historicalsupervisionsession",
        ["arrangement_id", "held_on"],
    ),
    ("hist_user_id_date", "people_historicaluser", ["id", "history_date"]),
    ("record_status_person", "training_trainingrecord", ["status", "person_id"]),
    # Flags are few: the index holds only them. (A plain index on the flag would not
    # be searched: Django asks for a true boolean by naming the column alone.)
    ("session_flagged_held", "supervision_supervisionsession", ["held_on"], "safeguarding_concern"),
]


def ensure_indexes(connection):
    """Create each index that is missing (its table present)."""
    tables = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, table, columns, *where in INDEXES:
            if table in tables:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} "
                    f"({', '.join(quote(c) for c in columns)})"
                    + "".join(f" WHERE {quote(column)}" for column in where)
                )


def drop_indexes(connection):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, *_ in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
