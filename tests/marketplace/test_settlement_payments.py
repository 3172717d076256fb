"""Paying a settlement's balance: Stripe Checkout through the signed webhook (once, however
often Stripe delivers), bank transfers staff confirm (partial allowed, overpayment refused),
and the card limit that decides between the two (marketplace.services.settlement)."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
import stripe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from accounts.choices import Role
from licensing.models import Agreement, SharingEvent
from marketplace.choices import CheckoutStatus
from marketplace.exceptions import (
    SettlementCardLimitError,
    SettlementError,
    SettlementNotPayableError,
    SettlementOverpaymentError,
)
from marketplace.models import (
    BalanceCheckout,
    DepositRefund,
    LedgerTransaction,
    Settlement,
    StripeEvent,
)
from marketplace.models.settlement import ReceiptSource, RefundStatus, SettlementStatus
from marketplace.services.defaults import settlements_default_overdue
from marketplace.services.ledger import PROCEEDS_TO_SHARE, REFUNDS_PAYABLE
from marketplace.services.refunds import refunds_retry_due
from marketplace.services.settlement import (
    balance_checkout_metadata,
    settlement_bank_payment_confirm,
    settlement_checkout_start,
)
from tests.factories.accounts import UserFactory
from tests.marketplace import settlement_scenarios as scenarios
from tests.marketplace.settlement_scenarios import (
    balance,
    ledger_sums_to_zero,
    platform_balances,
    sold_lot,
)

fake_stripe = scenarios.fake_stripe
simulated_stripe = scenarios.simulated_stripe
pytestmark = pytest.mark.django_db

WEBHOOK_URL = "/stripe/webhook/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sale(simulated_stripe, django_capture_on_commit_callbacks):
    """Sold at ¥130,000 with ¥10,000 applied: ¥120,000 to pay."""
    lot, winner, _others = sold_lot(django_capture_on_commit_callbacks)
    return Settlement.objects.get(lot=lot), winner


def deliver(client, event, secret):
    payload = json.dumps(event)
    signature = stripe.WebhookSignature.generate_signature_header(payload, secret)
    return client.post(
        WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def completed_event(checkout, *, event_id="evt_balance_1", amount_fen=None):
    return {
        "id": event_id,
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": checkout.stripe_session_id,
                "payment_status": "paid",
                "payment_intent": "pi_test_balance",
                "amount_total": checkout.amount_fen if amount_fen is None else amount_fen,
                "currency": "cny",
                "metadata": balance_checkout_metadata(checkout),
            }
        },
    }


# --- Online ----------------------------------------------------------------------------------


def test_the_buyer_pays_the_balance_online_and_a_redelivered_event_does_nothing(
    client, sale, fake_stripe
):
    settlement, winner = sale

    checkout = settlement_checkout_start(user=winner, settlement=settlement)

    assert checkout.status == CheckoutStatus.OPEN
    assert checkout.amount_fen == 12_000_000
    [request] = fake_stripe.requests
    assert request["params"]["metadata[purpose]"] == "settlement"
    assert request["headers"]["Idempotency-Key"] == checkout.idempotency_key

    event = completed_event(checkout)
    assert deliver(client, event, "whsec_test_fake").status_code == 200
    transactions = LedgerTransaction.objects.count()
    assert deliver(client, event, "whsec_test_fake").status_code == 200

    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.PAID
    assert settlement.amount_received == Decimal("130000.00")
    assert sorted(settlement.receipts.values_list("source", "amount")) == [
        (ReceiptSource.DEPOSIT, Decimal("10000.00")),
        (ReceiptSource.STRIPE, Decimal("120000.00")),
    ]
    assert LedgerTransaction.objects.count() == transactions
    assert StripeEvent.objects.filter(event_id="evt_balance_1").count() == 1
    # Paid in full: the price is shared with the innovation's people at once, once, and a
    # draft agreement with the buyer is opened.
    assert balance(PROCEEDS_TO_SHARE) == 0
    [sharing] = SharingEvent.objects.filter(sale=settlement.sale)
    assert sharing.amount == settlement.price == Decimal("130000.00")
    assert sum(line.amount for line in sharing.lines.all()) == sharing.amount
    agreement = Agreement.objects.get(sale=settlement.sale)
    assert (agreement.licensee_id, agreement.deal_amount) == (
        winner.enterprise_id,
        Decimal("130000.00"),
    )
    assert ledger_sums_to_zero()


def test_an_open_checkout_is_reused_rather_than_a_second_made(sale, fake_stripe):
    settlement, winner = sale

    first = settlement_checkout_start(user=winner, settlement=settlement)
    again = settlement_checkout_start(user=winner, settlement=settlement)

    assert again.pk == first.pk
    assert len(fake_stripe.requests) == 1


def test_an_expired_checkout_changes_nothing_but_itself(client, sale, fake_stripe):
    settlement, winner = sale
    checkout = settlement_checkout_start(user=winner, settlement=settlement)
    event = completed_event(checkout)
    event["type"] = "checkout.session.expired"
    event["data"]["object"]["payment_status"] = "unpaid"

    deliver(client, event, "whsec_test_fake")

    checkout.refresh_from_db()
    settlement.refresh_from_db()
    assert checkout.status == CheckoutStatus.EXPIRED
    assert settlement.amount_received == Decimal("10000.00")


def test_a_paid_amount_that_differs_from_the_checkout_is_not_applied(client, sale, fake_stripe):
    settlement, winner = sale
    checkout = settlement_checkout_start(user=winner, settlement=settlement)

    deliver(client, completed_event(checkout, amount_fen=100), "whsec_test_fake")

    settlement.refresh_from_db()
    assert settlement.amount_received == Decimal("10000.00")


def test_money_taken_after_a_bank_transfer_settled_it_is_kept_as_refund_payable(
    client, sale, fake_stripe, union_staff
):
    settlement, winner = sale
    checkout = settlement_checkout_start(user=winner, settlement=settlement)
    settlement_bank_payment_confirm(
        staff_user=union_staff,
        settlement=settlement,
        amount="120000.00",
        bank_reference="ICBC-1",
    )

    deliver(client, completed_event(checkout), "whsec_test_fake")

    settlement.refresh_from_db()
    assert settlement.amount_received == Decimal("130000.00")
    assert balance(REFUNDS_PAYABLE) == -12_000_000
    # Owed back through Stripe, by the close_lots pass (see the test below).
    refund = DepositRefund.objects.get(balance_checkout=checkout)
    assert (refund.amount, refund.status) == (Decimal("120000.00"), RefundStatus.QUEUED)
    assert ledger_sums_to_zero()


def test_only_the_buyers_members_can_pay(sale, fake_stripe, enterprise_member):
    settlement, _winner = sale

    with pytest.raises(SettlementError):
        settlement_checkout_start(user=enterprise_member, settlement=settlement)

    assert not BalanceCheckout.objects.exists()


def test_above_the_card_limit_the_balance_is_paid_by_bank_transfer(settings, sale, fake_stripe):
    settlement, winner = sale
    settings.SETTLEMENT_CARD_LIMIT_FEN = 11_999_999  # one fen less than the ¥120,000 due

    with translation.override("en"):
        with pytest.raises(SettlementCardLimitError) as refusal:
            settlement_checkout_start(user=winner, settlement=settlement)
        message = str(refusal.value)

    assert "Pay it by bank transfer" in message
    assert "¥120,000.00" in message
    assert fake_stripe.requests == []
    settings.SETTLEMENT_CARD_LIMIT_FEN = 12_000_000
    assert settlement_checkout_start(user=winner, settlement=settlement).amount_fen == 12_000_000


def test_the_card_limit_never_exceeds_what_stripe_takes(settings, sale, fake_stripe):
    from marketplace.services.settlement import card_limit_fen

    settings.SETTLEMENT_CARD_LIMIT_FEN = 500_000_000

    assert card_limit_fen() == 99_999_999


# --- Bank transfer ---------------------------------------------------------------------------


def test_partial_bank_transfers_add_up_to_paid(sale, union_staff):
    settlement, _winner = sale

    settlement_bank_payment_confirm(
        staff_user=union_staff,
        settlement=settlement,
        amount="50000.00",
        bank_reference="ICBC-1",
        receipt_file=SimpleUploadedFile("回单.pdf", b"%PDF-1.4 receipt", "application/pdf"),
    )
    settlement.refresh_from_db()
    assert (settlement.status, settlement.balance) == (
        SettlementStatus.AWAITING_PAYMENT,
        Decimal("70000.00"),
    )

    receipt = settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="70000.00", bank_reference="ICBC-2"
    )

    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.PAID
    assert receipt.recorded_by == union_staff
    first = settlement.receipts.get(reference="ICBC-1")
    assert first.receipt.name.startswith("receipts/") and first.receipt.name.endswith(".pdf")
    assert platform_balances()["proceeds"] == 0  # paid in full, so shared out
    assert ledger_sums_to_zero()


def test_an_overpayment_is_refused_and_changes_nothing(sale, union_staff):
    settlement, _winner = sale
    transactions = LedgerTransaction.objects.count()

    with translation.override("en"):
        with pytest.raises(SettlementOverpaymentError) as refusal:
            settlement_bank_payment_confirm(
                staff_user=union_staff,
                settlement=settlement,
                amount="120000.01",
                bank_reference="ICBC-1",
            )
        message = str(refusal.value)

    assert message == (
        "¥120,000.01 is more than the balance still due, ¥120,000.00. Record at most the balance."
    )
    assert LedgerTransaction.objects.count() == transactions
    assert settlement.receipts.count() == 1


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "abc", "NaN", 1.5])
def test_a_bad_amount_is_refused(sale, union_staff, amount):
    settlement, _winner = sale

    with pytest.raises(SettlementError):
        settlement_bank_payment_confirm(
            staff_user=union_staff, settlement=settlement, amount=amount, bank_reference="X"
        )


def test_a_bank_reference_counts_once(sale, union_staff):
    settlement, _winner = sale
    settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="100.00", bank_reference="ICBC-1"
    )

    with pytest.raises(SettlementError):
        settlement_bank_payment_confirm(
            staff_user=union_staff, settlement=settlement, amount="100.00", bank_reference="ICBC-1"
        )

    assert settlement.receipts.count() == 2


def test_a_receipt_that_is_not_a_pdf_or_image_is_refused(sale, union_staff):
    settlement, _winner = sale

    with pytest.raises(SettlementError):
        settlement_bank_payment_confirm(
            staff_user=union_staff,
            settlement=settlement,
            amount="100.00",
            bank_reference="ICBC-1",
            receipt_file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        )

    assert settlement.receipts.count() == 1


def test_only_union_staff_confirm_a_bank_transfer(sale):
    settlement, winner = sale

    with pytest.raises(SettlementError):
        settlement_bank_payment_confirm(
            staff_user=winner, settlement=settlement, amount="100.00", bank_reference="X"
        )


def test_a_paid_settlement_takes_no_more(sale, union_staff):
    settlement, _winner = sale
    settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="120000.00", bank_reference="A"
    )
    settlement.refresh_from_db()

    with pytest.raises(SettlementNotPayableError):
        settlement_bank_payment_confirm(
            staff_user=union_staff, settlement=settlement, amount="0.01", bank_reference="B"
        )


def test_the_union_staff_fixture_is_staff():
    # Guards the fixture the refusals above rely on.
    assert UserFactory(role=Role.UNION_STAFF).groups.exists()


def test_money_paid_online_after_a_default_is_refunded_through_stripe_by_the_pass(
    client, sale, fake_stripe
):
    # Given: the buyer opened the checkout, then the settlement defaulted before it paid.
    settlement, winner = sale
    checkout = settlement_checkout_start(user=winner, settlement=settlement)
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))

    # When: Stripe reports the ¥120,000 paid, and the close_lots pass runs.
    deliver(client, completed_event(checkout), "whsec_test_fake")
    refund = DepositRefund.objects.get(balance_checkout=checkout)
    assert (refund.amount, refund.status) == (Decimal("120000.00"), RefundStatus.QUEUED)
    assert balance(REFUNDS_PAYABLE) == -12_000_000
    refunds_retry_due(now=timezone.now())

    # Then: Stripe refunded that payment in full, and nothing is owed any more.
    [request] = [r for r in fake_stripe.refund_requests if r["params"]["amount"] == "12000000"]
    assert request["params"]["payment_intent"] == "pi_test_balance"
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.enterprise == winner.enterprise
    assert balance(REFUNDS_PAYABLE) == 0
    settlement.refresh_from_db()
    assert (settlement.status, settlement.amount_received) == (
        SettlementStatus.DEFAULTED,
        Decimal("10000.00"),
    )
    assert ledger_sums_to_zero()
