"""The settlement demo (marketplace.demo_settlement.seed_settlement): a closed earlier-season
session with a paid sale, a negotiated deal part-paid by bank, refunded deposits; run twice,
it adds nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from marketplace.choices import SessionStatus
from marketplace.demo_settlement import NEGOTIATED_TITLE, SOLD_TITLE, seed_settlement
from marketplace.models import DepositRefund, LedgerEntry, Settlement
from marketplace.models.settlement import RefundStatus, SettlementKind, SettlementStatus

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Settlement.objects.count(), DepositRefund.objects.count(), LedgerEntry.objects.count()


def test_the_demo_has_settled_sales_and_running_it_again_adds_nothing(settings):
    settings.DEBUG = True
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    call_command("seed_demo", stdout=StringIO())

    seed_settlement()
    first = counts()
    seed_settlement()

    assert counts() == first
    sold = Settlement.objects.get(lot__lot_innovations__innovation__title=SOLD_TITLE)
    assert sold.lot.session.status == SessionStatus.CLOSED
    assert (sold.kind, sold.status) == (SettlementKind.AUCTION, SettlementStatus.PAID)
    # 230,000 against 260,000: 230,000 + 10,000; 2% premium.
    assert (sold.price, sold.amount_due) == (Decimal("240000.00"), Decimal("244800.00"))
    negotiated = Settlement.objects.get(lot__lot_innovations__innovation__title=NEGOTIATED_TITLE)
    assert negotiated.kind == SettlementKind.NEGOTIATED
    assert negotiated.amount_received == Decimal("100000.00")
    assert negotiated.status == SettlementStatus.AWAITING_PAYMENT
    refunds = DepositRefund.objects.filter(deposit__lot__session=sold.lot.session)
    assert refunds.count() == 3
    assert set(refunds.values_list("status", flat=True)) == {RefundStatus.SUCCEEDED}
    assert sum(LedgerEntry.objects.values_list("amount_fen", flat=True)) == 0
