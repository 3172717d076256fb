"""The settled (paid) figure beside the volume: money received toward the deals the volume
counts, each deal counted at most up to its price, whenever the money arrived."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from licensing.choices import AgreementOrigin, AgreementStatus, IncomeKind
from licensing.services.income import income_record
from licensing.services.income_reversals import income_reverse
from marketplace.goal_queries import deal_totals
from tests.factories.licensing import AgreementFactory
from tests.factories.marketplace import settlement_received, sold_lot_settlement

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW = {"starts_on": date(2024, 1, 1), "ends_on": date(2026, 12, 31)}


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def signed_deal(amount: str, confirmed_on=date(2026, 6, 1), **kwargs):
    return AgreementFactory(
        status=AgreementStatus.SIGNED,
        confirmed_on=confirmed_on,
        deal_amount=Decimal(amount),
        **kwargs,
    )


def receive(agreement, amount: str, reference: str, actor, received_on=date(2026, 7, 1)):
    return income_record(
        agreement=agreement,
        kind=IncomeKind.ROYALTY,
        amount=Decimal(amount),
        received_on=received_on,
        reference=reference,
        recorded_by=actor,
    )


def test_settled_counts_money_received_up_to_each_deals_price(union_staff):
    # Paid in full with a ¥5,000 premium: ¥105,000 received, its price ¥100,000 counts.
    paid = sold_lot_settlement(price="100000.00", at=shanghai(2026, 5, 20, 10), status="paid")
    settlement_received(paid, received="105000.00", premium="5000.00")
    # Only the deposit applied so far: ¥30,000 of ¥200,000.
    part_paid = sold_lot_settlement(price="200000.00", at=shanghai(2026, 5, 20, 11))
    settlement_received(part_paid, received="30000.00")
    # Defaulted: its forfeited deposit is not a payment for a deal, and it is no deal.
    defaulted = sold_lot_settlement(
        price="90000.00", at=shanghai(2026, 5, 20, 12), status="defaulted"
    )
    settlement_received(defaulted, received="9000.00")
    # Negotiated ¥300,000: ¥120,000 received, ¥50,000 recorded by mistake and reversed.
    negotiated = signed_deal("300000.00")
    receive(negotiated, "120000.00", "UP-1", union_staff)
    mistake = receive(negotiated, "50000.00", "UP-2", union_staff)
    income_reverse(income=mistake, reason="Recorded twice", actor=union_staff)
    # Negotiated ¥10,000 whose royalties reached ¥12,000: counted up to its price.
    royalties = signed_deal("10000.00")
    receive(royalties, "4000.00", "ROY-1", union_staff)
    receive(royalties, "8000.00", "ROY-2", union_staff)
    # An auction agreement's money is its sale's settlement (unpaid here), not added again.
    auctioned = sold_lot_settlement(price="130000.00", at=shanghai(2026, 5, 20, 13))
    auction_agreement = signed_deal(
        "130000.00", origin=AgreementOrigin.AUCTION, sale=auctioned.sale
    )
    receive(auction_agreement, "1000.00", "ROY-A", union_staff)

    volume, settled = deal_totals(**WINDOW)

    assert volume == Decimal("740000.00")  # 100,000 + 200,000 + 300,000 + 10,000 + 130,000
    assert settled == Decimal("260000.00")  # 100,000 + 30,000 + 120,000 + 10,000


def test_a_deal_paid_at_2359_on_the_last_day_counts_and_one_at_midnight_after_does_not(
    union_staff,
):
    inside = sold_lot_settlement(
        price="1000.00", at=shanghai(2026, 12, 31, 23, 59, 59), status="paid"
    )
    settlement_received(inside, received="1000.00")
    after = sold_lot_settlement(price="20000.00", at=shanghai(2027, 1, 1, 0, 0, 0), status="paid")
    settlement_received(after, received="20000.00")
    before = sold_lot_settlement(
        price="300000.00", at=shanghai(2023, 12, 31, 23, 59, 59), status="paid"
    )
    settlement_received(before, received="300000.00")
    # Confirmed on the last day, paid after the window: the deal is in it, so is its money.
    last_day = signed_deal("50.00", confirmed_on=date(2026, 12, 31))
    receive(last_day, "50.00", "LAST", union_staff, received_on=date(2027, 1, 5))
    next_day = signed_deal("600.00", confirmed_on=date(2027, 1, 1))
    receive(next_day, "600.00", "NEXT", union_staff)

    assert deal_totals(**WINDOW) == (Decimal("1050.00"), Decimal("1050.00"))


def test_nothing_received_is_zero_not_none():
    sold_lot_settlement(price="5000.00", at=shanghai(2025, 1, 1, 9))

    assert deal_totals(**WINDOW) == (Decimal("5000.00"), Decimal("0.00"))
