"""Make accepted bids append-only in the database itself, on PostgreSQL.

The ORM already refuses to change or delete bids (marketplace.models.bid). This trigger also
stops raw SQL and a dbshell session: BEFORE UPDATE OR DELETE on bids raises (SQLSTATE 23000,
an IntegrityError in Django). The one exception is Bid.objects.purge(), for test and benchmark
clean-up, which sets the transaction-local flag `marketplace.purge_bids` that lets a DELETE
(never an UPDATE) through. TRUNCATE is left alone: the test runner's flush uses it.
"""

from django.db import migrations

REFUSE_FUNCTION = "marketplace_bid_refuse_change"
APPEND_ONLY_TRIGGER = "marketplace_bid_append_only"


def _table(apps, schema_editor):
    return schema_editor.quote_name(apps.get_model("marketplace", "Bid")._meta.db_table)


def create_bid_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION {REFUSE_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE'
               AND current_setting('marketplace.purge_bids', true) = 'on' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'Bids are append-only: % on bid % refused', TG_OP, OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$
        """,
        f"""
        CREATE TRIGGER {APPEND_ONLY_TRIGGER}
            BEFORE UPDATE OR DELETE ON {_table(apps, schema_editor)}
            FOR EACH ROW EXECUTE FUNCTION {REFUSE_FUNCTION}()
        """,
    ]
    for statement in statements:
        # params=None: the SQL holds RAISE's % placeholders, which are not query parameters.
        schema_editor.execute(statement, params=None)


def drop_bid_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = _table(apps, schema_editor)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY_TRIGGER} ON {table}", params=None)
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {REFUSE_FUNCTION}()", params=None)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0005_verbose_name_service_invention")]

    operations = [migrations.RunPython(create_bid_trigger, drop_bid_trigger)]
