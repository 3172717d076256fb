"""Many bidders at once on one lot: the result equals the accepted bids processed one at a time
in commit order (PostgreSQL row lock). Real threads, real connections."""

import contextlib
import random
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.choices import Role
from marketplace.choices import SessionStatus
from marketplace.exceptions import BidBelowMinimumError, BidRefusedError
from marketplace.models import Bid, Lot
from marketplace.services import bidding
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers and select_for_update() is a no-op there, so a "
        "race cannot happen; run with DATABASE_URL=postgres://… to test the row lock.",
    ),
    # Flush only the marketplace tables afterwards (Wagtail's pages must survive); the rows
    # this test makes in other apps are deleted by committed_rows_cleanup.
    pytest.mark.django_db(transaction=True, available_apps=["marketplace"]),
]

BIDDERS = 16
BIDS_EACH = 12


@pytest.fixture
def crowded_lot(monkeypatch, committed_rows_cleanup):
    monkeypatch.setattr(bidding, "RATE_LIMIT_BIDS", 10**6)
    now = timezone.now()
    session = AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=2),
        bidding_start=now - timedelta(hours=1),
        first_lot_closes_at=now + timedelta(days=1),
    )
    lot = LotFactory(session=session, starting_price=Decimal("10000.00"))
    users = []
    for _ in range(BIDDERS):
        enterprise = VerifiedEnterpriseFactory()
        DepositFactory(lot=lot, enterprise=enterprise)
        users.append(UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise))
    yield lot, users


def bid_repeatedly(user, lot_id, seed, errors):
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    try:
        for _ in range(BIDS_EACH):
            amount = Decimal(rng.randrange(10_000, 400_000, 500))
            # Refused when below the minimum by the time it got the lock, or not above its
            # own maximum: both are expected under a crowd.
            with contextlib.suppress(BidRefusedError):
                bidding.bid_place(user=user, lot_id=lot_id, max_amount=amount)
    except Exception as error:  # noqa: BLE001 - reported to the main thread
        errors.append(error)
    finally:
        connection.close()


def replay(lot: Lot, bids: list[Bid]) -> bidding.LotPrice:
    """Process the stored bids one at a time, in sequence order, on an in-memory copy."""
    copy = Lot.objects.select_related("session").get(pk=lot.pk)
    copy.leader_id = copy.leader_max = copy.runner_up_max = copy.current_price = None
    state = None
    for stored in bids:
        state = bidding.resolve_bid(
            copy, bidder_id=stored.registration.enterprise_id, max_amount=stored.max_amount
        )
        copy.leader_id, copy.leader_max = state.leader_id, state.leader_max
        copy.runner_up_max, copy.current_price = state.runner_up_max, state.current_price
        assert stored.price_after == state.current_price, stored.sequence
    return state


def test_sixteen_concurrent_bidders_leave_a_consistent_lot(crowded_lot):
    lot, users = crowded_lot
    errors: list[Exception] = []
    threads = [
        threading.Thread(target=bid_repeatedly, args=(user, lot.pk, seed, errors))
        for seed, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    lot.refresh_from_db()
    bids = list(Bid.objects.filter(lot=lot).select_related("registration").order_by("sequence"))
    assert bids, "no bid was accepted"
    # No lost bid: the count on the lot is the number of stored bids, numbered 1..n.
    assert lot.bid_count == len(bids)
    assert [b.sequence for b in bids] == list(range(1, len(bids) + 1))
    # The price never goes down.
    prices = [b.price_after for b in bids]
    assert prices == sorted(prices)
    # The same outcome as processing the accepted bids one at a time in commit order.
    final = replay(lot, bids)
    assert (lot.current_price, lot.leader_id, lot.leader_max, lot.runner_up_max) == (
        final.current_price,
        final.leader_id,
        final.leader_max,
        final.runner_up_max,
    )
    # One leader: the highest maximum, the earliest among equals.
    top = max(b.max_amount for b in bids)
    first_top = next(b for b in bids if b.max_amount == top)
    assert lot.leader_id == first_top.registration.enterprise_id


def test_a_bid_below_the_minimum_is_refused_without_waiting_for_the_lot_lock(crowded_lot):
    """Most bids on a contested lot are already too low; they must not queue for the lock.

    Another transaction holds the lot's row lock; with a lock timeout on this connection, a
    bid that waited for the lock would fail with a lock-timeout error instead of the refusal.
    """
    lot, users = crowded_lot
    bidding.bid_place(user=users[0], lot_id=lot.pk, max_amount="20000.00")
    holding, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                Lot.objects.select_for_update().get(pk=lot.pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert holding.wait(10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        with pytest.raises(BidBelowMinimumError):
            bidding.bid_place(user=users[1], lot_id=lot.pk, max_amount="10000.00")
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
