"""On PostgreSQL, trigram indexes for the substring search; nothing on SQLite.

Django's ``icontains`` on PostgreSQL is ``UPPER(column::text) LIKE UPPER('%…%')``, which a
B-tree cannot help; a GIN index of ``gin_trgm_ops`` on the same ``UPPER(column)`` expression
can, for queries of three characters or more (a two-character query such as 工匠 still gives
the right rows: PostgreSQL then scans the whole index and rechecks). pg_trgm is a trusted
extension (PostgreSQL 13+), so a database owner without superuser rights can create it.
"""

from django.db import migrations

INDEXES = {
    "sitesearch_doc_title_trgm": "title",
    "sitesearch_doc_text_trgm": "text",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON sitesearch_searchdocument "
            f"USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: something else may use it by then.
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
