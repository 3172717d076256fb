"""What must hold after any number of concurrent bids, checked from the database.

For each lot: every bid the client saw accepted (201) is stored and nothing else is; the lot's
bid count equals its stored bids, numbered 1..n without gaps; the price never goes down along
the sequence; and replaying the stored bids one at a time through the bidding service's own
`resolve_bid` gives every stored price and leading flag, and the lot's final price, leader and
maxima — so there is exactly one leader, the earliest of the highest maximums.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from marketplace.models import Bid, Lot
from marketplace.services.bidding import resolve_bid


@dataclass(frozen=True)
class StoredBid:
    sequence: int
    enterprise_id: int
    user_id: int
    max_amount: Decimal
    price_after: Decimal
    leading_after: bool


@dataclass(frozen=True)
class ClientBid:
    """A bid as the client knows it: who sent which maximum (accepted, or outcome unknown)."""

    user_id: int
    max_amount: Decimal


def stored_bids(lot_ids: Iterable[int]) -> dict[int, list[StoredBid]]:
    """The stored bids of each lot, in sequence order."""
    bids: dict[int, list[StoredBid]] = {lot_id: [] for lot_id in lot_ids}
    rows = (
        Bid.objects.filter(lot_id__in=list(bids))
        .order_by("lot_id", "sequence")
        .values_list(
            "lot_id",
            "sequence",
            "registration__enterprise_id",
            "user_id",
            "max_amount",
            "price_after",
            "leading_after",
        )
    )
    for lot_id, *fields in rows.iterator(chunk_size=5000):
        bids[lot_id].append(StoredBid(*fields))
    return bids


def lot_violations(
    lot: Lot,
    bids: list[StoredBid],
    accepted: list[ClientBid],
    unknown: list[ClientBid] = (),
) -> list[str]:
    """Every broken invariant of one lot, each as a sentence; empty when all hold.

    `lot` is the row as stored, with its session; `bids` its stored bids in sequence order;
    `accepted` the bids the client was answered 201 for; `unknown` those it never got an
    answer for (they may or may not be stored).
    """
    problems = []
    problems += _lost_or_extra(bids, accepted, unknown)
    if lot.bid_count != len(bids):
        problems.append(f"bid_count is {lot.bid_count} but {len(bids)} bids are stored")
    sequences = [bid.sequence for bid in bids]
    if sequences != list(range(1, len(bids) + 1)):
        problems.append("bid sequence numbers are not 1..n without gaps")
    for before, after in zip(bids, bids[1:], strict=False):
        if after.price_after < before.price_after:
            problems.append(
                f"price went down from {before.price_after} to {after.price_after} "
                f"at bid {after.sequence}"
            )
    problems += _replay_mismatches(lot, bids)
    return problems


def _lost_or_extra(
    bids: list[StoredBid], accepted: list[ClientBid], unknown: Iterable[ClientBid]
) -> list[str]:
    stored = Counter(ClientBid(bid.user_id, bid.max_amount) for bid in bids)
    answered = Counter(accepted)
    problems = []
    lost = answered - stored
    if lost:
        problems.append(f"{lost.total()} bids answered 201 are not stored")
    extra = stored - answered - Counter(unknown)
    if extra:
        problems.append(f"{extra.total()} stored bids were never answered 201")
    return problems


def _replay_mismatches(lot: Lot, bids: list[StoredBid]) -> list[str]:
    """Process the stored bids one at a time, in sequence order, on an unsaved copy of the lot."""
    replica = Lot(
        session=lot.session, starting_price=lot.starting_price, reserve_price=lot.reserve_price
    )
    problems = []
    for bid in bids:
        state = resolve_bid(replica, bidder_id=bid.enterprise_id, max_amount=bid.max_amount)
        replica.current_price, replica.leader_id = state.current_price, state.leader_id
        replica.leader_max, replica.runner_up_max = state.leader_max, state.runner_up_max
        if bid.price_after != state.current_price:
            problems.append(
                f"bid {bid.sequence} stored price {bid.price_after}, "
                f"one at a time gives {state.current_price}"
            )
        if bid.leading_after != (state.leader_id == bid.enterprise_id):
            problems.append(f"bid {bid.sequence} stored the wrong leading flag")
    final = (replica.current_price, replica.leader_id, replica.leader_max, replica.runner_up_max)
    stored = (lot.current_price, lot.leader_id, lot.leader_max, lot.runner_up_max)
    if stored != final:
        problems.append(
            f"lot has price/leader/maximum/second maximum {stored}, one at a time gives {final}"
        )
    if bids:
        top = max(bid.max_amount for bid in bids)
        earliest_top = next(bid for bid in bids if bid.max_amount == top)
        if lot.leader_id != earliest_top.enterprise_id:
            problems.append(
                f"leader is enterprise {lot.leader_id}, not {earliest_top.enterprise_id} whose "
                f"maximum {top} came first"
            )
    return problems
