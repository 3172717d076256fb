"""Placing a bid: proxy bidding, reserve, soft close — the one place these rules live.

A bid is a maximum. The visible price is the lowest amount that makes the highest maximum
win: min(highest maximum, second-highest maximum + its increment), never below the starting
price, and raised to the reserve once the leader's maximum reaches it. Equal maximums: the
earlier bid leads. A leader may raise their own maximum; the price moves only if the reserve
requires it.

Concurrency: the lot row is locked (SELECT … FOR UPDATE) for a few statements — read, one
UPDATE, one INSERT — so accepted bids are processed one at a time in commit order. Everything
else (paddle numbers, deposit check, rate limit) happens before the lock, and notifications
after commit. See ../shared/RECIPES.md "Bidding under load".
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Enterprise, User
from marketplace.bid_queries import lot_for_bid, lot_lock_for_bid
from marketplace.choices import LotStatus, SessionStatus
from marketplace.exceptions import (
    BidBelowMinimumError,
    BidDepositUnpaidError,
    BidEnterpriseUnverifiedError,
    BidInvalidAmountError,
    BidLotNotOpenError,
    BidNotAboveOwnMaximumError,
    BidRateLimitedError,
    BidRefusedError,
)
from marketplace.live.head import lot_live_announce
from marketplace.locks import lock_session
from marketplace.models import AuctionSession, Bid, BidderRegistration, Lot
from marketplace.money import quantize_yuan
from marketplace.services.auctions import increment_for
from marketplace.services.bid_notifications import bid_outbid_notify

# One structured record per refused bid (see _log_refusal).
bids_logger = logging.getLogger("wie.bids")

MAX_BID = Decimal("10000000000.00")
# Per bidder (user), shared by every app server through the cache.
RATE_LIMIT_BIDS = 5
RATE_LIMIT_SECONDS = 1


@dataclass(frozen=True)
class LotPrice:
    """The proxy-bidding state of a lot: who leads, with what maximum, at what price."""

    current_price: Decimal | None
    leader_id: int | None
    leader_max: Decimal | None
    runner_up_max: Decimal | None


def parse_bid_amount(raw) -> Decimal:
    """Yuan with at most two decimal places, above zero, at most ¥10,000,000,000."""
    if isinstance(raw, (float, bool)):
        raise BidInvalidAmountError()
    try:
        amount = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise BidInvalidAmountError() from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_BID:
        raise BidInvalidAmountError()
    if quantize_yuan(amount) != amount:
        raise BidInvalidAmountError()
    return quantize_yuan(amount)


def minimum_bid(lot: Lot) -> Decimal:
    """The lowest new maximum accepted: the start, or the current price plus its increment."""
    if not lot.bid_count or lot.current_price is None:
        return lot.starting_price
    return lot.current_price + increment_for(lot.session.increment_bands, lot.current_price)


def visible_price(
    *,
    starting_price: Decimal,
    reserve_price: Decimal | None,
    leader_max: Decimal,
    runner_up_max: Decimal | None,
    bands: list,
) -> Decimal:
    if runner_up_max is None:
        price = starting_price
    else:
        price = min(leader_max, runner_up_max + increment_for(bands, runner_up_max))
    price = max(price, starting_price)
    if reserve_price is not None and leader_max >= reserve_price:
        price = max(price, reserve_price)
    return price


def resolve_bid(lot: Lot, *, bidder_id: int, max_amount: Decimal) -> LotPrice:
    """The lot's new state after `bidder_id` bids `max_amount` (already checked as acceptable)."""
    bands = lot.session.increment_bands
    leader_id, leader_max, runner_up_max = lot.leader_id, lot.leader_max, lot.runner_up_max
    if leader_id is None:
        leader_id, leader_max = bidder_id, max_amount
    elif bidder_id == leader_id:
        leader_max = max_amount
    elif max_amount > leader_max:
        # The new bid beats the leader's maximum; the old leader's maximum is now second.
        runner_up_max = leader_max
        leader_id, leader_max = bidder_id, max_amount
    else:
        # Equal or lower: the earlier bid keeps the lead.
        runner_up_max = max(runner_up_max or max_amount, max_amount)
    price = visible_price(
        starting_price=lot.starting_price,
        reserve_price=lot.reserve_price,
        leader_max=leader_max,
        runner_up_max=runner_up_max,
        bands=bands,
    )
    return LotPrice(
        current_price=price,
        leader_id=leader_id,
        leader_max=leader_max,
        runner_up_max=runner_up_max,
    )


def _rate_limit(user: User, now: datetime) -> None:
    # The bid's own clock, so a caller that fixes `now` (the tests) gets one window.
    key = f"bid-rate:{user.pk}:{int(now.timestamp()) // RATE_LIMIT_SECONDS}"
    cache.add(key, 0, timeout=RATE_LIMIT_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    if count > RATE_LIMIT_BIDS:
        raise BidRateLimitedError()


def _bidding_enterprise(user: User) -> Enterprise:
    enterprise = getattr(user, "enterprise", None)
    if enterprise is None or not enterprise.is_verified:
        raise BidEnterpriseUnverifiedError()
    return enterprise


def registration_for(*, session: AuctionSession, enterprise: Enterprise) -> BidderRegistration:
    """The enterprise's paddle in the session, numbered 1, 2, 3… on first need.

    A new paddle is numbered under the session's row lock, so enterprises making their first
    bid at the same moment queue for a number instead of colliding on one.
    """
    existing = BidderRegistration.objects.filter(session=session, enterprise=enterprise).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        lock_session(session)
        existing = BidderRegistration.objects.filter(session=session, enterprise=enterprise).first()
        if existing is not None:
            return existing
        paddle = (session.registrations.aggregate(last=Max("paddle"))["last"] or 0) + 1
        return BidderRegistration.objects.create(
            session=session, enterprise=enterprise, paddle=paddle
        )


def _check_open(lot: Lot, now: datetime) -> None:
    session = lot.session
    if (
        lot.status != LotStatus.PUBLISHED
        or session.status not in (SessionStatus.PUBLISHED, SessionStatus.OPEN)
        or now < session.bidding_start
        or now >= lot.closes_at
    ):
        raise BidLotNotOpenError()


@dataclass(frozen=True)
class BidResult:
    bid: Bid
    lot: Lot
    leading: bool


def _check_amount(lot: Lot, *, enterprise_id: int, amount: Decimal) -> None:
    """The leader must raise their own maximum; anyone else must bid at least the minimum."""
    if lot.leader_id == enterprise_id:
        if amount <= lot.leader_max:
            raise BidNotAboveOwnMaximumError(maximum=f"¥{lot.leader_max:,.2f}")
    else:
        minimum = minimum_bid(lot)
        if amount < minimum:
            raise BidBelowMinimumError(minimum=f"¥{minimum:,.2f}")


def bid_place(*, user: User, lot_id: int, max_amount, now: datetime | None = None) -> BidResult:
    """Accept a bid of `max_amount` (a maximum) on lot `lot_id` for the user's enterprise.

    Preconditions (each refusal is a BidRefusedError with a stable code): a verified
    enterprise, a paid deposit for the lot, the lot open (after bidding starts, before its
    closing time — checked under the lock, so a bid after closing is refused even if the
    closing task has not run), the amount valid and at least the minimum, at most 5 bids a
    second per user.
    Side effects: one UPDATE of the lot (price, leader, maxima, count, closing time, version)
    and one INSERT of the bid, in one transaction holding the lot's row lock.

    Speed (see bench/README.md): two short queries before the lock (marketplace.bid_queries);
    under it, the lock, one UPDATE and one INSERT, with nothing else in between. A bid
    already too low for the committed state read before the lock is refused without waiting
    for the lock: the price never goes down, so it would be refused under the lock too, and
    on a contested lot most are.

    Every refusal is logged to "wie.bids" (_log_refusal) and re-raised.
    """
    try:
        return _bid_place(user=user, lot_id=lot_id, max_amount=max_amount, now=now)
    except BidRefusedError as error:
        _log_refusal(error, user=user, lot_id=lot_id, max_amount=max_amount)
        raise


def _log_refusal(error: BidRefusedError, *, user: User, lot_id: int, max_amount) -> None:
    """One record per refused bid: the reason's code and ids, never a name.

    Logged at once, not after commit: a refusal writes nothing, so there is nothing to wait
    for. An amount that could not be read is left out rather than logged as typed.
    """
    try:
        amount = str(parse_bid_amount(max_amount))
    except BidRefusedError:
        amount = None
    bids_logger.info(
        "Bid refused on lot %s: %s.",
        lot_id,
        error.code,
        extra={
            "event": "bid_refused",
            "reason": error.code,
            "lot_id": lot_id,
            "enterprise_id": getattr(user, "enterprise_id", None),
            "user_id": user.pk,
            "amount": amount,
        },
    )


def _bid_place(*, user: User, lot_id: int, max_amount, now: datetime | None) -> BidResult:
    amount = parse_bid_amount(max_amount)
    enterprise = _bidding_enterprise(user)
    _rate_limit(user, now or timezone.now())
    lot = lot_for_bid(lot_id, enterprise.pk)
    if lot is None:
        raise BidLotNotOpenError()
    _check_open(lot, now or timezone.now())
    if not lot.deposit_paid:
        raise BidDepositUnpaidError()
    _check_amount(lot, enterprise_id=enterprise.pk, amount=amount)
    if lot.registration_id is None:
        registration = registration_for(session=lot.session, enterprise=enterprise)
    else:
        registration = BidderRegistration(
            pk=lot.registration_id,
            session_id=lot.session_id,
            enterprise_id=enterprise.pk,
            paddle=lot.paddle,
        )

    with transaction.atomic():
        locked = lot_lock_for_bid(lot_id)
        # The session's status and times were read just before; staff cannot change its
        # bands or window once bidding has opened.
        locked.session = lot.session
        now = now or timezone.now()
        _check_open(locked, now)
        _check_amount(locked, enterprise_id=enterprise.pk, amount=amount)
        previous_leader_id = locked.leader_id
        state = resolve_bid(locked, bidder_id=enterprise.pk, max_amount=amount)
        locked.current_price = state.current_price
        locked.leader_id = state.leader_id
        locked.leader_max = state.leader_max
        locked.runner_up_max = state.runner_up_max
        locked.bid_count += 1
        locked.version += 1
        locked.updated_at = now
        # Soft close: a bid inside the window moves the closing time to now + window.
        window = locked.session.soft_close_window
        if locked.closes_at - now < window:
            locked.closes_at = now + window
        # update() and bulk_create(): one statement each, without save()'s signals, which
        # would run inside the lock.
        Lot.objects.filter(pk=locked.pk).update(
            current_price=locked.current_price,
            leader_id=locked.leader_id,
            leader_max=locked.leader_max,
            runner_up_max=locked.runner_up_max,
            bid_count=locked.bid_count,
            version=locked.version,
            closes_at=locked.closes_at,
            updated_at=now,
        )
        [bid] = Bid.objects.bulk_create(
            [
                Bid(
                    lot=locked,
                    sequence=locked.bid_count,
                    registration=registration,
                    user=user,
                    max_amount=amount,
                    price_after=state.current_price,
                    leading_after=state.leader_id == enterprise.pk,
                    created_at=now,
                )
            ]
        )
        # Lambdas, not functools.partial: a robust on_commit logs a failing callback by its
        # __qualname__, which a partial lacks.
        transaction.on_commit(lambda: lot_live_announce(lot=locked), robust=True)
        if previous_leader_id not in (None, state.leader_id):
            transaction.on_commit(
                lambda: bid_outbid_notify(lot_id=locked.pk, enterprise_id=previous_leader_id),
                robust=True,
            )
    return BidResult(bid=bid, lot=locked, leading=state.leader_id == enterprise.pk)
