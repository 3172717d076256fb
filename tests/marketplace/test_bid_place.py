"""Proxy bidding, reserve, ties, self-raise, increments, soft close and refusals
(marketplace.services.bidding.bid_place), with worked numbers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.choices import Role
from marketplace.choices import DepositStatus, LotStatus, SessionStatus
from marketplace.exceptions import (
    BidBelowMinimumError,
    BidDepositUnpaidError,
    BidEnterpriseUnverifiedError,
    BidInvalidAmountError,
    BidLotNotOpenError,
    BidNotAboveOwnMaximumError,
    BidRateLimitedError,
)
from marketplace.models import Bid
from marketplace.services.bidding import bid_place
from tests.factories.accounts import EnterpriseFactory, UserFactory
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
    """Bidding opened an hour ago; the lot closes in a day; starting price ¥100,000."""
    now = timezone.now()
    session = AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=2),
        bidding_start=now - timedelta(hours=1),
        first_lot_closes_at=now + timedelta(days=1),
    )
    return LotFactory(session=session)


def bidder(lot):
    """A member of a verified enterprise that has paid the lot's deposit."""
    enterprise = VerifiedEnterpriseFactory()
    DepositFactory(lot=lot, enterprise=enterprise)
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)


def bid(user, lot, amount, **kwargs):
    return bid_place(user=user, lot_id=lot.pk, max_amount=amount, **kwargs)


def test_the_first_bid_leads_at_the_starting_price(open_lot):
    alice = bidder(open_lot)

    result = bid(alice, open_lot, "150000.00")

    assert result.leading
    assert result.lot.current_price == Decimal("100000.00")
    assert result.lot.leader_max == Decimal("150000.00")
    assert (result.bid.sequence, result.bid.price_after) == (1, Decimal("100000.00"))


def test_a_lower_rival_pushes_the_price_to_its_maximum_plus_one_increment(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    bid(alice, open_lot, "150000.00")

    result = bid(bob, open_lot, "120000.00")

    # 120,000 is in the ¥100,000–¥1,000,000 band: increment ¥10,000 → 130,000, below 150,000.
    assert not result.leading
    assert result.lot.leader_id == alice.enterprise_id
    assert result.lot.current_price == Decimal("130000.00")


def test_a_higher_rival_takes_the_lead_at_the_old_maximum_plus_increment(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    bid(alice, open_lot, "150000.00")

    result = bid(bob, open_lot, "200000.00")

    assert result.leading
    assert result.lot.current_price == Decimal("160000.00")
    assert result.lot.runner_up_max == Decimal("150000.00")


def test_the_price_never_exceeds_the_leaders_maximum(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    bid(alice, open_lot, "150000.00")

    result = bid(bob, open_lot, "155000.00")

    # 150,000 + 10,000 would be 160,000, but bob only offered 155,000.
    assert result.lot.current_price == Decimal("155000.00")
    assert result.lot.leader_id == bob.enterprise_id


def test_equal_maximums_the_earlier_bid_leads(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    bid(alice, open_lot, "150000.00")

    result = bid(bob, open_lot, "150000.00")

    assert not result.leading
    assert result.lot.leader_id == alice.enterprise_id
    assert result.lot.current_price == Decimal("150000.00")


def test_a_leader_raising_their_maximum_does_not_move_the_price(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    bid(alice, open_lot, "150000.00")
    bid(bob, open_lot, "120000.00")

    result = bid(alice, open_lot, "300000.00")

    assert result.leading
    assert result.lot.current_price == Decimal("130000.00")
    assert result.lot.leader_max == Decimal("300000.00")


def test_a_leader_cannot_lower_or_repeat_their_maximum(open_lot):
    alice = bidder(open_lot)
    bid(alice, open_lot, "150000.00")

    with pytest.raises(BidNotAboveOwnMaximumError):
        bid(alice, open_lot, "150000.00")


def test_the_reserve_lifts_the_price_once_the_leaders_maximum_reaches_it():
    now = timezone.now()
    session = AuctionSessionFactory(
        status=SessionStatus.OPEN,
        bidding_start=now - timedelta(hours=1),
        preview_start=now - timedelta(days=1),
        first_lot_closes_at=now + timedelta(days=1),
    )
    lot = LotFactory(session=session, reserve_price=Decimal("180000.00"))
    alice = bidder(lot)

    below = bid(alice, lot, "170000.00")
    assert below.lot.current_price == Decimal("100000.00")

    reached = bid(alice, lot, "200000.00")
    assert reached.lot.current_price == Decimal("180000.00")


@pytest.mark.parametrize(
    ("current", "minimum"),
    [
        ("9500.00", "10000.00"),  # ¥500 below ¥10,000
        ("10000.00", "12000.00"),  # ¥2,000 from ¥10,000
        ("99000.00", "101000.00"),
        ("100000.00", "110000.00"),
        ("9990000.00", "10040000.00"),
        ("10000000.00", "10100000.00"),
    ],
)
def test_the_minimum_next_bid_follows_the_band_of_the_current_price(open_lot, current, minimum):
    open_lot.starting_price = Decimal("1000.00")
    open_lot.current_price = Decimal(current)
    open_lot.bid_count = 1
    open_lot.leader = EnterpriseFactory()
    open_lot.leader_max = Decimal(current)
    open_lot.save()
    bob = bidder(open_lot)

    with pytest.raises(BidBelowMinimumError) as refusal:
        bid(bob, open_lot, str(Decimal(minimum) - Decimal("0.01")))
    assert refusal.value.code == "below_minimum"
    assert bid(bob, open_lot, minimum).leading


def test_a_bid_below_the_starting_price_is_refused(open_lot):
    with pytest.raises(BidBelowMinimumError):
        bid(bidder(open_lot), open_lot, "99999.99")

    assert not Bid.objects.exists()


@pytest.mark.parametrize(
    "amount", ["0", "-5", "abc", "", "12.345", "10000000000.01", "NaN", "Infinity", 1.5, True]
)
def test_bad_amounts_are_refused(open_lot, amount):
    with pytest.raises(BidInvalidAmountError) as refusal:
        bid(bidder(open_lot), open_lot, amount)

    assert refusal.value.code == "invalid_amount"
    open_lot.refresh_from_db()
    assert open_lot.bid_count == 0


def test_a_bid_in_the_last_minutes_moves_the_closing_time(open_lot):
    now = timezone.now()
    open_lot.closes_at = now + timedelta(minutes=2)
    open_lot.save()

    result = bid(bidder(open_lot), open_lot, "100000.00", now=now)

    assert result.lot.closes_at == now + timedelta(minutes=5)


def test_a_bid_well_before_the_window_leaves_the_closing_time(open_lot):
    closes_at = open_lot.closes_at

    result = bid(bidder(open_lot), open_lot, "100000.00")

    assert result.lot.closes_at == closes_at


def test_a_bid_after_the_closing_time_is_refused_even_before_the_lot_is_closed(open_lot):
    alice = bidder(open_lot)

    with pytest.raises(BidLotNotOpenError) as refusal:
        bid(alice, open_lot, "100000.00", now=open_lot.closes_at + timedelta(seconds=1))

    assert refusal.value.code == "lot_not_open"
    open_lot.refresh_from_db()
    assert open_lot.status == LotStatus.PUBLISHED


def test_a_bid_before_bidding_opens_is_refused():
    lot = LotFactory()  # the factory's session opens bidding tomorrow

    with pytest.raises(BidLotNotOpenError):
        bid(bidder(lot), lot, "100000.00")


def test_without_a_paid_deposit_bidding_is_refused(open_lot):
    enterprise = VerifiedEnterpriseFactory()
    DepositFactory(lot=open_lot, enterprise=enterprise, status=DepositStatus.PENDING)
    member = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)

    with pytest.raises(BidDepositUnpaidError):
        bid(member, open_lot, "100000.00")


def test_an_unverified_enterprise_cannot_bid(open_lot):
    member = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=EnterpriseFactory())

    with pytest.raises(BidEnterpriseUnverifiedError):
        bid(member, open_lot, "100000.00")


def test_a_worker_without_an_enterprise_cannot_bid(open_lot, worker):
    with pytest.raises(BidEnterpriseUnverifiedError):
        bid(worker, open_lot, "100000.00")


def test_more_than_five_bids_a_second_are_refused(open_lot):
    alice = bidder(open_lot)
    now = timezone.now()
    amounts = [Decimal("100000.00") + Decimal(step) * 20000 for step in range(6)]

    for amount in amounts[:5]:
        bid(alice, open_lot, amount, now=now)
    with pytest.raises(BidRateLimitedError):
        bid(alice, open_lot, amounts[5], now=now)


def test_bidders_get_paddle_numbers_in_order_and_bids_are_numbered(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)

    first = bid(alice, open_lot, "150000.00")
    second = bid(bob, open_lot, "200000.00")

    assert (first.bid.registration.paddle, second.bid.registration.paddle) == (1, 2)
    assert [b.sequence for b in Bid.objects.filter(lot=open_lot)] == [1, 2]
    open_lot.refresh_from_db()
    assert open_lot.bid_count == 2
