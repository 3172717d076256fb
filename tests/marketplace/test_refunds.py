"""Deposits given back when a lot is sold or passed (marketplace.services.refunds): through
Stripe's Refunds API (faked at its HTTP edge), retried after a failure, confirmed by webhook
once however often it comes, and by staff for bank transfers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.choices import DepositStatus
from marketplace.models import DepositRefund, LedgerTransaction, StripeEvent
from marketplace.models.settlement import RefundStatus
from marketplace.services import deposits
from marketplace.services.bidding import bid_place
from marketplace.services.refunds import (
    refund_bank_transfer_confirm,
    refunds_retry_due,
)
from marketplace.services.refunds import refund_send as send
from tests.marketplace import settlement_scenarios as scenarios
from tests.marketplace.settlement_scenarios import (
    bidder,
    close,
    held,
    ledger_sums_to_zero,
    open_lot,
    platform_balances,
    sold_lot,
)

fake_stripe = scenarios.fake_stripe
simulated_stripe = scenarios.simulated_stripe
pytestmark = pytest.mark.django_db


def refund_event(refund, status, *, event_id):
    return {
        "id": event_id,
        "type": "refund.updated",
        "data": {
            "object": {
                "id": refund.stripe_refund_id,
                "object": "refund",
                "status": status,
                "amount": int(refund.amount * 100),
                "metadata": {"deposit_refund_id": str(refund.pk)},
            }
        },
    }


def test_underbidders_are_refunded_through_stripe_as_soon_as_the_lot_is_sold(
    fake_stripe, django_capture_on_commit_callbacks
):
    lot, winner, [second, third] = sold_lot(
        django_capture_on_commit_callbacks, others=("120000.00", "110000.00")
    )

    refunds = list(DepositRefund.objects.filter(deposit__lot=lot).order_by("pk"))
    assert [refund.deposit.enterprise_id for refund in refunds] == [
        second.enterprise_id,
        third.enterprise_id,
    ]
    assert all(refund.status == RefundStatus.SUCCEEDED for refund in refunds)
    [first_request, second_request] = fake_stripe.refund_requests
    assert first_request["params"]["amount"] == "1000000"
    assert (
        first_request["params"]["payment_intent"] == refunds[0].deposit.checkout.payment_intent_id
    )
    assert first_request["headers"]["Idempotency-Key"] == f"deposit-refund:{refunds[0].pk}:1"
    for refund in refunds:
        refund.deposit.refresh_from_db()
        assert refund.deposit.status == DepositStatus.REFUNDED
        assert refund.deposit.refunded_at is not None
    assert held(second.enterprise) == held(third.enterprise) == 0
    assert platform_balances()["refunds_payable"] == 0
    assert ledger_sums_to_zero()


def test_every_deposit_is_refunded_when_the_lot_passes(
    simulated_stripe, django_capture_on_commit_callbacks
):
    lot = open_lot(reserve="500000.00")
    members = [bidder(lot, "上海甲公司"), bidder(lot, "上海乙公司")]
    bid_place(user=members[0], lot_id=lot.pk, max_amount="200000.00")

    close(lot, django_capture_on_commit_callbacks)

    assert (
        DepositRefund.objects.filter(deposit__lot=lot, status=RefundStatus.SUCCEEDED).count() == 2
    )


def test_a_refund_stripe_refuses_is_retried_later_with_a_new_key(
    fake_stripe, django_capture_on_commit_callbacks
):
    fake_stripe.fail_next(500)
    lot, _winner, [underbidder] = sold_lot(django_capture_on_commit_callbacks)
    refund = DepositRefund.objects.get(deposit__lot=lot)

    # Then: visible to staff with its error, the deposit still held, nothing posted yet.
    assert refund.status == RefundStatus.FAILED
    assert refund.attempts == 1
    assert "bad day" in refund.last_error
    assert refund.next_attempt_at > timezone.now()
    assert held(underbidder.enterprise) == -1_000_000

    # Not yet due: the pass leaves it.
    assert refunds_retry_due() == {"sent": 0, "failed": 0}
    counts = refunds_retry_due(now=refund.next_attempt_at + timedelta(seconds=1))

    refund.refresh_from_db()
    assert counts == {"sent": 1, "failed": 0}
    assert refund.status == RefundStatus.SUCCEEDED
    keys = [request["headers"]["Idempotency-Key"] for request in fake_stripe.refund_requests]
    assert keys == [f"deposit-refund:{refund.pk}:1", f"deposit-refund:{refund.pk}:2"]
    assert held(underbidder.enterprise) == 0
    assert ledger_sums_to_zero()


def test_when_stripe_cannot_be_reached_the_retry_uses_the_same_key(
    fake_stripe, django_capture_on_commit_callbacks
):
    fake_stripe.unreachable_next()
    lot, _winner, _others = sold_lot(django_capture_on_commit_callbacks)
    refund = DepositRefund.objects.get(deposit__lot=lot)
    assert refund.status == RefundStatus.FAILED

    refunds_retry_due(now=refund.next_attempt_at)

    keys = [request["headers"]["Idempotency-Key"] for request in fake_stripe.refund_requests]
    assert keys == [f"deposit-refund:{refund.pk}:1"] * 2
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED


def test_retries_back_off(fake_stripe, django_capture_on_commit_callbacks):
    fake_stripe.fail_next(500)
    lot, _winner, _others = sold_lot(django_capture_on_commit_callbacks)
    refund = DepositRefund.objects.get(deposit__lot=lot)
    first_wait = refund.next_attempt_at - refund.updated_at
    fake_stripe.fail_next(500)

    refunds_retry_due(now=refund.next_attempt_at)

    refund.refresh_from_db()
    assert refund.attempts == 2
    assert refund.next_attempt_at - refund.updated_at > first_wait


def test_a_pending_refund_is_confirmed_by_the_webhook_once(
    client, fake_stripe, django_capture_on_commit_callbacks
):
    fake_stripe.refund_status = "pending"
    lot, _winner, [underbidder] = sold_lot(django_capture_on_commit_callbacks)
    refund = DepositRefund.objects.get(deposit__lot=lot)
    assert refund.status == RefundStatus.SENT
    assert platform_balances()["refunds_payable"] == -1_000_000
    assert held(underbidder.enterprise) == 0

    event = refund_event(refund, "succeeded", event_id="evt_refund_ok")
    deposits.stripe_event_handle(event)
    transactions = LedgerTransaction.objects.count()
    deposits.stripe_event_handle(event)

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert LedgerTransaction.objects.count() == transactions
    assert StripeEvent.objects.filter(event_id="evt_refund_ok").count() == 1
    assert platform_balances()["refunds_payable"] == 0
    # A second event under another id for the same refund changes nothing either.
    deposits.stripe_event_handle(refund_event(refund, "succeeded", event_id="evt_refund_ok_2"))
    assert LedgerTransaction.objects.count() == transactions
    assert ledger_sums_to_zero()


def test_a_refund_stripe_fails_later_is_reversed_and_retried(
    fake_stripe, django_capture_on_commit_callbacks
):
    fake_stripe.refund_status = "pending"
    lot, _winner, [underbidder] = sold_lot(django_capture_on_commit_callbacks)
    refund = DepositRefund.objects.get(deposit__lot=lot)

    deposits.stripe_event_handle(refund_event(refund, "failed", event_id="evt_refund_failed"))

    refund.refresh_from_db()
    assert (refund.status, refund.stripe_attempt) == (RefundStatus.FAILED, 2)
    assert held(underbidder.enterprise) == -1_000_000
    refund.deposit.refresh_from_db()
    assert refund.deposit.status == DepositStatus.PAID
    fake_stripe.refund_status = "succeeded"
    refunds_retry_due(now=refund.next_attempt_at)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert held(underbidder.enterprise) == 0
    assert platform_balances()["refunds_payable"] == 0
    assert ledger_sums_to_zero()


def test_a_bank_transfer_deposit_waits_for_staff_to_refund_by_hand(
    simulated_stripe, union_staff, django_capture_on_commit_callbacks
):
    lot = open_lot()
    by_bank = bidder(lot, "上海乙公司", bank_transfer_by=union_staff)
    winner = bidder(lot, "上海甲公司")
    bid_place(user=by_bank, lot_id=lot.pk, max_amount="120000.00")
    bid_place(user=winner, lot_id=lot.pk, max_amount="150000.00")

    close(lot, django_capture_on_commit_callbacks)

    refund = DepositRefund.objects.get(deposit__enterprise=by_bank.enterprise)
    assert refund.status == RefundStatus.BANK_TRANSFER_DUE
    assert platform_balances()["refunds_payable"] == -1_000_000
    assert refunds_retry_due() == {"sent": 0, "failed": 0}

    refund_bank_transfer_confirm(staff_user=union_staff, refund=refund, bank_reference="ICBC-R1")

    refund.refresh_from_db()
    assert (refund.status, refund.bank_reference) == (RefundStatus.SUCCEEDED, "ICBC-R1")
    assert refund.confirmed_by == union_staff
    assert platform_balances()["refunds_payable"] == 0
    assert ledger_sums_to_zero()


def test_a_refund_lost_to_a_crash_is_queued_and_sent_by_the_next_pass(
    simulated_stripe, django_capture_on_commit_callbacks
):
    # The process died between the closing commit and its refunds: nothing ran after commit.
    lot, _winner, [underbidder] = sold_lot(django_capture_on_commit_callbacks, execute=False)
    assert not DepositRefund.objects.exists()

    refunds_retry_due()

    refund = DepositRefund.objects.get(deposit__enterprise=underbidder.enterprise)
    assert (refund.status, refund.amount) == (RefundStatus.SUCCEEDED, Decimal("10000.00"))


def test_a_send_interrupted_by_a_crash_is_sent_again_with_its_key(
    fake_stripe, django_capture_on_commit_callbacks
):
    fake_stripe.unreachable_next()
    lot, _winner, _others = sold_lot(django_capture_on_commit_callbacks)
    refund = DepositRefund.objects.get(deposit__lot=lot)
    DepositRefund.objects.filter(pk=refund.pk).update(status=RefundStatus.SENDING)

    assert send(refund_id=refund.pk) is None  # "sending" belongs to someone else…
    refunds_retry_due(now=timezone.now() + timedelta(minutes=11))  # …until it is stale

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
