"""Reads for the live lot part and the staff live monitor.

Each read is one query, shaped for an index: a lot by primary key, bids by (lot, created_at)
(migration 0007), registrations by session, lots by (session, status), settlements by lot. The
reserve price and the leader's maximum never leave the database for public pages: "reserve
met" is computed in SQL (RESERVE_MET).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from marketplace.catalogue_queries import lot_bid_history, public_lots
from marketplace.choices import LotStatus, SessionStatus
from marketplace.models import AuctionSession, Bid, BidderRegistration, Lot, Settlement
from marketplace.models.lot import RESERVE_MET
from marketplace.money import quantize_yuan
from marketplace.services.bidding import minimum_bid

# What decides which rendering of a lot's live part is current; see marketplace.live.head.
HEAD_FIELDS = (
    "version",
    "updated_at",
    "status",
    "closes_at",
    "leader_id",
    "current_price",
    "bid_count",
)
LATEST_BIDS = 20
MONITOR_MINUTES = 10
MOST_ACTIVE_LOTS = 10
ZERO = Decimal("0.00")


def lot_head_row(lot_id: int) -> dict | None:
    """The head fields of a lot the public may see, with its session's bidding start; None
    for a lot that does not exist or is not shown (the same rule as the lot page)."""
    return (
        public_lots()
        .filter(pk=lot_id)
        .values(*HEAD_FIELDS, bidding_start=F("session__bidding_start"))
        .first()
    )


@dataclass(frozen=True)
class LotLiveFacts:
    """What the public live part shows. No reserve amount and no maximum: it has no field for
    them, so a template cannot print them."""

    lot_id: int
    starting_price: Decimal
    current_price: Decimal | None
    bid_count: int
    leader_paddle: int | None
    reserve_met: bool
    closes_at: datetime
    extended: bool
    minimum_bid: Decimal
    bids: list


def lot_live_facts(lot_id: int) -> LotLiveFacts:
    """Two queries: the lot with its leader's paddle and whether the reserve is met, then the
    latest bids by paddle."""
    leader_paddle = BidderRegistration.objects.filter(
        session=OuterRef("session"), enterprise=OuterRef("leader")
    ).values("paddle")[:1]
    lot = (
        Lot.objects.select_related("session")
        .only(
            "starting_price",
            "current_price",
            "bid_count",
            "closes_at",
            "scheduled_close_at",
            "session__increment_bands",
        )
        .annotate(
            leader_paddle=Subquery(leader_paddle, output_field=IntegerField()),
            reserve_met=ExpressionWrapper(RESERVE_MET, output_field=BooleanField()),
        )
        .get(pk=lot_id)
    )
    return LotLiveFacts(
        lot_id=lot.pk,
        starting_price=lot.starting_price,
        current_price=lot.current_price,
        bid_count=lot.bid_count,
        leader_paddle=lot.leader_paddle,
        reserve_met=bool(lot.reserve_met),
        closes_at=lot.closes_at,
        extended=lot.closes_at > lot.scheduled_close_at,
        minimum_bid=minimum_bid(lot),
        bids=lot_bid_history(lot, limit=LATEST_BIDS),
    )


def enterprise_maximum(*, lot_id: int, enterprise_id: int) -> Decimal | None:
    """The enterprise's highest maximum on the lot, None if it has not bid."""
    return Bid.objects.filter(lot_id=lot_id, registration__enterprise_id=enterprise_id).aggregate(
        maximum=Max("max_amount")
    )["maximum"]


# --- the staff live monitor --------------------------------------------------------------------


def monitor_sessions() -> QuerySet[AuctionSession]:
    """Sessions the monitor can show: every one past its draft, latest bidding first."""
    return AuctionSession.objects.exclude(status=SessionStatus.DRAFT).order_by(
        "-bidding_start", "-pk"
    )


def session_open_now(now: datetime) -> AuctionSession | None:
    """The session whose bidding is under way (the latest to start if several), else the latest
    one past its draft."""
    sessions = monitor_sessions()
    under_way = sessions.filter(
        status__in=[SessionStatus.PUBLISHED, SessionStatus.OPEN], bidding_start__lte=now
    ).first()
    return under_way or sessions.first()


@dataclass(frozen=True)
class SessionPulse:
    """The monitor's figures for one session at `now`."""

    session: AuctionSession
    now: datetime
    lots_open: int
    lots_awaiting_result: int
    lots_sold: int
    lots_passed: int
    bids_last_minute: int
    # Bids in each of the last MONITOR_MINUTES minutes, the latest minute first.
    bids_per_minute: list[int]
    sold_total: Decimal
    provisional_total: Decimal
    # The session's deals counting toward the goal: settlements of lots closed sold (or sold
    # after passing) whose buyer has not defaulted. Open lots add nothing until they close.
    confirmed_total: Decimal
    bidders: int
    most_active_lots: list[Lot]

    @property
    def lots_closed(self) -> int:
        return self.lots_awaiting_result + self.lots_sold + self.lots_passed

    @property
    def running_total(self) -> Decimal:
        return self.sold_total + self.provisional_total


def _lot_figures(session: AuctionSession, now: datetime) -> dict:
    """One aggregate over the session's lots (index on session, status)."""
    published = Q(status=LotStatus.PUBLISHED)
    return Lot.objects.filter(session=session).aggregate(
        lots_open=Count("pk", filter=published & Q(closes_at__gt=now)),
        lots_awaiting_result=Count("pk", filter=published & Q(closes_at__lte=now)),
        lots_sold=Count("pk", filter=Q(status=LotStatus.SOLD)),
        lots_passed=Count("pk", filter=Q(status=LotStatus.PASSED)),
        sold_total=Coalesce(Sum("sale__hammer_price", filter=Q(status=LotStatus.SOLD)), ZERO),
        # A lot still published whose reserve is met will sell at least at its current price.
        provisional_total=Coalesce(Sum("current_price", filter=published & RESERVE_MET), ZERO),
    )


def _bids_per_minute(session: AuctionSession, now: datetime) -> list[int]:
    """One query: a conditional count per minute over the bids of the last minutes, read by
    (lot, created_at) for the session's lots."""
    minute = timedelta(minutes=1)
    buckets = {
        f"m{index}": Count(
            "pk",
            filter=Q(
                created_at__gt=now - (index + 1) * minute, created_at__lte=now - index * minute
            ),
        )
        for index in range(MONITOR_MINUTES)
    }
    counts = Bid.objects.filter(
        lot__session=session,
        created_at__gt=now - MONITOR_MINUTES * minute,
        created_at__lte=now,
    ).aggregate(**buckets)
    return [counts[f"m{index}"] for index in range(MONITOR_MINUTES)]


def _confirmed_total(session: AuctionSession) -> Decimal:
    """One aggregate: the same confirmed deals the goal's volume sums, for this session only. A
    sold lot's Sale stays when its buyer defaults, so the hammer total is not this figure."""
    total = (
        Settlement.objects.counting_toward_goal()
        .filter(lot__session=session)
        .aggregate(total=Sum("price"))["total"]
    )
    return quantize_yuan(Decimal(total or ZERO))


def _bidder_count(session: AuctionSession) -> int:
    """Enterprises that have placed at least one bid in the session."""
    has_bid = Exists(Bid.objects.filter(registration=OuterRef("pk")))
    return BidderRegistration.objects.filter(session=session).filter(has_bid).count()


def _most_active_lots(session: AuctionSession, now: datetime) -> list[Lot]:
    """The lots with the most bids in the last minutes, then the most bids in all; each count
    is an index range on (lot, created_at)."""
    recent = (
        Bid.objects.filter(
            lot=OuterRef("pk"),
            created_at__gt=now - timedelta(minutes=MONITOR_MINUTES),
            created_at__lte=now,
        )
        .order_by()
        .values("lot")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return list(
        Lot.objects.filter(session=session)
        .exclude(status=LotStatus.DRAFT)
        .only("number", "title", "status", "current_price", "bid_count", "closes_at")
        .annotate(recent_bids=Coalesce(Subquery(recent, output_field=IntegerField()), 0))
        .order_by("-recent_bids", "-bid_count", "number")[:MOST_ACTIVE_LOTS]
    )


def session_pulse(session: AuctionSession, *, now: datetime) -> SessionPulse:
    """The monitor's figures: five queries whatever the number of lots and bids."""
    per_minute = _bids_per_minute(session, now)
    return SessionPulse(
        session=session,
        now=now,
        bids_last_minute=per_minute[0],
        bids_per_minute=per_minute,
        bidders=_bidder_count(session),
        most_active_lots=_most_active_lots(session, now),
        confirmed_total=_confirmed_total(session),
        **_lot_figures(session, now),
    )
