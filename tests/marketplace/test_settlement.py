"""A sale's settlement (marketplace.services.settlement): what is due, the deposit applied when
the lot closes, the due date in Shanghai calendar days, and the ledger after each step."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from licensing.choices import SharingParty
from licensing.models import SharingEvent
from marketplace.choices import DepositStatus
from marketplace.models import DepositRefund, Settlement
from marketplace.models.settlement import (
    ReceiptSource,
    RefundStatus,
    SettlementKind,
    SettlementStatus,
)
from marketplace.money import yuan_to_fen
from marketplace.services.ledger import PLATFORM_FEES, PROCEEDS_TO_SHARE
from marketplace.services.settlement import (
    lot_enterprise_is_barred,
    settlement_bank_payment_confirm,
    settlement_due_at,
)
from tests.marketplace import settlement_scenarios as scenarios
from tests.marketplace.settlement_scenarios import (
    balance,
    held,
    ledger_sums_to_zero,
    platform_balances,
    sold_lot,
)

simulated_stripe = scenarios.simulated_stripe
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_stripe")]

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_sale_opens_a_settlement_with_the_winners_deposit_applied(
    django_capture_on_commit_callbacks,
):
    lot, winner, [underbidder] = sold_lot(django_capture_on_commit_callbacks)

    settlement = Settlement.objects.get(lot=lot)
    # 150,000 against 120,000: the price is 120,000 + the 10,000 increment of that band.
    assert settlement.kind == SettlementKind.AUCTION
    assert settlement.buyer_id == winner.enterprise_id
    assert settlement.sale == lot.sale
    assert (settlement.price, settlement.premium, settlement.amount_due) == (
        Decimal("130000.00"),
        Decimal("0.00"),
        Decimal("130000.00"),
    )
    assert settlement.deposit_applied == Decimal("10000.00")
    assert settlement.balance == Decimal("120000.00")
    assert settlement.status == SettlementStatus.AWAITING_PAYMENT
    [receipt] = settlement.receipts.all()
    assert (receipt.source, receipt.amount) == (ReceiptSource.DEPOSIT, Decimal("10000.00"))
    settlement.deposit.refresh_from_db()
    assert settlement.deposit.status == DepositStatus.APPLIED
    # Ledger: the winner's deposit moved from deposits held to proceeds-to-share; the
    # underbidder's went back (simulated Stripe refunds at once).
    assert held(winner.enterprise) == 0
    assert held(underbidder.enterprise) == 0
    assert platform_balances() == {
        "clearing": 1_000_000,
        "proceeds": -1_000_000,
        "refunds_payable": 0,
        "forfeited": 0,
    }
    assert ledger_sums_to_zero()


def test_the_buyers_premium_is_added_and_rounded_to_the_fen(django_capture_on_commit_callbacks):
    # A lone bid pays the start: 100,000.40 × 1.25% = 1,250.005 → 1,250.01 (half up).
    lot, _winner, _others = sold_lot(
        django_capture_on_commit_callbacks,
        starting_price="100000.40",
        winner_max="110000.00",
        others=(),
        premium_rate="0.0125",
    )

    settlement = Settlement.objects.get(lot=lot)

    assert settlement.premium == Decimal("1250.01")
    assert settlement.amount_due == Decimal("101250.41")
    assert settlement.balance == Decimal("91250.41")


def platform_fee_part(sharing) -> int:
    return sum(
        yuan_to_fen(line.amount) for line in sharing.lines.filter(party=SharingParty.PLATFORM)
    )


def test_paid_in_full_shares_the_price_and_books_the_premium_as_the_platforms_fee(
    django_capture_on_commit_callbacks, union_staff
):
    lot, _winner, _others = sold_lot(
        django_capture_on_commit_callbacks,
        starting_price="100000.40",
        winner_max="110000.00",
        others=(),
        premium_rate="0.0125",
    )
    settlement = Settlement.objects.get(lot=lot)
    fees_before = balance(PLATFORM_FEES)
    settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="1000.00", bank_reference="B-1"
    )
    # Part-paid: nothing is shared yet, because a default could still forfeit the deposit.
    assert not SharingEvent.objects.exists()
    assert balance(PROCEEDS_TO_SHARE) == -(1_000_000 + 100_000)  # deposit + ¥1,000, in fen

    settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="90250.41", bank_reference="B-2"
    )

    [sharing] = SharingEvent.objects.all()
    assert sharing.amount == Decimal("100000.40")  # the price; the premium is not shared
    assert balance(PLATFORM_FEES) - fees_before == -(125_001 + platform_fee_part(sharing))
    assert balance(PROCEEDS_TO_SHARE) == 0
    assert ledger_sums_to_zero()


def test_a_deposit_larger_than_the_price_is_applied_up_to_it_and_the_rest_refunded(
    django_capture_on_commit_callbacks,
):
    # A ¥5,000 lot with a ¥8,000 deposit, sold to a single bidder at the start.
    lot, winner, _others = sold_lot(
        django_capture_on_commit_callbacks,
        starting_price="5000.00",
        deposit="8000.00",
        winner_max="6000.00",
        others=(),
    )

    settlement = Settlement.objects.get(lot=lot)
    assert settlement.amount_due == Decimal("5000.00")
    assert settlement.deposit_applied == Decimal("5000.00")
    assert settlement.status == SettlementStatus.PAID
    refund = DepositRefund.objects.get(deposit=settlement.deposit)
    assert (refund.amount, refund.status) == (Decimal("3000.00"), RefundStatus.SUCCEEDED)
    settlement.deposit.refresh_from_db()
    assert settlement.deposit.status == DepositStatus.APPLIED
    assert held(winner.enterprise) == 0
    # Paid in full, so the price was shared out at once (see test_settlement_payments).
    assert balance(PROCEEDS_TO_SHARE) == 0
    assert platform_balances()["clearing"] == 500_000
    assert ledger_sums_to_zero()


def test_the_balance_is_due_at_the_end_of_the_tenth_shanghai_day(settings):
    settings.SETTLEMENT_DUE_DAYS = 10
    # 01:30 in Shanghai on 3 March is still 2 March in UTC: Shanghai's calendar counts.
    sold_at = datetime(2026, 3, 3, 1, 30, tzinfo=SHANGHAI)

    due = settlement_due_at(sold_at)

    assert due.astimezone(SHANGHAI).replace(microsecond=0) == datetime(
        2026, 3, 13, 23, 59, 59, tzinfo=SHANGHAI
    )
    assert due + timedelta(microseconds=1) == datetime(2026, 3, 14, tzinfo=SHANGHAI)


def test_the_due_days_are_a_setting(settings, django_capture_on_commit_callbacks):
    settings.SETTLEMENT_DUE_DAYS = 3
    lot, _winner, _others = sold_lot(django_capture_on_commit_callbacks)

    settlement = Settlement.objects.get(lot=lot)

    closed_on = (lot.closes_at + timedelta(seconds=1)).astimezone(SHANGHAI).date()
    assert settlement.due_at.astimezone(SHANGHAI).date() == closed_on + timedelta(days=3)


def test_closing_twice_makes_one_settlement_and_applies_the_deposit_once(
    django_capture_on_commit_callbacks,
):
    lot, _winner, _others = sold_lot(django_capture_on_commit_callbacks)
    from marketplace.services.closing import lot_close

    lot_close(lot_id=lot.pk, now=lot.closes_at + timedelta(hours=1))

    assert Settlement.objects.filter(lot=lot).count() == 1
    assert Settlement.objects.get(lot=lot).receipts.count() == 1


def test_nobody_is_barred_before_a_default(django_capture_on_commit_callbacks):
    lot, winner, [underbidder] = sold_lot(django_capture_on_commit_callbacks)

    assert not lot_enterprise_is_barred(lot.pk, winner.enterprise_id)
    assert not lot_enterprise_is_barred(lot.pk, underbidder.enterprise_id)
