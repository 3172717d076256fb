"""A closed session's public results: lots offered, sold and passed, the total and top lots."""

from decimal import Decimal

import pytest

from marketplace.choices import LotStatus, SessionStatus
from marketplace.results_queries import session_results
from tests.factories.marketplace import AuctionSessionFactory, LotFactory, sold_lot_settlement

pytestmark = pytest.mark.django_db


def test_no_results_while_the_session_is_in_preview_or_open():
    for status in (SessionStatus.PUBLISHED, SessionStatus.OPEN):
        assert session_results(AuctionSessionFactory(status=status)) is None


def test_sold_passed_defaulted_and_withdrawn_lots_add_up():
    session = AuctionSessionFactory(status=SessionStatus.CLOSED)
    for price in ("300000.00", "120000.00"):
        sold_lot_settlement(price=price, lot=LotFactory(session=session, status=LotStatus.SOLD))
    # Passed at the auction, then sold at a negotiated price: sold.
    negotiated = LotFactory(session=session, status=LotStatus.PASSED)
    sold_lot_settlement(price="80000.00", lot=negotiated, kind="negotiated")
    # The buyer defaulted and nobody has bought it since: not sold, its price not counted.
    defaulted = LotFactory(session=session, status=LotStatus.SOLD)
    sold_lot_settlement(price="999000.00", lot=defaulted, status="defaulted")
    LotFactory(session=session, status=LotStatus.PASSED)
    LotFactory(session=session, status=LotStatus.WITHDRAWN, withdrawn_reason="专利权属存在争议")
    LotFactory(session=AuctionSessionFactory(status=SessionStatus.CLOSED), status=LotStatus.SOLD)

    results = session_results(session)

    assert (results.lots_offered, results.lots_sold, results.lots_passed) == (5, 3, 2)
    assert results.total == Decimal("500000.00")
    assert [s.price for s in results.top_settlements] == [
        Decimal("300000.00"),
        Decimal("120000.00"),
        Decimal("80000.00"),
    ]


def test_the_top_lots_are_the_five_highest(django_assert_num_queries):
    session = AuctionSessionFactory(status=SessionStatus.SETTLED)
    for thousands in (10, 70, 30, 90, 50, 20, 60):
        lot = LotFactory(session=session, status=LotStatus.SOLD)
        sold_lot_settlement(price=f"{thousands}000.00", lot=lot)

    with django_assert_num_queries(3):
        results = session_results(session)
        titles = [settlement.lot.title for settlement in results.top_settlements]

    assert [s.price for s in results.top_settlements] == [
        Decimal(f"{thousands}000.00") for thousands in (90, 70, 60, 50, 30)
    ]
    assert len(titles) == 5
    assert results.total == Decimal("330000.00")
