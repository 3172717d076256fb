"""Payouts to workers and employers: single, batch with its spreadsheet, never above owed."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from accounts.choices import Role
from licensing.choices import PayoutBatchStatus, PayoutStatus
from licensing.exceptions import (
    PayoutAboveOwedError,
    PayoutBatchEmptyError,
    PayoutBatchNotOpenError,
    PayoutProfileMissingError,
)
from licensing.models import Payout, PayoutBatch, PayoutProfile
from licensing.payable_accounts import employer_payable_account, worker_payable_account
from licensing.services.payouts import (
    XLSX_HEADERS,
    owed,
    payables_owed,
    payout_batch_create,
    payout_batch_mark_paid,
    payout_batch_xlsx,
    payout_record,
)
from licensing.services.profit_sharing import proceeds_share
from marketplace.models import LedgerTransaction
from marketplace.services.ledger import PLATFORM_CLEARING, account_balance_fen, platform_account
from tests.factories.accounts import UserFactory
from tests.factories.licensing import PayoutProfileFactory, approved_innovation

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared():
    """¥1,000.00 shared by the default plan: ¥420 and ¥280 owed to two inventors (60/40 of
    70%), ¥150 to the employer. All three have bank details."""
    alice, bob = UserFactory(role=Role.WORKER), UserFactory(role=Role.WORKER)
    innovation = approved_innovation(inventors=[(alice, "60"), (bob, "40")])
    proceeds_share(
        innovations=[innovation], amount=Decimal("1000.00"), source_label="t", idempotency_key="t"
    )
    PayoutProfileFactory(user=alice, bank_account_number="6222020200000000017")
    PayoutProfileFactory(user=bob)
    PayoutProfileFactory(
        user=None, enterprise=innovation.employer, bank_account_name=innovation.employer.name
    )
    return alice, bob, innovation


def test_a_single_payout_settles_that_much_of_the_payable(shared, union_staff):
    alice, _bob, _innovation = shared
    account = worker_payable_account(alice)

    payout = payout_record(
        account=account,
        amount=Decimal("400.00"),
        reference="B-1",
        paid_on=date(2026, 8, 1),
        recorded_by=union_staff,
    )

    assert payout.status == PayoutStatus.PAID
    assert owed(account) == Decimal("20.00")
    assert account_balance_fen(platform_account(PLATFORM_CLEARING)) == -40000


def test_a_payout_above_what_is_owed_is_refused(shared, union_staff):
    alice, _bob, _innovation = shared
    account = worker_payable_account(alice)

    with pytest.raises(PayoutAboveOwedError) as refused:
        payout_record(
            account=account,
            amount=Decimal("420.01"),
            reference="B-1",
            paid_on=date(2026, 8, 1),
            recorded_by=union_staff,
        )

    assert "¥420.00" in str(refused.value)
    assert not Payout.objects.exists()
    assert owed(account) == Decimal("420.00")


def test_a_batch_pays_everyone_owed_and_exports_their_bank_details(shared, union_staff):
    alice, bob, innovation = shared

    batch = payout_batch_create(created_by=union_staff)

    sheet = load_workbook(BytesIO(payout_batch_xlsx(batch=batch))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == XLSX_HEADERS
    by_payee = {row[0]: row for row in rows[1:]}
    assert set(by_payee) == {str(alice), str(bob), innovation.employer.name}
    assert by_payee[str(alice)][1:5] == (
        alice.get_full_name(),
        "6222020200000000017",
        "中国工商银行上海市浦东分行",
        420,
    )
    assert by_payee[str(bob)][4] == 280
    assert by_payee[innovation.employer.name][1:5:3] == (innovation.employer.name, 150)
    # In a batch but not paid: still owed, no longer available for another batch.
    assert owed(worker_payable_account(alice)) == Decimal("420.00")
    assert payables_owed() == []

    payout_batch_mark_paid(batch=batch, bank_reference="BANK-0801", actor=union_staff)

    batch.refresh_from_db()
    assert batch.status == PayoutBatchStatus.PAID
    for account in (
        worker_payable_account(alice),
        worker_payable_account(bob),
        employer_payable_account(innovation.employer),
    ):
        assert account_balance_fen(account) == 0
    assert set(batch.payouts.values_list("status", flat=True)) == {PayoutStatus.PAID}


def test_a_batch_is_paid_once(shared, union_staff):
    batch = payout_batch_create(created_by=union_staff)
    payout_batch_mark_paid(batch=batch, bank_reference="BANK-1", actor=union_staff)
    transactions = LedgerTransaction.objects.count()

    with pytest.raises(PayoutBatchNotOpenError):
        payout_batch_mark_paid(batch=batch, bank_reference="BANK-1", actor=union_staff)

    assert LedgerTransaction.objects.count() == transactions
    with pytest.raises(PayoutBatchEmptyError):
        payout_batch_create(created_by=union_staff)


def test_a_batch_line_above_what_is_owed_is_refused(shared, union_staff):
    alice, _bob, _innovation = shared

    with pytest.raises(PayoutAboveOwedError):
        payout_batch_create(
            created_by=union_staff,
            amounts=[(worker_payable_account(alice), Decimal("500.00"))],
        )

    assert not Payout.objects.exists()


def test_a_batch_line_paid_meanwhile_by_hand_refuses_the_whole_batch(shared, union_staff):
    alice, _bob, _innovation = shared
    account = worker_payable_account(alice)
    batch = payout_batch_create(created_by=union_staff, amounts=[(account, Decimal("420.00"))])
    # A single payout cannot take money already in the batch...
    with pytest.raises(PayoutAboveOwedError):
        payout_record(
            account=account,
            amount=Decimal("1.00"),
            reference="x",
            paid_on=date(2026, 8, 1),
            recorded_by=union_staff,
        )
    payout_batch_mark_paid(batch=batch, bank_reference="B", actor=union_staff)
    assert owed(account) == Decimal("0.00")


def test_balances_equal_owed_minus_paid(shared, union_staff):
    alice, _bob, innovation = shared
    account = worker_payable_account(alice)
    proceeds_share(
        innovations=[innovation], amount=Decimal("10.00"), source_label="t", idempotency_key="t2"
    )
    payout_record(
        account=account,
        amount=Decimal("100.00"),
        reference="P1",
        paid_on=date(2026, 8, 1),
        recorded_by=union_staff,
    )

    shared_to_alice = sum(line.amount for line in alice.sharing_lines.all())
    paid_to_alice = sum(payout.amount for payout in Payout.objects.filter(account=account))
    assert shared_to_alice == Decimal("424.20")
    assert -account_balance_fen(account) == (shared_to_alice - paid_to_alice) * 100


def test_the_default_batch_leaves_out_payees_without_bank_details(shared, union_staff):
    alice, bob, innovation = shared
    PayoutProfile.objects.filter(user=bob).delete()

    batch = payout_batch_create(created_by=union_staff)

    assert {payout.payee_name for payout in batch.payouts.all()} == {
        str(alice),
        innovation.employer.name,
    }
    # Bob is still owed and still available for a batch once his details are in.
    assert payables_owed() == [(worker_payable_account(bob), Decimal("280.00"))]


def test_a_batch_line_for_a_payee_without_bank_details_is_refused(shared, union_staff):
    _alice, bob, _innovation = shared
    PayoutProfile.objects.filter(user=bob).delete()

    with translation.override("en"):
        with pytest.raises(PayoutProfileMissingError) as refused:
            payout_batch_create(
                created_by=union_staff, amounts=[(worker_payable_account(bob), Decimal("280.00"))]
            )
        message = str(refused.value)

    assert str(bob) in message and "no bank details" in message
    assert not Payout.objects.exists()


def test_the_bank_file_keeps_the_details_the_batch_was_made_with(shared, union_staff):
    alice, _bob, _innovation = shared
    batch = payout_batch_create(created_by=union_staff)

    PayoutProfile.objects.filter(user=alice).update(bank_account_number="9999999999")

    rows = list(
        load_workbook(BytesIO(payout_batch_xlsx(batch=batch))).active.iter_rows(values_only=True)
    )
    assert {row[0]: row[2] for row in rows[1:]}[str(alice)] == "6222020200000000017"


def test_nobody_with_bank_details_owed_means_no_batch(shared, union_staff):
    PayoutProfile.objects.all().delete()

    with pytest.raises(PayoutBatchEmptyError):
        payout_batch_create(created_by=union_staff)

    assert not PayoutBatch.objects.exists()
