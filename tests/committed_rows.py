"""Clean-up for tests whose rows really commit (PostgreSQL concurrency tests).

Such a test runs with `transaction=True`; the flush afterwards would empty every table,
including the rows migrations made (Wagtail's root page, Site and Locale, the role groups),
so those tests list only their own apps in `available_apps` and the flush spares the rest.
What they made in other apps (users, enterprises, innovations…) is deleted here instead: every
row above the table's highest id before the test, table by table, with foreign keys and
triggers off for this connection (`session_replication_role = replica`, which the append-only
triggers also honour) — so the order of deletion, the ORM's view of relations under
`available_apps`, and PROTECT do not matter.
"""

from django.apps import apps
from django.db import connection

TABLES_WITH_ID_SQL = """
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t
        ON t.table_name = c.table_name AND t.table_schema = c.table_schema
    WHERE c.table_schema = current_schema() AND c.column_name = 'id'
        AND c.data_type IN ('integer', 'bigint') AND t.table_type = 'BASE TABLE'
"""


def high_water_marks() -> dict[str, int]:
    """Each table's highest id now (0 when empty)."""
    marks = {}
    with connection.cursor() as cursor:
        cursor.execute(TABLES_WITH_ID_SQL)
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            marks[table] = cursor.fetchone()[0]
    return marks


def delete_rows_above(marks: dict[str, int]) -> None:
    """Delete every row made since `marks` was taken, in every table it lists."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            for table, mark in marks.items():
                cursor.execute(
                    f"DELETE FROM {connection.ops.quote_name(table)} WHERE id > %s",  # noqa: S608
                    [mark],
                )
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def relations_of_every_app() -> None:
    """Let models outside `available_apps` keep their reverse relations during the test.

    Django works out a model's reverse relations (Innovation.agreements, Group.user_set…)
    from the models installed at that moment; with `available_apps` only the listed apps
    count, so once an earlier test has expired the caches, a query across apps fails to
    resolve. Work them out once with every app installed, then restrict again: restricting
    expires only the available apps' caches.
    """
    if not apps.stored_app_configs:
        return  # no available_apps restriction in force: nothing is hidden
    available = [config.name for config in apps.get_app_configs()]
    apps.unset_available_apps()
    try:
        for model in apps.get_models(include_auto_created=True):
            model._meta.get_fields(include_hidden=True)
            model._meta.fields_map  # noqa: B018 - computed and cached on first access
    finally:
        apps.set_available_apps(available)
