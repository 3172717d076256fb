"""Structured logs of money and bids: one "wie.money" record per ledger transaction posted
(after commit), one per refund Stripe accepted, one "wie.bids" record per refused bid; ids,
codes and amounts as two-decimal strings, never a name (config.log_format.JsonFormatter)."""

import json
import logging
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from config.log_format import JsonFormatter
from marketplace.exceptions import BidBelowMinimumError, BidInvalidAmountError, BidRateLimitedError
from marketplace.models import DepositRefund, Settlement
from marketplace.services.bidding import bid_place
from marketplace.services.ledger import (
    PLATFORM_CLEARING,
    PROCEEDS_TO_SHARE,
    Posting,
    enterprise_deposits_account,
    ledger_key_describe,
    ledger_post,
    platform_account,
)
from marketplace.services.settlement import settlement_bank_payment_confirm
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import DepositFactory, VerifiedEnterpriseFactory
from tests.marketplace import settlement_scenarios as scenarios
from tests.marketplace.settlement_scenarios import open_lot, pay_deposit_online, sold_lot

fake_stripe = scenarios.fake_stripe
simulated_stripe = scenarios.simulated_stripe
pytestmark = pytest.mark.django_db

STRUCTURED_LOGGERS = ("wie.money", "wie.bids")


@pytest.fixture
def structured_log(caplog):
    """The structured loggers' records, whatever settings.LOGGING does with them (a handler of
    their own, no propagation): caplog's handler is put on each of them directly."""
    saved = []
    for name in STRUCTURED_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level, logger.propagate))
        logger.setLevel(logging.INFO)
        logger.propagate = False
        logger.addHandler(caplog.handler)
    yield caplog
    for logger, level, propagate in saved:
        logger.removeHandler(caplog.handler)
        logger.setLevel(level)
        logger.propagate = propagate


def records(caplog, event: str, **matching) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if getattr(record, "event", None) == event
        and all(getattr(record, name, None) == value for name, value in matching.items())
    ]


def as_json(record: logging.LogRecord) -> dict:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def entries(record) -> dict[str, str]:
    return {entry["account_code"]: entry["amount"] for entry in record.entries}


@pytest.fixture
def member(db):
    enterprise = VerifiedEnterpriseFactory(name="上海甲精密机械有限公司")
    return UserFactory(
        role=Role.ENTERPRISE_MEMBER,
        enterprise=enterprise,
        last_name="王",
        first_name="建国",
        email="wang.jianguo@example.com",
        mobile="13812345678",
    )


def personal_data(user) -> list[str]:
    return [user.email, user.mobile, user.first_name, user.last_name, user.enterprise.name]


# Ledger transactions


def test_a_deposit_paid_online_logs_its_transaction_after_commit(
    structured_log, member, simulated_stripe, django_capture_on_commit_callbacks
):
    lot = open_lot(deposit="10000.00")

    with django_capture_on_commit_callbacks(execute=True):
        deposit = pay_deposit_online(lot, member)
        assert records(structured_log, "ledger_transaction_posted") == []

    [record] = records(structured_log, "ledger_transaction_posted")
    assert record.name == "wie.money"
    assert record.description_code == "deposit_paid"
    assert record.deposit_id == deposit.pk
    assert record.enterprise_ids == [member.enterprise_id]
    assert record.amount == "10000.00"
    assert entries(record) == {
        PLATFORM_CLEARING: "10000.00",
        f"enterprise:{member.enterprise_id}:deposits-held": "-10000.00",
    }
    line = as_json(record)
    assert line["event"] == "ledger_transaction_posted"
    assert line["transaction_id"] == record.transaction_id
    assert line["logger"] == "wie.money"
    assert {entry["amount"] for entry in line["entries"]} == {"10000.00", "-10000.00"}
    text = JsonFormatter().format(record)
    for personal in personal_data(member):
        assert personal not in text


def test_a_posting_rolled_back_with_its_caller_logs_nothing(
    structured_log, member, django_capture_on_commit_callbacks
):
    clearing = platform_account(PLATFORM_CLEARING)
    held = enterprise_deposits_account(member.enterprise)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ledger_post(
            idempotency_key="deposit:999:paid",
            description="t",
            postings=[Posting(clearing, 100), Posting(held, -100)],
        )
        raise RuntimeError("the state change it belongs to failed")

    assert records(structured_log, "ledger_transaction_posted") == []


def test_a_replayed_posting_logs_nothing_more(
    structured_log, member, django_capture_on_commit_callbacks
):
    postings = [
        Posting(platform_account(PLATFORM_CLEARING), 12345),
        Posting(enterprise_deposits_account(member.enterprise), -12345),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        ledger_post(idempotency_key="deposit:7:paid", description="t", postings=postings)
        ledger_post(idempotency_key="deposit:7:paid", description="t", postings=postings)

    [record] = records(structured_log, "ledger_transaction_posted")
    assert record.amount == "123.45"
    assert record.deposit_id == 7


def test_a_settlement_payment_by_bank_logs_its_amount_and_settlement(
    structured_log, simulated_stripe, union_staff, django_capture_on_commit_callbacks
):
    lot, winner, _others = sold_lot(django_capture_on_commit_callbacks)
    settlement = Settlement.objects.get(lot=lot)
    structured_log.clear()

    with django_capture_on_commit_callbacks(execute=True):
        settlement_bank_payment_confirm(
            staff_user=union_staff,
            settlement=settlement,
            amount="50000.00",
            bank_reference="ICBC-20260801-778",
        )

    [record] = records(structured_log, "ledger_transaction_posted")
    assert record.description_code == "settlement_payment_received"
    assert record.settlement_id == settlement.pk
    assert record.receipt_source == "bank_transfer"
    assert record.amount == "50000.00"
    assert entries(record) == {PLATFORM_CLEARING: "50000.00", PROCEEDS_TO_SHARE: "-50000.00"}
    # The key ends in the bank reference staff typed: it is not logged.
    assert "ICBC-20260801-778" not in JsonFormatter().format(record)
    for personal in personal_data(winner):
        assert personal not in JsonFormatter().format(record)


def test_a_refund_through_stripe_logs_each_step_and_stripes_answer(
    structured_log, fake_stripe, django_capture_on_commit_callbacks
):
    lot, _winner, [underbidder] = sold_lot(
        django_capture_on_commit_callbacks, others=("120000.00",)
    )

    refund = DepositRefund.objects.get(deposit__enterprise=underbidder.enterprise)
    refund_records = [
        record
        for record in records(structured_log, "ledger_transaction_posted")
        if getattr(record, "refund_id", None) == refund.pk
    ]
    assert [record.description_code for record in refund_records] == [
        "refund_asked",
        "refund_paid",
    ]
    asked, paid = refund_records
    assert (asked.lot_id, asked.deposit_id, asked.enterprise_id) == (
        lot.pk,
        refund.deposit_id,
        underbidder.enterprise_id,
    )
    assert entries(asked) == {
        f"enterprise:{underbidder.enterprise_id}:deposits-held": "10000.00",
        "platform:refunds-payable": "-10000.00",
    }
    assert paid.amount == "10000.00"
    [stripe_record] = records(structured_log, "stripe_refund_sent", refund_id=refund.pk)
    assert stripe_record.name == "wie.money"
    assert stripe_record.amount == "10000.00"
    assert stripe_record.stripe_refund_id == refund.stripe_refund_id
    assert stripe_record.stripe_status == "succeeded"
    assert stripe_record.lot_id == lot.pk
    line = as_json(stripe_record)
    assert line["amount"] == "10000.00"
    for personal in personal_data(underbidder):
        assert personal not in JsonFormatter().format(stripe_record)


# Refused bids


@pytest.fixture
def bidding_lot(db):
    return open_lot(starting_price="100000.00")


@pytest.fixture
def bidder(bidding_lot, member):
    DepositFactory(lot=bidding_lot, enterprise=member.enterprise)
    return member


def test_a_bid_below_the_minimum_is_logged_with_its_reason_and_amount(
    structured_log, bidding_lot, bidder
):
    with pytest.raises(BidBelowMinimumError):
        bid_place(user=bidder, lot_id=bidding_lot.pk, max_amount="99999.99")

    [record] = records(structured_log, "bid_refused")
    assert record.name == "wie.bids"
    assert (record.reason, record.lot_id, record.enterprise_id, record.user_id) == (
        "below_minimum",
        bidding_lot.pk,
        bidder.enterprise_id,
        bidder.pk,
    )
    assert record.amount == "99999.99"
    line = as_json(record)
    assert line["amount"] == "99999.99"
    for personal in personal_data(bidder):
        assert personal not in JsonFormatter().format(record)


def test_a_rate_limited_bid_is_logged(structured_log, bidding_lot, bidder):
    now = timezone.now()
    amounts = [Decimal("100000.00") + step * 20000 for step in range(6)]
    for amount in amounts[:5]:
        bid_place(user=bidder, lot_id=bidding_lot.pk, max_amount=amount, now=now)
    assert records(structured_log, "bid_refused") == []

    with pytest.raises(BidRateLimitedError):
        bid_place(user=bidder, lot_id=bidding_lot.pk, max_amount=amounts[5], now=now)

    [record] = records(structured_log, "bid_refused")
    assert (record.reason, record.amount) == ("rate_limited", "200000.00")


def test_an_unreadable_amount_is_logged_without_it(structured_log, bidding_lot, bidder):
    with pytest.raises(BidInvalidAmountError):
        bid_place(user=bidder, lot_id=bidding_lot.pk, max_amount="1e3; drop table")

    [record] = records(structured_log, "bid_refused")
    assert (record.reason, record.amount) == ("invalid_amount", None)
    assert "drop table" not in JsonFormatter().format(record)


# The formatter


def test_the_formatter_writes_decimals_as_strings_and_keeps_the_standard_fields_first():
    record = logging.LogRecord("wie.money", logging.INFO, __file__, 1, "m %s", ("x",), None)
    record.amount = Decimal("0.10")
    record.message_id = 3
    record.level = "not allowed to replace the level"

    line = as_json(record)

    assert line["amount"] == "0.10"
    assert line["message"] == "m x"
    assert line["level"] == "INFO"
    assert line["message_id"] == 3


# Which movement a ledger key names


@pytest.mark.parametrize(
    ("key", "code", "ids"),
    [
        ("deposit:12:paid", "deposit_paid", {"deposit_id": 12}),
        ("deposit-refund:4:1:asked", "refund_asked", {"refund_id": 4}),
        ("deposit-refund:4:succeeded", "refund_paid", {"refund_id": 4}),
        ("deposit-refund:4:2:failed", "refund_failed_reversed", {"refund_id": 4}),
        ("settlement:9:premium", "buyers_premium_earned", {"settlement_id": 9}),
        (
            "settlement:9:withdraw:31",
            "settlement_receipt_withdrawn",
            {"settlement_id": 9, "settlement_receipt_id": 31},
        ),
        (
            "settlement:9:bank_transfer:ICBC: 0801",
            "settlement_payment_received",
            {"settlement_id": 9, "receipt_source": "bank_transfer"},
        ),
        ("balance-checkout:5:unapplied", "balance_payment_unapplied", {"balance_checkout_id": 5}),
        ("licensing:payout:8:paid", "payout_paid", {"payout_id": 8}),
        ("share:settlement:9:share", "sale_proceeds_shared", {"settlement_id": 9}),
        ("licensing:agreement:3:income:B 1:received", "income_received", {"agreement_id": 3}),
        ("share:licensing:agreement:3:income:B 1", "income_shared", {"agreement_id": 3}),
        (
            "share:licensing:agreement:3:income:B 1:reversal",
            "income_sharing_reversed",
            {"agreement_id": 3},
        ),
        (
            "licensing:agreement:3:income:B 1:reversal:received",
            "income_reversed",
            {"agreement_id": 3},
        ),
        ("share:anything", "proceeds_shared", {}),
        ("something:else", "other", {}),
    ],
)
def test_each_ledger_key_shape_names_its_movement_and_ids(key, code, ids):
    assert ledger_key_describe(key) == (code, ids)
