"""The benchmark's invariant checks: quiet on bids placed one at a time, and each one speaks up
when its invariant is broken (the broken states are made in memory: bids are append-only)."""

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.choices import Role
from bench.bidding_invariants import ClientBid, lot_violations, stored_bids
from marketplace.choices import SessionStatus
from marketplace.models import Lot
from marketplace.services.bidding import bid_place
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


@pytest.fixture
def open_lot():
    now = timezone.now()
    session = AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=2),
        bidding_start=now - timedelta(hours=1),
        first_lot_closes_at=now + timedelta(days=1),
    )
    return LotFactory(session=session, starting_price=Decimal("100000.00"))


def bidder(lot):
    enterprise = VerifiedEnterpriseFactory()
    DepositFactory(lot=lot, enterprise=enterprise)
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)


@pytest.fixture
def bid_war(open_lot):
    """alice 150,000; bob 120,000 (price 130,000); bob 200,000 (takes the lead at 160,000);
    alice 250,000 (leads again at 210,000). Increments are ¥10,000 in this band."""
    alice, bob = bidder(open_lot), bidder(open_lot)
    sent = [(alice, "150000.00"), (bob, "120000.00"), (bob, "200000.00"), (alice, "250000.00")]
    for user, amount in sent:
        bid_place(user=user, lot_id=open_lot.pk, max_amount=amount)
    lot = Lot.objects.select_related("session").get(pk=open_lot.pk)
    accepted = [ClientBid(user.pk, Decimal(amount)) for user, amount in sent]
    return lot, stored_bids([lot.pk])[lot.pk], accepted


def test_bids_placed_one_at_a_time_break_no_invariant(bid_war):
    lot, bids, accepted = bid_war

    assert [bid.price_after for bid in bids] == [
        Decimal("100000.00"),
        Decimal("130000.00"),
        Decimal("160000.00"),
        Decimal("210000.00"),
    ]
    assert lot_violations(lot, bids, accepted) == []


def test_a_201_whose_bid_is_not_stored_is_a_lost_bid(bid_war):
    lot, bids, accepted = bid_war

    problems = lot_violations(lot, bids, [*accepted, ClientBid(accepted[0].user_id, Decimal(1))])

    assert problems == ["1 bids answered 201 are not stored"]


def test_a_stored_bid_the_client_was_not_told_of_is_extra_unless_its_answer_was_lost(bid_war):
    lot, bids, accepted = bid_war

    assert lot_violations(lot, bids, accepted[:-1]) == ["1 stored bids were never answered 201"]
    assert lot_violations(lot, bids, accepted[:-1], unknown=[accepted[-1]]) == []


def test_a_bid_count_other_than_the_stored_bids_is_reported(bid_war):
    lot, bids, accepted = bid_war
    lot.bid_count = 5

    assert lot_violations(lot, bids, accepted) == ["bid_count is 5 but 4 bids are stored"]


def test_a_gap_in_the_sequence_is_reported(bid_war):
    lot, bids, accepted = bid_war
    renumbered = [*bids[:3], dataclasses.replace(bids[3], sequence=5)]

    assert "bid sequence numbers are not 1..n without gaps" in lot_violations(
        lot, renumbered, accepted
    )


def test_a_price_that_goes_down_is_reported(bid_war):
    lot, bids, accepted = bid_war
    lower = [*bids[:2], dataclasses.replace(bids[2], price_after=Decimal("125000.00")), bids[3]]

    assert "price went down from 130000.00 to 125000.00 at bid 3" in lot_violations(
        lot, lower, accepted
    )


def test_a_lot_price_other_than_the_replay_of_its_bids_is_reported(bid_war):
    lot, bids, accepted = bid_war
    # A lost update: the price of the second-to-last state left on the lot.
    lot.current_price = Decimal("160000.00")

    [problem] = lot_violations(lot, bids, accepted)

    assert problem.startswith("lot has price/leader/maximum/second maximum")
    assert "one at a time gives (Decimal('210000.00')" in problem


def test_a_leader_other_than_the_earliest_highest_maximum_is_reported(bid_war):
    lot, bids, accepted = bid_war
    alice, bob = bids[0].enterprise_id, bids[1].enterprise_id
    lot.leader_id = bob  # as if bob's 200,000 had been weighed against a stale lot

    problems = lot_violations(lot, bids, accepted)

    assert f"leader is enterprise {bob}, not {alice} whose maximum 250000.00 came first" in (
        problems
    )


def test_a_bid_flagged_leading_when_another_leads_is_reported(bid_war):
    lot, bids, accepted = bid_war
    # Two leaders at once: bob's 120,000 stored as leading while alice's 150,000 leads.
    two_leaders = [bids[0], dataclasses.replace(bids[1], leading_after=True), *bids[2:]]

    assert lot_violations(lot, two_leaders, accepted) == ["bid 2 stored the wrong leading flag"]
