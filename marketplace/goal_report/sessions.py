"""The per-session report: what one auction session offered, sold and raised.

Four aggregate queries whatever the session's size (lots with their bid counters, settlements,
bidders, deposits).

- offered: lots put before bidders (published, sold or passed; not drafts, not withdrawn);
- sold: lots with a confirmed settlement (at the hammer, to the runner-up after a default, or
  negotiated after passing) — the rule of marketplace.results_queries;
- passed: closed lots without a confirmed settlement (passed, or sold to a buyer who defaulted
  and not yet re-sold); lots still open are neither;
- sell-through: sold / (sold + passed), in percent;
- hammer total: the confirmed settlements' prices; starting-price total: the same lots'
  starting prices, and beside it the starting prices of every lot offered;
- bids: the lots' bid counters (Lot.bid_count, kept by place_bid with each bid; summing them
  spares reading millions of bids);
- bidders: distinct enterprises that bid: the session's registrations (one per enterprise)
  having a bid;
- deposits: received (ever paid), still held, applied to a price, refunded, forfeited;
- defaults: settlements of the session that defaulted, and their prices.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from marketplace.choices import DepositStatus, LotStatus
from marketplace.models import AuctionSession, Bid, BidderRegistration, Deposit, Lot, Settlement
from marketplace.models.settlement import SettlementStatus
from marketplace.money import quantize_yuan

ZERO = Decimal("0.00")
OFFERED_STATUSES = [LotStatus.PUBLISHED, LotStatus.SOLD, LotStatus.PASSED]
CLOSED_STATUSES = [LotStatus.SOLD, LotStatus.PASSED]
RECEIVED_DEPOSIT_STATUSES = [
    DepositStatus.PAID,
    DepositStatus.APPLIED,
    DepositStatus.REFUNDED,
    DepositStatus.FORFEITED,
]


@dataclass(frozen=True)
class SessionReport:
    session: AuctionSession
    lots_offered: int
    lots_open: int
    lots_sold: int
    lots_passed: int
    starting_total_offered: Decimal
    hammer_total: Decimal
    starting_total_sold: Decimal
    bidders: int
    bids: int
    deposits_received_count: int
    deposits_received: Decimal
    deposits_held: Decimal
    deposits_applied: Decimal
    deposits_refunded: Decimal
    deposits_forfeited: Decimal
    defaults: int
    defaulted_total: Decimal

    @property
    def sell_through(self) -> Decimal | None:
        """Percent of closed lots sold, to two places; None before any lot closed."""
        closed = self.lots_sold + self.lots_passed
        if closed == 0:
            return None
        return (Decimal(self.lots_sold) * 100 / closed).quantize(Decimal("0.01"))

    @property
    def hammer_over_starting(self) -> Decimal | None:
        """Hammer total as a percent of the sold lots' starting prices."""
        if self.starting_total_sold <= 0:
            return None
        return (self.hammer_total * 100 / self.starting_total_sold).quantize(Decimal("0.01"))


def _money(value) -> Decimal:
    return quantize_yuan(value or ZERO)


def session_report(session: AuctionSession) -> SessionReport:
    lots = Lot.objects.filter(session=session).aggregate(
        offered=Count("pk", filter=Q(status__in=OFFERED_STATUSES)),
        open=Count("pk", filter=Q(status=LotStatus.PUBLISHED)),
        closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES)),
        starting=Sum("starting_price", filter=Q(status__in=OFFERED_STATUSES)),
        bids=Sum("bid_count"),
    )
    bidders = (
        BidderRegistration.objects.filter(session=session)
        .filter(Exists(Bid.objects.filter(registration=OuterRef("pk"))))
        .count()
    )
    confirmed = ~Q(status=SettlementStatus.DEFAULTED)
    defaulted = Q(status=SettlementStatus.DEFAULTED)
    settlements = Settlement.objects.filter(lot__session=session).aggregate(
        sold=Count("pk", filter=confirmed),
        hammer=Sum("price", filter=confirmed),
        starting=Sum("lot__starting_price", filter=confirmed),
        defaults=Count("pk", filter=defaulted),
        defaulted=Sum("price", filter=defaulted),
    )
    deposits = Deposit.objects.filter(lot__session=session).aggregate(
        received_count=Count("pk", filter=Q(status__in=RECEIVED_DEPOSIT_STATUSES)),
        received=Sum("amount", filter=Q(status__in=RECEIVED_DEPOSIT_STATUSES)),
        held=Sum("amount", filter=Q(status=DepositStatus.PAID)),
        applied=Sum("amount", filter=Q(status=DepositStatus.APPLIED)),
        refunded=Sum("amount", filter=Q(status=DepositStatus.REFUNDED)),
        forfeited=Sum("amount", filter=Q(status=DepositStatus.FORFEITED)),
    )
    sold = settlements["sold"]
    return SessionReport(
        session=session,
        lots_offered=lots["offered"],
        lots_open=lots["open"],
        lots_sold=sold,
        lots_passed=max(lots["closed"] - sold, 0),
        starting_total_offered=_money(lots["starting"]),
        hammer_total=_money(settlements["hammer"]),
        starting_total_sold=_money(settlements["starting"]),
        bidders=bidders,
        bids=lots["bids"] or 0,
        deposits_received_count=deposits["received_count"],
        deposits_received=_money(deposits["received"]),
        deposits_held=_money(deposits["held"]),
        deposits_applied=_money(deposits["applied"]),
        deposits_refunded=_money(deposits["refunded"]),
        deposits_forfeited=_money(deposits["forfeited"]),
        defaults=settlements["defaults"],
        defaulted_total=_money(settlements["defaulted"]),
    )
