"""The per-session report on a worked example.

Session S:
- L1 start ¥100,000, sold at ¥150,000 (paid);
- L2 start ¥50,000, sold at ¥80,000 to a buyer who defaulted (a default; counts as unsold);
- L3 start ¥20,000, passed;
- L4 start ¥30,000, passed, then sold at a negotiated ¥25,000;
- L5 start ¥40,000, withdrawn (not offered);
- L6 start ¥10,000, still open.
Offered 5, open 1, sold 2, passed 2, sell-through 50.00%; hammer ¥175,000 over starting
prices ¥130,000 (134.62%); starting prices offered ¥210,000. Bids: enterprise P 2 on L1 and 1
on L3, Q 1 on L1 (4 bids, 2 bidders). Deposits: applied ¥10,000, refunded ¥10,000, forfeited
¥5,000, held ¥1,000, one pending (not received): 4 received, ¥26,000.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.choices import DepositStatus, LotStatus
from marketplace.goal_report.sessions import session_report
from marketplace.models import Bid, BidderRegistration, Lot
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
    sold_lot_settlement,
)

pytestmark = pytest.mark.django_db


def bid(lot, registration, sequence, amount):
    # The lot's counter moves with each bid, as place_bid keeps it: the report sums counters.
    Lot.objects.filter(pk=lot.pk).update(bid_count=sequence)
    return Bid.objects.create(
        lot=lot,
        sequence=sequence,
        registration=registration,
        user=UserFactory(),
        max_amount=Decimal(amount),
        price_after=Decimal(amount),
        leading_after=True,
        created_at=timezone.now(),
    )


@pytest.fixture
def session():
    session = AuctionSessionFactory()
    other = AuctionSessionFactory()

    def lot(number, start, status):
        return LotFactory(
            session=session,
            number=number,
            starting_price=Decimal(start),
            status=status,
            deposit_amount=Decimal("1000.00"),
        )

    l1 = lot(1, "100000.00", LotStatus.SOLD)
    l2 = lot(2, "50000.00", LotStatus.SOLD)
    l3 = lot(3, "20000.00", LotStatus.PASSED)
    l4 = lot(4, "30000.00", LotStatus.PASSED)
    lot(5, "40000.00", LotStatus.WITHDRAWN)
    l6 = lot(6, "10000.00", LotStatus.PUBLISHED)
    sold_lot_settlement(price="150000.00", lot=l1, status="paid")
    sold_lot_settlement(price="80000.00", lot=l2, status="defaulted")
    sold_lot_settlement(price="25000.00", lot=l4, kind="negotiated")
    # Another session's sale and bids stay out.
    sold_lot_settlement(price="999999.00", lot=LotFactory(session=other, status=LotStatus.SOLD))

    p, q = VerifiedEnterpriseFactory(), VerifiedEnterpriseFactory()
    paddle_p = BidderRegistration.objects.create(session=session, enterprise=p, paddle=1)
    paddle_q = BidderRegistration.objects.create(session=session, enterprise=q, paddle=2)
    bid(l1, paddle_p, 1, "100000.00")
    bid(l1, paddle_q, 2, "120000.00")
    bid(l1, paddle_p, 3, "150000.00")
    bid(l3, paddle_p, 1, "20000.00")

    DepositFactory(lot=l1, enterprise=p, amount="10000.00", status=DepositStatus.APPLIED)
    DepositFactory(lot=l1, enterprise=q, amount="10000.00", status=DepositStatus.REFUNDED)
    DepositFactory(lot=l2, amount="5000.00", status=DepositStatus.FORFEITED)
    DepositFactory(lot=l6, amount="1000.00", status=DepositStatus.PAID)
    DepositFactory(lot=l6, amount="1000.00", status=DepositStatus.PENDING)
    return session


def test_the_per_session_figures_of_the_worked_example(session, django_assert_num_queries):
    with django_assert_num_queries(4):
        report = session_report(session)

    assert (report.lots_offered, report.lots_open) == (5, 1)
    assert (report.lots_sold, report.lots_passed) == (2, 2)
    assert report.sell_through == Decimal("50.00")
    assert report.hammer_total == Decimal("175000.00")
    assert report.starting_total_sold == Decimal("130000.00")
    assert report.hammer_over_starting == Decimal("134.62")
    assert report.starting_total_offered == Decimal("210000.00")
    assert (report.bidders, report.bids) == (2, 4)
    assert report.deposits_received_count == 4
    assert report.deposits_received == Decimal("26000.00")
    assert report.deposits_held == Decimal("1000.00")
    assert report.deposits_applied == Decimal("10000.00")
    assert report.deposits_refunded == Decimal("10000.00")
    assert report.deposits_forfeited == Decimal("5000.00")
    assert (report.defaults, report.defaulted_total) == (1, Decimal("80000.00"))


def test_a_session_before_any_lot_closes_has_no_sell_through():
    session = AuctionSessionFactory()
    LotFactory(session=session)

    report = session_report(session)

    assert (report.lots_offered, report.lots_sold, report.lots_passed) == (1, 0, 0)
    assert report.sell_through is None
    assert report.hammer_over_starting is None
    assert report.hammer_total == Decimal("0.00")
