"""The lots of the JSON API (/api/v1/lots): the catalogue, one lot's state, its bids, bidding.

Thin, like the views: the catalogue's visibility rule and filters are
marketplace.catalogue_queries and marketplace.filters, the bid rules are
marketplace.services.bidding.bid_place. What is public here is what the lot page shows: never
the reserve price, the leader's name or anyone's maximum (only the caller's own bid).

Money is a JSON string with two decimals ("12345.00"), in and out, so no float touches it.
"""

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.http import HttpRequest, JsonResponse
from ninja import Field, Header, Path, Query, Router, Schema
from pydantic import WithJsonSchema

from api.auth import bidder_auth
from api.error_handlers import refusal_body, refusal_status, validation_response
from api.exceptions import ApiNotFoundError, ApiUnsupportedMediaTypeError
from api.services.idempotency import Reply, idempotent_reply, request_fingerprint
from innovations.choices import Category, TechnicalField
from marketplace.catalogue_queries import HIDDEN_LOT_FIELDS, card_facts, public_lots
from marketplace.choices import LotStatus, RightType
from marketplace.exceptions import (
    BidInvalidAmountError,
    BidLotNotOpenError,
    BidRateLimitedError,
    BidRefusedError,
)
from marketplace.filters import ORDERINGS, PUBLIC_STATUS_CHOICES, LotCatalogueFilter
from marketplace.models import Bid, BidderRegistration, Lot, LotInnovation
from marketplace.models.lot import RESERVE_MET
from marketplace.services import bidding

router = Router(tags=["lots"])

# Largest database id (bigint): a bigger number in a path or filter is a 422, not an overflow.
MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000
DEFAULT_LIMIT = 24
MAX_LIMIT = 100

Money = Annotated[Decimal, WithJsonSchema({"type": "string", "examples": ["12345.00"]})]
# What the schema's pattern promises, in ASCII: Python's \d and $ would also take full-width
# digits and a trailing newline, which bid_place's Decimal parsing then accepts.
AMOUNT_TEXT = re.compile(r"[0-9]{1,15}(\.[0-9]{1,2})?")

# Any JSON value is accepted so that a number gets the `invalid_amount` refusal rather than
# being read as a float; the schema says what to send.
AmountText = Annotated[
    Any,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d+(\.\d{1,2})?$",
            "description": 'Yuan as a string with at most two decimals, e.g. "12345.00".',
        }
    ),
]


def _literal(values) -> Any:
    return Literal[tuple(values)]


class Refusal(Schema):
    code: str = Field(description="Stable, machine-readable reason, e.g. below_minimum.")
    message: str = Field(description="The reason in the request's language.")


class LotListQuery(Schema):
    session: int | None = Field(None, ge=1, le=MAX_ID)
    category: _literal(Category.values) | None = None
    technical_field: _literal(TechnicalField.values) | None = None
    industry: str | None = Field(None, max_length=50, description="An industry's slug.")
    right_type: _literal(RightType.values) | None = None
    price_min: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    price_max: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    status: _literal(value for value, _label in PUBLIC_STATUS_CHOICES) | None = None
    has_granted_patent: bool | None = None
    ordering: _literal(ORDERINGS) | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def filter_data(self) -> dict[str, str]:
        """The query string LotCatalogueFilter reads, as the catalogue page would send it."""
        data = self.model_dump(exclude={"limit", "offset"}, exclude_none=True)
        return {
            name: str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in data.items()
        }


class LotSummary(Schema):
    id: int
    session: int
    number: int
    title: str
    status: str
    right_type: str
    starting_price: Money
    current_price: Money | None = Field(description="Null until the first bid.")
    bid_count: int
    closes_at: Any = Field(json_schema_extra={"type": "string", "format": "date-time"})
    categories: list[str]
    industries: list[str] = Field(description="Industry slugs.")
    has_granted_patent: bool


class LotPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[LotSummary]


class LotState(Schema):
    """Public state of a lot: what any visitor may know about the bidding."""

    id: int
    status: str
    current_price: Money | None
    minimum_bid: Money | None = Field(
        description="The lowest maximum a new bidder may bid now; null when not in bidding."
    )
    bid_count: int
    closes_at: Any = Field(json_schema_extra={"type": "string", "format": "date-time"})
    reserve_met: bool = Field(
        description="Whether the lot would be sold if it closed now (a leader whose maximum "
        "reaches the reserve, or no reserve). The reserve price itself is never shown."
    )
    leader_paddle: int | None = Field(description="The leading bidder's paddle number.")


class InnovationBrief(Schema):
    id: int
    title: str
    category: str
    technical_field: str


class LotDetail(LotState):
    session: int
    number: int
    title: str
    right_type: str
    licence_term_years: int | None
    territory: str
    starting_price: Money
    deposit_amount: Money
    withdrawn_reason: str
    innovations: list[InnovationBrief]


class PublicBid(Schema):
    sequence: int
    paddle: int
    price_after: Money
    created_at: Any = Field(json_schema_extra={"type": "string", "format": "date-time"})


class BidPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[PublicBid]


class BidPagination(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class BidIn(Schema):
    max_amount: AmountText


class OwnBid(Schema):
    lot: int
    sequence: int
    max_amount: Money = Field(description="Your maximum; only you see it.")
    price_after: Money
    leading: bool
    created_at: Any = Field(json_schema_extra={"type": "string", "format": "date-time"})


class BidPlaced(Schema):
    bid: OwnBid
    lot: LotState


REFUSALS = {status: Refusal for status in (400, 401, 403, 404, 409, 415, 422, 429)}


def _minimum_bid(lot: Lot) -> Decimal | None:
    return bidding.minimum_bid(lot) if lot.status == LotStatus.PUBLISHED else None


def _state(lot: Lot, *, reserve_met: bool, leader_paddle: int | None) -> dict:
    return {
        "id": lot.pk,
        "status": lot.status,
        "current_price": lot.current_price,
        "minimum_bid": _minimum_bid(lot),
        "bid_count": lot.bid_count,
        "closes_at": lot.closes_at,
        "reserve_met": reserve_met,
        "leader_paddle": leader_paddle,
    }


def _lots_with_state() -> QuerySet[Lot]:
    """Visible lots with "reserve met" and the leader's paddle worked out by the database, so
    the reserve price and the leader never leave it."""
    leader_paddle = BidderRegistration.objects.filter(
        session_id=OuterRef("session_id"), enterprise_id=OuterRef("leader_id")
    ).values("paddle")[:1]
    return (
        public_lots()
        .select_related("session")
        .annotate(
            reserve_met=ExpressionWrapper(RESERVE_MET, output_field=BooleanField()),
            leader_paddle=Subquery(leader_paddle),
        )
        .defer(*HIDDEN_LOT_FIELDS)
    )


def _visible_lot(lot_id: int) -> Lot:
    lot = public_lots().only("pk", "bid_count").filter(pk=lot_id).first()
    if lot is None:
        raise ApiNotFoundError()
    return lot


def _summary(lot: Lot) -> dict:
    innovations = lot.offered_innovations  # set by card_facts from the prefetched rows
    return {
        "id": lot.pk,
        "session": lot.session_id,
        "number": lot.number,
        "title": lot.title,
        "status": lot.status,
        "right_type": lot.right_type,
        "starting_price": lot.starting_price,
        "current_price": lot.current_price,
        "bid_count": lot.bid_count,
        "closes_at": lot.closes_at,
        "categories": list(dict.fromkeys(innovation.category for innovation in innovations)),
        "industries": list(
            dict.fromkeys(
                industry.slug
                for innovation in innovations
                for industry in innovation.industries.all()
            )
        ),
        "has_granted_patent": lot.has_granted_patent,
    }


@router.get("/lots", response={200: LotPage, 422: Refusal}, summary="List visible lots")
def lot_list(request: HttpRequest, query: Query[LotListQuery]):
    """The catalogue's lots and filters, soonest closing first unless `ordering` says else."""
    lot_filter = LotCatalogueFilter(query.filter_data())
    if not lot_filter.is_valid():
        return validation_response(
            [
                {"loc": ["query", name], "msg": " ".join(messages)}
                for name, messages in lot_filter.errors.items()
            ]
        )
    results = lot_filter.qs
    lots = list(results[query.offset : query.offset + query.limit])
    card_facts(lots)
    return {
        "count": results.count(),
        "limit": query.limit,
        "offset": query.offset,
        "results": [_summary(lot) for lot in lots],
    }


@router.get("/lots/{lot_id}", response={200: LotDetail, 404: Refusal}, summary="One lot's state")
def lot_detail(request: HttpRequest, lot_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    lot = (
        _lots_with_state()
        .prefetch_related(
            Prefetch("lot_innovations", queryset=LotInnovation.objects.select_related("innovation"))
        )
        .filter(pk=lot_id)
        .first()
    )
    if lot is None:
        raise ApiNotFoundError()
    return {
        **_state(lot, reserve_met=lot.reserve_met, leader_paddle=lot.leader_paddle),
        "session": lot.session_id,
        "number": lot.number,
        "title": lot.title,
        "right_type": lot.right_type,
        "licence_term_years": lot.licence_term_years,
        "territory": lot.territory,
        "starting_price": lot.starting_price,
        "deposit_amount": lot.deposit_amount,
        "withdrawn_reason": lot.withdrawn_reason,
        "innovations": [link.innovation for link in lot.lot_innovations.all()],
    }


@router.get(
    "/lots/{lot_id}/bids",
    response={200: BidPage, 404: Refusal},
    summary="A lot's public bid history",
)
def lot_bids(
    request: HttpRequest,
    lot_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    page: Query[BidPagination],
):
    """Accepted bids, newest first: paddle, price after the bid and time; never a name or a
    maximum."""
    lot = _visible_lot(lot_id)
    bids = (
        Bid.objects.filter(lot_id=lot.pk)
        .select_related("registration")
        .only("sequence", "price_after", "created_at", "registration__paddle")
        .order_by("-sequence")[page.offset : page.offset + page.limit]
    )
    return {
        # The lot row counts its bids; no COUNT over millions of rows.
        "count": lot.bid_count,
        "limit": page.limit,
        "offset": page.offset,
        "results": [
            {
                "sequence": bid.sequence,
                "paddle": bid.registration.paddle,
                "price_after": bid.price_after,
                "created_at": bid.created_at,
            }
            for bid in bids
        ],
    }


def _refused(error: BidRefusedError | ApiNotFoundError) -> Reply:
    # A rate limit is transient: not stored, so a retry with the same key is tried for real.
    return Reply(
        status=refusal_status(error),
        body=refusal_body(error),
        storable=error.code != BidRateLimitedError.code,
    )


def _placed(result: bidding.BidResult) -> Reply:
    """The 201 body, from the locked lot bid_place returns: no query here, because with an
    Idempotency-Key this runs while the lot's row lock is held."""
    lot, bid = result.lot, result.bid
    reserve_met = lot.reserve_is_met
    # The leader's paddle is known when it is the caller; otherwise _with_leader_paddle
    # looks it up after the commit.
    paddle = bid.registration.paddle if result.leading else None
    return Reply(
        status=201,
        body={
            "bid": {
                "lot": lot.pk,
                "sequence": bid.sequence,
                "max_amount": bid.max_amount,
                "price_after": bid.price_after,
                "leading": result.leading,
                "created_at": bid.created_at,
            },
            "lot": _state(lot, reserve_met=reserve_met, leader_paddle=paddle),
        },
    )


def _with_leader_paddle(body: dict) -> dict:
    """Fill in the leader's paddle of a 201 body: the bidder of the latest bid up to this one
    that left its bidder leading. Bids are append-only, so a replayed body gets the same."""
    state = body["lot"]
    if state["leader_paddle"] is None:
        state["leader_paddle"] = (
            Bid.objects.filter(
                lot_id=state["id"], sequence__lte=body["bid"]["sequence"], leading_after=True
            )
            .order_by("-sequence")
            .values_list("registration__paddle", flat=True)
            .first()
        )
    return body


def _place(*, user, lot_id: int, max_amount: Any) -> Reply:
    try:
        if not isinstance(max_amount, str) or not AMOUNT_TEXT.fullmatch(max_amount):
            raise BidInvalidAmountError()
        result = bidding.bid_place(user=user, lot_id=lot_id, max_amount=max_amount)
    except BidLotNotOpenError as error:
        # Only now ask whether the lot is visible at all: a draft is a 404, as on the site,
        # without costing an accepted bid a query.
        if not public_lots().filter(pk=lot_id).exists():
            return _refused(ApiNotFoundError())
        return _refused(error)
    except BidRefusedError as error:
        return _refused(error)
    return _placed(result)


def bid_reply(*, user, lot_id: int, max_amount: Any, idempotency_key: str | None) -> Reply:
    """The answer to a bid request; with a key, the first answer to that key (see
    api.services.idempotency). No idempotency work at all without a key."""

    def perform() -> Reply:
        return _place(user=user, lot_id=lot_id, max_amount=max_amount)

    if idempotency_key is None:
        reply = perform()
    else:
        reply = idempotent_reply(
            user=user,
            key=idempotency_key,
            fingerprint=request_fingerprint(
                operation="bid_create",
                params={"lot_id": lot_id},
                body={"max_amount": max_amount},
            ),
            perform=perform,
        )
    if reply.status == 201:
        _with_leader_paddle(reply.body)
    return reply


@router.post(
    "/lots/{lot_id}/bids",
    auth=bidder_auth,
    response={201: BidPlaced, **REFUSALS},
    summary="Bid on a lot",
)
def bid_create(
    request: HttpRequest,
    lot_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    payload: BidIn,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=255,
            description="Any unique string; a retry with the same key and body gets the first "
            "response again and places no second bid.",
        ),
    ] = None,
):
    """Place a maximum (proxy bid). 201 with your bid and the lot's state, or a refusal with
    its code: below_minimum, lot_not_open, deposit_unpaid, enterprise_unverified,
    invalid_amount, not_above_own_maximum, rate_limited (429), not_found (404),
    unsupported_media_type (415: the body must be sent as application/json)."""
    if request.content_type != "application/json":
        # ninja reads any body as JSON; a text/plain one is what a cross-site form can send.
        error = ApiUnsupportedMediaTypeError()
        return JsonResponse(
            refusal_body(error),
            status=refusal_status(error),
            json_dumps_params={"ensure_ascii": False},
        )
    reply = bid_reply(
        user=request.auth,
        lot_id=lot_id,
        max_amount=payload.max_amount,
        idempotency_key=idempotency_key,
    )
    # Sorted keys: a stored body (jsonb does not keep key order) replays byte for byte.
    return JsonResponse(
        reply.body,
        status=reply.status,
        json_dumps_params={"ensure_ascii": False, "sort_keys": True},
    )
