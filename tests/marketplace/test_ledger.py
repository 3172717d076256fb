"""The ledger takes balanced postings only, applies each idempotency key once, and never lets a
posted entry or transaction change or disappear — through the ORM on every database, and
through raw SQL on PostgreSQL."""

import itertools
import logging
import threading
import time
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.models import LedgerEntry, LedgerTransaction
from marketplace.models.ledger import LedgerImmutableError
from marketplace.services.ledger import (
    PLATFORM_ACCOUNT_NAMES,
    PLATFORM_CLEARING,
    PLATFORM_FEES,
    REFUNDS_PAYABLE,
    TRANSFORMATION_FUND,
    LedgerUnbalancedError,
    Posting,
    account_balance_fen,
    balances_for,
    enterprise_deposits_account,
    ledger_post,
    platform_account,
)
from tests.factories.accounts import EnterpriseFactory

ENTRY_TABLE = LedgerEntry._meta.db_table
TRANSACTION_TABLE = LedgerTransaction._meta.db_table

on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The ledger's database triggers exist only on PostgreSQL; on SQLite the models "
    "alone refuse changes (tested above). Run with DATABASE_URL=postgres://… to cover this.",
)
concurrency_on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time hold the whole file, so two posts never race; a "
    "concurrent double post only means something on PostgreSQL.",
)


# Transactional tests flush the tables of the apps they list. Listing only the marketplace
# keeps Wagtail's root page, Site and Locale (made by migrations) for the tests after these.
def committing(test):
    """Rows really commit (the threads need them); committed_rows_cleanup removes them after."""
    test = pytest.mark.django_db(transaction=True, available_apps=["marketplace"])(test)
    return pytest.mark.usefixtures("committed_rows_cleanup")(test)


@pytest.fixture
def clearing(db):
    return platform_account(PLATFORM_CLEARING)


@pytest.fixture
def fees(db):
    return platform_account(PLATFORM_FEES)


@pytest.fixture
def fund(db):
    return platform_account(TRANSFORMATION_FUND)


@pytest.fixture
def posted(clearing, fees):
    """¥120.00 received and kept as the platform's fee."""
    return ledger_post(
        idempotency_key="fee:lot-7",
        description="Platform fee on lot 7",
        postings=[Posting(clearing, 12_000), Posting(fees, -12_000)],
    )


def ledger_rows() -> list[tuple]:
    return list(
        LedgerEntry.objects.order_by("pk").values_list(
            "pk", "transaction_id", "account_id", "amount_fen"
        )
    ) + list(
        LedgerTransaction.objects.order_by("pk").values_list("pk", "idempotency_key", "description")
    )


# --- Posting ---------------------------------------------------------------------------------


def test_a_deposit_of_50000_yuan_then_a_refund_of_20000_leaves_30000_held(
    clearing, django_assert_num_queries
):
    enterprise = EnterpriseFactory()
    held = enterprise_deposits_account(enterprise)
    refunds = platform_account(REFUNDS_PAYABLE)

    deposit = ledger_post(
        idempotency_key="deposit:1:paid",
        description="Deposit paid by Stripe",
        postings=[Posting(clearing, 5_000_000), Posting(held, -5_000_000)],
    )
    ledger_post(
        idempotency_key="deposit:1:partial-refund",
        description="Part of the deposit refunded",
        postings=[Posting(held, 2_000_000), Posting(refunds, -2_000_000)],
    )

    assert deposit.entries.count() == 2
    assert account_balance_fen(held) == -3_000_000
    assert account_balance_fen(clearing) == 5_000_000
    assert account_balance_fen(refunds) == -2_000_000
    never_posted = platform_account(TRANSFORMATION_FUND)
    with django_assert_num_queries(1):
        balances = balances_for([clearing, held, refunds, never_posted])
    assert balances == {
        clearing.pk: 5_000_000,
        held.pk: -3_000_000,
        refunds.pk: -2_000_000,
        never_posted.pk: 0,
    }
    assert sum(balances.values()) == 0


def test_balances_for_no_accounts_is_empty_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert balances_for([]) == {}


def test_accounts_are_created_once_per_code(db):
    enterprise = EnterpriseFactory()

    assert platform_account(PLATFORM_FEES) == platform_account(PLATFORM_FEES)
    held = enterprise_deposits_account(enterprise)
    assert held == enterprise_deposits_account(enterprise)
    assert held.enterprise == enterprise
    assert held.code == f"enterprise:{enterprise.pk}:deposits-held"


def test_a_posting_may_spread_over_several_accounts(clearing, fees, fund):
    # ¥1,000.00 received: ¥950.00 to the fund, ¥50.00 fee.
    ledger_post(
        idempotency_key="income:1",
        description="Upfront fee shared",
        postings=[Posting(clearing, 100_000), Posting(fund, -95_000), Posting(fees, -5_000)],
    )

    assert balances_for([clearing, fund, fees]) == {
        clearing.pk: 100_000,
        fund.pk: -95_000,
        fees.pk: -5_000,
    }


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        pytest.param([10_000, -9_999], "sum to zero; these sum to 1 fen", id="unbalanced"),
        pytest.param([10_000], "at least two non-zero postings", id="single"),
        pytest.param([], "at least two non-zero postings", id="none"),
        pytest.param([10_000, -10_000, 0], "at least two non-zero postings", id="a zero posting"),
    ],
)
def test_a_posting_that_does_not_balance_is_refused_and_nothing_is_written(
    clearing, fees, amounts, message
):
    accounts = itertools.cycle([clearing, fees])

    with translation.override("en"), pytest.raises(LedgerUnbalancedError, match=message) as refused:
        ledger_post(
            idempotency_key="bad",
            description="Refused",
            postings=[Posting(next(accounts), amount) for amount in amounts],
        )

    assert refused.value.code == "ledger_unbalanced"
    assert not LedgerTransaction.objects.exists()
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("amount", [Decimal("100.00"), 100.0, True])
def test_amounts_that_are_not_whole_fen_are_refused(clearing, fees, amount):
    with pytest.raises(TypeError, match="whole fen"):
        ledger_post(
            idempotency_key="yuan-by-mistake",
            description="Refused",
            postings=[Posting(clearing, amount), Posting(fees, -amount)],
        )

    assert not LedgerTransaction.objects.exists()


@pytest.mark.parametrize("key", ["", "k" * 201], ids=["empty", "201 characters"])
def test_a_key_that_is_empty_or_longer_than_the_field_is_refused_not_cut(clearing, fees, key):
    # Cutting a long key to 200 characters could make it collide with another posting's key.
    with pytest.raises(ValueError, match="(?i)idempotency key"):
        ledger_post(
            idempotency_key=key,
            description="Refused",
            postings=[Posting(clearing, 100), Posting(fees, -100)],
        )

    assert not LedgerTransaction.objects.exists()


def test_a_key_of_exactly_200_characters_and_a_long_description_are_kept(clearing, fees):
    posted = ledger_post(
        idempotency_key="k" * 200,
        description="说" * 400,
        postings=[Posting(clearing, 100), Posting(fees, -100)],
    )

    posted.refresh_from_db()
    assert posted.idempotency_key == "k" * 200
    assert posted.description == "说" * 300


# --- Idempotency -----------------------------------------------------------------------------


def test_the_same_key_twice_writes_once_and_returns_the_first_transaction(
    posted, clearing, fees, caplog
):
    with caplog.at_level(logging.WARNING, logger="marketplace.services.ledger"):
        again = ledger_post(
            idempotency_key="fee:lot-7",
            description="Platform fee on lot 7, retried",
            postings=[Posting(clearing, 12_000), Posting(fees, -12_000)],
        )

    assert again.pk == posted.pk
    assert again.description == "Platform fee on lot 7"
    assert LedgerTransaction.objects.count() == 1
    assert LedgerEntry.objects.count() == 2
    assert account_balance_fen(clearing) == 12_000
    assert not caplog.records


def test_the_same_key_with_other_postings_returns_the_first_and_logs_a_warning(
    posted, clearing, fees, fund, caplog
):
    with caplog.at_level(logging.WARNING, logger="marketplace.services.ledger"):
        again = ledger_post(
            idempotency_key="fee:lot-7",
            description="A different movement under a reused key",
            postings=[Posting(clearing, 99_900), Posting(fund, -99_900)],
        )

    assert again.pk == posted.pk
    assert balances_for([clearing, fees, fund]) == {
        clearing.pk: 12_000,
        fees.pk: -12_000,
        fund.pk: 0,
    }
    [warning] = caplog.records
    assert warning.levelno == logging.WARNING
    assert "fee:lot-7" in warning.getMessage()
    assert "other postings" in warning.getMessage()


@given(
    st.lists(
        st.lists(
            st.tuples(st.integers(0, 3), st.integers(-(10**9), 10**9).filter(bool)),
            min_size=1,
            max_size=4,
        ),
        min_size=1,
        max_size=6,
    )
)
@settings(max_examples=30, deadline=None)
@pytest.mark.django_db
def test_any_run_of_balanced_postings_leaves_balances_that_sum_to_zero(transactions):
    """Given transactions whose last posting balances the others, each account's balance is the
    sum of its postings and all balances together are zero."""
    keys = itertools.count()
    with transaction.atomic():
        accounts = [platform_account(code) for code in sorted(PLATFORM_ACCOUNT_NAMES)]
        expected = dict.fromkeys((account.pk for account in accounts), 0)
        for legs in transactions:
            postings = [Posting(accounts[index], amount) for index, amount in legs]
            remainder = -sum(amount for _, amount in legs)
            if remainder:
                postings.append(Posting(accounts[(legs[0][0] + 1) % 4], remainder))
            if len(postings) < 2:
                continue
            ledger_post(idempotency_key=f"run:{next(keys)}", description="", postings=postings)
            for posting in postings:
                expected[posting.account.pk] += posting.amount_fen

        balances = balances_for(accounts)

        assert balances == expected
        assert sum(balances.values()) == 0
        # Each example starts from an empty ledger.
        transaction.set_rollback(True)


# --- Append-only through the ORM (every database) --------------------------------------------


ORM_CHANGES = {
    "entry.save()": lambda entry, posted: entry.save(),
    "entry.save(update_fields)": lambda entry, posted: entry.save(update_fields=["amount_fen"]),
    "entry.delete()": lambda entry, posted: entry.delete(),
    "new entry via objects.create()": lambda entry, posted: LedgerEntry.objects.create(
        transaction=posted, account=entry.account, amount_fen=1
    ),
    "entries.update()": lambda entry, posted: LedgerEntry.objects.filter(pk=entry.pk).update(
        amount_fen=1
    ),
    "entries.delete()": lambda entry, posted: LedgerEntry.objects.all().delete(),
    "entries.bulk_update()": lambda entry, posted: LedgerEntry.objects.bulk_update(
        [entry], ["amount_fen"]
    ),
    "account.entries.update()": lambda entry, posted: entry.account.entries.update(amount_fen=1),
    "transaction.entries.all().delete()": lambda entry, posted: posted.entries.all().delete(),
    "transaction.save()": lambda entry, posted: posted.save(),
    "transaction.delete()": lambda entry, posted: posted.delete(),
    "transactions.update()": lambda entry, posted: LedgerTransaction.objects.update(
        description="rewritten"
    ),
    "transactions.delete()": lambda entry, posted: LedgerTransaction.objects.filter(
        pk=posted.pk
    ).delete(),
}


@pytest.mark.parametrize("change", ORM_CHANGES.values(), ids=ORM_CHANGES.keys())
def test_the_orm_refuses_to_change_or_delete_posted_rows(posted, change):
    entry = posted.entries.first()
    entry.amount_fen = 1
    posted.description = "rewritten"
    before = ledger_rows()

    with pytest.raises(LedgerImmutableError) as refused:
        change(entry, posted)

    assert refused.value.code == "ledger_immutable"
    assert ledger_rows() == before


def test_a_new_transaction_given_a_posted_ones_id_does_not_overwrite_it(posted):
    before = ledger_rows()
    impostor = LedgerTransaction(pk=posted.pk, idempotency_key="impostor", description="rewritten")

    with pytest.raises(IntegrityError), transaction.atomic():
        impostor.save()

    assert ledger_rows() == before


# --- Append-only and balanced in PostgreSQL itself -------------------------------------------


RAW_CHANGES = {
    "UPDATE entry": f"UPDATE {ENTRY_TABLE} SET amount_fen = amount_fen * 2",  # noqa: S608
    "DELETE entry": f"DELETE FROM {ENTRY_TABLE}",  # noqa: S608
    "UPDATE transaction": f"UPDATE {TRANSACTION_TABLE} SET description = 'rewritten'",  # noqa: S608
    "DELETE transaction": f"DELETE FROM {TRANSACTION_TABLE}",  # noqa: S608
}


@on_postgresql_only
@pytest.mark.postgres
@pytest.mark.parametrize("sql", RAW_CHANGES.values(), ids=RAW_CHANGES.keys())
def test_postgresql_refuses_raw_sql_that_changes_or_deletes_posted_rows(posted, sql):
    before = ledger_rows()

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    assert ledger_rows() == before


@on_postgresql_only
@pytest.mark.postgres
@committing
@pytest.mark.parametrize(
    ("amounts", "refusal"),
    [
        pytest.param(
            [10_000, -9_999], "does not balance: its entries sum to 1 fen", id="unbalanced"
        ),
        pytest.param([], "has no entries", id="no entries"),
        pytest.param([10_000, -10_000], None, id="balanced"),
    ],
)
def test_postgresql_checks_at_commit_that_a_raw_sql_posting_balances(amounts, refusal):
    accounts = itertools.cycle(
        [platform_account(PLATFORM_CLEARING), platform_account(PLATFORM_FEES)]
    )
    statements_ran = False

    def insert_raw_posting():
        nonlocal statements_ran
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TRANSACTION_TABLE} (idempotency_key, description, created_at) "  # noqa: S608
                "VALUES ('raw', 'typed into psql', now()) RETURNING id"
            )
            [transaction_id] = cursor.fetchone()
            for amount in amounts:
                cursor.execute(
                    f"INSERT INTO {ENTRY_TABLE} (transaction_id, account_id, amount_fen) "  # noqa: S608
                    "VALUES (%s, %s, %s)",
                    [transaction_id, next(accounts).pk, amount],
                )
            # Each statement passed; the check is deferred to COMMIT, when all rows are in.
            statements_ran = True

    if refusal is None:
        insert_raw_posting()
        assert LedgerEntry.objects.filter(transaction__idempotency_key="raw").count() == 2
    else:
        with pytest.raises(IntegrityError, match=refusal):
            insert_raw_posting()
        assert not LedgerTransaction.objects.exists()
        assert not LedgerEntry.objects.exists()
    assert statements_ran


# --- Concurrent posts of one key (PostgreSQL, real threads) ----------------------------------


def post_in_thread(results, name, postings, *, before_commit=lambda: None):
    """Post the fee for lot 9 in this thread's own connection and transaction."""
    try:
        with transaction.atomic():
            results[name] = ledger_post(
                idempotency_key="fee:lot-9", description=f"Posted by {name}", postings=postings
            ).pk
            before_commit()
    except Exception as error:  # reported by the test's assertions
        results[name] = error
    finally:
        connection.close()


def wait_until_a_backend_waits_for_a_lock(timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


@concurrency_on_postgresql_only
@pytest.mark.postgres
@committing
def test_a_second_post_of_a_key_while_the_first_is_uncommitted_waits_and_returns_the_first():
    clearing, fees = platform_account(PLATFORM_CLEARING), platform_account(PLATFORM_FEES)
    postings = [Posting(clearing, 12_000), Posting(fees, -12_000)]
    results = {}
    first_posted, commit_first = threading.Event(), threading.Event()

    def hold_open():
        first_posted.set()
        commit_first.wait(timeout=15)

    first = threading.Thread(
        target=post_in_thread,
        args=(results, "first", postings),
        kwargs={"before_commit": hold_open},
    )
    second = threading.Thread(target=post_in_thread, args=(results, "second", postings))
    first.start()
    try:
        assert first_posted.wait(timeout=10)
        # The second caller finds no committed row with the key, so it inserts; the unique
        # index makes that INSERT wait for the first transaction.
        second.start()
        second_waited = wait_until_a_backend_waits_for_a_lock()
    finally:
        commit_first.set()
        first.join(timeout=15)
        if second.is_alive():
            second.join(timeout=15)

    assert second_waited, "the second post never waited on the first one's key"
    assert isinstance(results["first"], int), results["first"]
    assert results["second"] == results["first"]
    assert LedgerTransaction.objects.get().description == "Posted by first"
    assert LedgerEntry.objects.count() == 2
    assert account_balance_fen(clearing) == 12_000


@concurrency_on_postgresql_only
@pytest.mark.postgres
@committing
def test_eight_threads_posting_one_key_at_once_write_it_once():
    clearing, fees = platform_account(PLATFORM_CLEARING), platform_account(PLATFORM_FEES)
    postings = [Posting(clearing, 12_000), Posting(fees, -12_000)]
    results = {}
    start = threading.Barrier(8)

    def racer(name):
        start.wait(timeout=10)
        post_in_thread(results, name, postings)

    threads = [threading.Thread(target=racer, args=(f"thread {n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    posted = LedgerTransaction.objects.get()
    assert results == {f"thread {n}": posted.pk for n in range(8)}
    assert LedgerEntry.objects.count() == 2
    assert account_balance_fen(clearing) == 12_000
