"""The public results of an auction session, once bidding has closed: lots offered, sold and
passed, the total of confirmed sales and the top lots. Three queries whatever the session's size.

A lot counts as sold when it has a confirmed sale: at the hammer, to the runner-up after a
default, or at a negotiated price after it passed. A sale whose buyer defaulted is not counted;
its lot counts again only when someone else buys it, at the price of that settlement. Every
other lot offered (not withdrawn) passed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from marketplace.catalogue_queries import public_lots
from marketplace.choices import LotStatus, SessionStatus
from marketplace.models import AuctionSession, Settlement
from marketplace.money import quantize_yuan

TOP_LOT_COUNT = 5
RESULT_STATUSES = {SessionStatus.CLOSED, SessionStatus.SETTLED}


@dataclass(frozen=True)
class SessionResults:
    lots_offered: int
    lots_sold: int
    lots_passed: int
    total: Decimal
    top_settlements: list[Settlement]


def session_results(session: AuctionSession) -> SessionResults | None:
    """The results, or None while the session has not closed (nothing to report yet)."""
    if session.status not in RESULT_STATUSES:
        return None
    offered = public_lots().filter(session=session).exclude(status=LotStatus.WITHDRAWN).count()
    confirmed = Settlement.objects.counting_toward_goal().filter(lot__session=session)
    # At most one confirmed settlement per lot (a database constraint), so these are lots.
    sales = confirmed.aggregate(count=Count("pk"), total=Sum("price"))
    sold, total = sales["count"], sales["total"] or Decimal("0.00")
    top = list(
        confirmed.select_related("lot")
        .only("price", "lot__title", "lot__number", "lot_id")
        .order_by("-price", "lot__number")[:TOP_LOT_COUNT]
    )
    return SessionResults(
        lots_offered=offered,
        lots_sold=sold,
        lots_passed=offered - sold,
        total=quantize_yuan(total),
        top_settlements=top,
    )
