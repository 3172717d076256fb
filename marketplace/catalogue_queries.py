"""Reads for the public auction catalogue: which sessions and lots a visitor may see, and how.

The rules of visibility live here once: a draft session and everything in it is never shown;
a lot is shown when it is in the catalogue (published, sold, passed) or withdrawn with the
reason given.

Every listing is a fixed number of queries whatever its length: the session is joined, the
innovations with their patents and industries are prefetched, and the granted-patent filter
is an EXISTS subquery rather than a join, so it cannot multiply rows or interact with the
other filters.
The reserve price and the leader's maximum are deferred: they never leave the database for
these pages, and tests/marketplace/test_catalogue.py checks the rendered pages for the reserve.
"""

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from innovations.choices import PatentStatus
from innovations.models import Innovation, Patent
from marketplace.choices import LotStatus, SessionStatus
from marketplace.models import AuctionSession, Bid, Lot, LotInnovation

PUBLIC_SESSION_STATUSES = [
    SessionStatus.PUBLISHED,
    SessionStatus.OPEN,
    SessionStatus.CLOSED,
    SessionStatus.SETTLED,
]
# Never read for public pages. Deferred, so a template that reached for one would cost a query
# per lot, which the query-count tests catch, rather than quietly print it.
HIDDEN_LOT_FIELDS = ("reserve_price", "leader", "leader_max", "runner_up_max", "version")
# Long texts a card does not show, left in the database to keep the rows a page sorts narrow.
CARD_DEFERRED_FIELDS = (
    "patents_legal_status",
    "known_limitations",
    "confidentiality_terms",
    "session__description",
    "session__increment_bands",
)
# Lots still in the catalogue come first, soonest closing first; then the results (sold,
# passed, withdrawn), most recent first. The primary key breaks ties so a page boundary never
# splits or repeats a lot.
CLOSING_SOONEST = (
    F("open_closes_at").asc(nulls_last=True),
    F("closes_at").desc(),
    F("pk").asc(),
)


def public_sessions() -> QuerySet[AuctionSession]:
    """Sessions past their draft, newest bidding first, each with its number of visible lots."""
    visible_lots = (
        public_lots()
        .filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        AuctionSession.objects.filter(status__in=PUBLIC_SESSION_STATUSES)
        .annotate(lot_count=Coalesce(Subquery(visible_lots, output_field=IntegerField()), 0))
        .order_by("-bidding_start", "-pk")
    )


def current_or_next_session() -> AuctionSession | None:
    """The session the home page counts down to: the one open for bidding, else the next one in
    preview (registration open), soonest first. None between sessions."""
    return (
        AuctionSession.objects.filter(status__in=[SessionStatus.OPEN, SessionStatus.PUBLISHED])
        .order_by(
            Case(When(status=SessionStatus.OPEN, then=0), default=1),
            "bidding_start",
            "pk",
        )
        .defer("description", "increment_bands")
        .first()
    )


def public_session(pk: int) -> AuctionSession:
    try:
        return public_sessions().get(pk=pk)
    except AuctionSession.DoesNotExist:
        raise Http404 from None


def public_lots() -> QuerySet[Lot]:
    """The visibility rule alone: the catalogue, and withdrawn lots whose reason is given."""
    withdrawn_with_reason = Lot.objects.filter(status=LotStatus.WITHDRAWN).exclude(
        withdrawn_reason=""
    )
    return (Lot.objects.in_catalogue() | withdrawn_with_reason).filter(
        session__status__in=PUBLIC_SESSION_STATUSES
    )


def granted_patent_exists() -> Exists:
    """Whether any innovation offered in the outer lot has a granted patent.

    Nested EXISTS on (lot, innovation) and then on the patent's innovation: two index probes
    per lot, without joining the innovation table.
    """
    granted = Patent.objects.filter(
        innovation_id=OuterRef("innovation_id"), status=PatentStatus.GRANTED
    )
    return Exists(LotInnovation.objects.filter(lot=OuterRef("pk")).filter(Exists(granted)))


def _with_innovations(queryset: QuerySet[Lot]) -> QuerySet[Lot]:
    """The session joined; innovations in lot order, their patents and industries prefetched.

    Whether a lot has a granted patent is read from the prefetched patents (card_facts), not
    from an EXISTS in the select list: PostgreSQL would evaluate that for every row an OFFSET
    skips, which makes deep pages slow (see bench/README.md).
    """
    return (
        queryset.select_related("session")
        .defer(*HIDDEN_LOT_FIELDS)
        .prefetch_related(
            Prefetch(
                "lot_innovations",
                queryset=LotInnovation.objects.select_related("innovation").prefetch_related(
                    Prefetch("innovation__patents", queryset=Patent.objects.order_by("pk")),
                    "innovation__industries",
                ),
            )
        )
    )


def catalogue_lots() -> QuerySet[Lot]:
    """Visible lots with everything a card shows, soonest closing first.

    `display_price` is the current price, or the starting price while there is no bid; the
    price filters and the price ordering use it so a lot without bids is not left out.
    """
    return (
        _with_innovations(public_lots())
        .defer(*CARD_DEFERRED_FIELDS)
        .annotate(
            display_price=Coalesce("current_price", "starting_price"),
            open_closes_at=Case(When(status=LotStatus.PUBLISHED, then=F("closes_at"))),
        )
        .order_by(*CLOSING_SOONEST)
    )


def lot_for_detail(pk: int) -> Lot:
    """One visible lot with its innovations, their patents and industries; 404 otherwise."""
    lot = _with_innovations(public_lots()).filter(pk=pk).first()
    if lot is None:
        raise Http404
    card_facts([lot])
    return lot


def card_facts(lots) -> None:
    """Give each lot its innovations in lot order, their distinct categories and industries,
    and whether any has a granted patent.

    Works on prefetched rows only, so a page costs no more queries than its prefetches.
    """
    for lot in lots:
        innovations: list[Innovation] = [link.innovation for link in lot.lot_innovations.all()]
        lot.offered_innovations = innovations
        lot.has_granted_patent = any(
            patent.status == PatentStatus.GRANTED
            for innovation in innovations
            for patent in innovation.patents.all()
        )
        lot.category_labels = list(
            dict.fromkeys(innovation.get_category_display() for innovation in innovations)
        )
        lot.industry_names = list(
            dict.fromkeys(
                industry.name
                for innovation in innovations
                for industry in innovation.industries.all()
            )
        )


def lot_bid_history(lot: Lot, *, limit: int = 20) -> list:
    """The latest accepted bids, newest first: paddle, price after the bid and time; never the
    bidder's name or maximum."""
    return list(
        Bid.objects.filter(lot=lot)
        .select_related("registration")
        .only("sequence", "price_after", "created_at", "registration__paddle")
        .order_by("-sequence")[:limit]
    )
