"""Make the ledger append-only and balanced in the database itself, on PostgreSQL.

The ORM already refuses to change or delete ledger rows (marketplace.models.ledger); these
triggers also stop raw SQL, a dbshell session and any code that bypasses the models:

- BEFORE UPDATE OR DELETE on ledger entries and ledger transactions: raise (SQLSTATE 23000,
  an IntegrityError in Django). Corrections are reversing transactions.
- A deferred constraint trigger AFTER INSERT on entries: at commit, the entries of the
  transaction the row belongs to must sum to zero (SQLSTATE 23514). Deferred, because the
  entries of one transaction arrive as several rows and balance only once all are in.
- A deferred constraint trigger AFTER INSERT on transactions: at commit, the transaction has
  entries, so an idempotency key cannot be used up by a posting that moved no money.

TRUNCATE is left alone on purpose: the test runner's flush uses it. On SQLite nothing is
created; flush there deletes rows one by one, which triggers would refuse, and the models'
own refusals are the guard. The function bodies name the entry table: renaming it needs a
migration that recreates them.
"""

from django.db import migrations

REFUSE_CHANGE_FUNCTION = "marketplace_ledger_refuse_change"
CHECK_BALANCED_FUNCTION = "marketplace_ledger_check_balanced"
CHECK_HAS_ENTRIES_FUNCTION = "marketplace_ledger_check_has_entries"

ENTRY_APPEND_ONLY_TRIGGER = "marketplace_ledgerentry_append_only"
TRANSACTION_APPEND_ONLY_TRIGGER = "marketplace_ledgertransaction_append_only"
ENTRY_BALANCED_TRIGGER = "marketplace_ledgerentry_balanced"
TRANSACTION_HAS_ENTRIES_TRIGGER = "marketplace_ledgertransaction_has_entries"


def _tables(apps, schema_editor):
    quote = schema_editor.quote_name
    entry_table = apps.get_model("marketplace", "LedgerEntry")._meta.db_table
    transaction_table = apps.get_model("marketplace", "LedgerTransaction")._meta.db_table
    return quote(entry_table), quote(transaction_table)


def create_ledger_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entry, txn = _tables(apps, schema_editor)
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION {REFUSE_CHANGE_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'The ledger is append-only: % on % row % refused',
                TG_OP, TG_TABLE_NAME, OLD.id
                USING ERRCODE = 'integrity_constraint_violation',
                      HINT = 'Post a reversing transaction instead.';
        END;
        $$
        """,
        f"""
        CREATE TRIGGER {ENTRY_APPEND_ONLY_TRIGGER}
            BEFORE UPDATE OR DELETE ON {entry}
            FOR EACH ROW EXECUTE FUNCTION {REFUSE_CHANGE_FUNCTION}()
        """,
        f"""
        CREATE TRIGGER {TRANSACTION_APPEND_ONLY_TRIGGER}
            BEFORE UPDATE OR DELETE ON {txn}
            FOR EACH ROW EXECUTE FUNCTION {REFUSE_CHANGE_FUNCTION}()
        """,
        # SUM(bigint) is numeric in PostgreSQL, so the check itself cannot overflow.
        f"""
        CREATE OR REPLACE FUNCTION {CHECK_BALANCED_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            total numeric;
        BEGIN
            SELECT COALESCE(SUM(amount_fen), 0) INTO total
                FROM {entry} WHERE transaction_id = NEW.transaction_id;
            IF total <> 0 THEN
                RAISE EXCEPTION 'Ledger transaction % does not balance: its entries sum to % fen',
                    NEW.transaction_id, total
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END;
        $$
        """,  # noqa: S608 - the table name comes from the model and is quoted
        f"""
        CREATE CONSTRAINT TRIGGER {ENTRY_BALANCED_TRIGGER}
            AFTER INSERT ON {entry}
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION {CHECK_BALANCED_FUNCTION}()
        """,
        f"""
        CREATE OR REPLACE FUNCTION {CHECK_HAS_ENTRIES_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM 1 FROM {entry} WHERE transaction_id = NEW.id LIMIT 1;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'Ledger transaction % has no entries', NEW.id
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END;
        $$
        """,
        f"""
        CREATE CONSTRAINT TRIGGER {TRANSACTION_HAS_ENTRIES_TRIGGER}
            AFTER INSERT ON {txn}
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION {CHECK_HAS_ENTRIES_FUNCTION}()
        """,
    ]
    for statement in statements:
        # params=None: the SQL holds RAISE's % placeholders, which are not query parameters.
        schema_editor.execute(statement, params=None)


def drop_ledger_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entry, txn = _tables(apps, schema_editor)
    statements = [
        f"DROP TRIGGER IF EXISTS {TRANSACTION_HAS_ENTRIES_TRIGGER} ON {txn}",
        f"DROP TRIGGER IF EXISTS {ENTRY_BALANCED_TRIGGER} ON {entry}",
        f"DROP TRIGGER IF EXISTS {TRANSACTION_APPEND_ONLY_TRIGGER} ON {txn}",
        f"DROP TRIGGER IF EXISTS {ENTRY_APPEND_ONLY_TRIGGER} ON {entry}",
        f"DROP FUNCTION IF EXISTS {CHECK_HAS_ENTRIES_FUNCTION}()",
        f"DROP FUNCTION IF EXISTS {CHECK_BALANCED_FUNCTION}()",
        f"DROP FUNCTION IF EXISTS {REFUSE_CHANGE_FUNCTION}()",
    ]
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [migrations.RunPython(create_ledger_triggers, drop_ledger_triggers)]
