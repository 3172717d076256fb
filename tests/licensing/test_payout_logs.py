"""Profit-sharing money in the "wie.money" log: the sharing of an amount and each payout, with
ids and two-decimal amounts, never the payee's name or bank details."""

import json
import logging
from datetime import date
from decimal import Decimal

import pytest

from accounts.choices import Role
from config.log_format import JsonFormatter
from licensing.payable_accounts import worker_payable_account
from licensing.services.payouts import payout_batch_create, payout_batch_mark_paid, payout_record
from licensing.services.profit_sharing import proceeds_share
from marketplace.services.ledger import PLATFORM_CLEARING
from tests.factories.accounts import UserFactory
from tests.factories.licensing import PayoutProfileFactory, approved_innovation

pytestmark = pytest.mark.django_db


@pytest.fixture
def money_log(caplog):
    """ "wie.money" records, whatever settings.LOGGING does with the logger."""
    logger = logging.getLogger("wie.money")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)
    logger.setLevel(level)
    logger.propagate = propagate


def posted(caplog, code: str, *, phase: str = "call") -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.get_records(phase)
        if getattr(record, "event", None) == "ledger_transaction_posted"
        and record.description_code == code
    ]


@pytest.fixture
def shared(django_capture_on_commit_callbacks):
    """¥1,000.00 shared by the default plan: ¥420 to Alice, ¥280 to Bob (60/40 of 70%), ¥150 to
    the employer, ¥100 to the union fund, ¥50 platform fee. Alice and Bob have bank details."""
    alice = UserFactory(
        role=Role.WORKER,
        last_name="李",
        first_name="秀英",
        email="li.xiuying@example.com",
        mobile="13912345678",
    )
    bob = UserFactory(role=Role.WORKER)
    innovation = approved_innovation(inventors=[(alice, "60"), (bob, "40")])
    with django_capture_on_commit_callbacks(execute=True):
        proceeds_share(
            innovations=[innovation],
            amount=Decimal("1000.00"),
            source_label="许可收入 t",
            idempotency_key="t",
        )
    PayoutProfileFactory(user=alice, bank_account_number="6222020200000000017")
    PayoutProfileFactory(user=bob)
    return alice, bob, innovation


def test_sharing_an_amount_logs_every_part(money_log, shared):
    alice, bob, innovation = shared

    # Shared while the `shared` fixture was set up.
    [record] = posted(money_log, "proceeds_shared", phase="setup")

    assert record.amount == "1000.00"
    by_account = {entry["account_code"]: entry["amount"] for entry in record.entries}
    assert by_account[f"worker:{alice.pk}:payable"] == "-420.00"
    assert by_account[f"worker:{bob.pk}:payable"] == "-280.00"
    assert by_account[f"employer:{innovation.employer_id}:payable"] == "-150.00"
    assert sorted(record.user_ids) == sorted([alice.pk, bob.pk])
    assert innovation.employer_id in record.enterprise_ids


def test_a_single_payout_logs_its_transaction_without_the_payee(
    money_log, shared, union_staff, django_capture_on_commit_callbacks
):
    alice, _bob, _innovation = shared
    money_log.clear()

    with django_capture_on_commit_callbacks(execute=True):
        payout = payout_record(
            account=worker_payable_account(alice),
            amount=Decimal("400.00"),
            reference="ICBC-0801-17",
            paid_on=date(2026, 8, 1),
            recorded_by=union_staff,
        )

    [record] = posted(money_log, "payout_paid")
    assert record.payout_id == payout.pk
    assert record.user_ids == [alice.pk]
    assert record.amount == "400.00"
    assert {entry["account_code"]: entry["amount"] for entry in record.entries} == {
        f"worker:{alice.pk}:payable": "400.00",
        PLATFORM_CLEARING: "-400.00",
    }
    line = JsonFormatter().format(record)
    assert json.loads(line)["payout_id"] == payout.pk
    for personal in [str(alice), alice.email, alice.mobile, "李", "6222020200000000017"]:
        assert personal not in line
    # The description names the payee; it is never logged.
    assert payout.payee_name not in line


def test_a_batch_logs_one_record_per_line_with_the_batch(
    money_log, shared, union_staff, django_capture_on_commit_callbacks
):
    alice, bob, _innovation = shared
    batch = payout_batch_create(
        created_by=union_staff,
        amounts=[
            (worker_payable_account(alice), Decimal("420.00")),
            (worker_payable_account(bob), Decimal("100.50")),
        ],
    )
    money_log.clear()

    with django_capture_on_commit_callbacks(execute=True):
        payout_batch_mark_paid(batch=batch, bank_reference="BANK-0801", actor=union_staff)

    records = posted(money_log, "payout_paid")
    assert {(record.user_ids[0], record.amount) for record in records} == {
        (alice.pk, "420.00"),
        (bob.pk, "100.50"),
    }
    assert {record.payout_batch_id for record in records} == {batch.pk}
