"""Properties of proxy resolution (marketplace.services.bidding.resolve_bid) for any sequence
of acceptable bids."""

from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.models.auction_session import default_increment_bands
from marketplace.services.auctions import increment_for
from marketplace.services.bidding import resolve_bid

STARTING_PRICE = Decimal("10000.00")

bids = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=4),  # bidder
        st.integers(min_value=1_000_000, max_value=50_000_000),  # maximum in fen
    ),
    min_size=1,
    max_size=40,
)


def replay(sequence, reserve):
    lot = SimpleNamespace(
        session=SimpleNamespace(increment_bands=default_increment_bands()),
        starting_price=STARTING_PRICE,
        reserve_price=reserve,
        leader_id=None,
        leader_max=None,
        runner_up_max=None,
        current_price=None,
        bid_count=0,
    )
    accepted = []
    for bidder, fen in sequence:
        amount = Decimal(fen) / 100
        if lot.leader_id == bidder:
            if amount <= lot.leader_max:
                continue
        else:
            minimum = (
                STARTING_PRICE
                if not lot.bid_count
                else lot.current_price
                + increment_for(lot.session.increment_bands, lot.current_price)
            )
            if amount < minimum:
                continue
        state = resolve_bid(lot, bidder_id=bidder, max_amount=amount)
        lot.leader_id, lot.leader_max = state.leader_id, state.leader_max
        lot.runner_up_max, lot.current_price = state.runner_up_max, state.current_price
        lot.bid_count += 1
        accepted.append((bidder, amount, state.current_price))
    return lot, accepted


@settings(max_examples=300, deadline=None)
@given(sequence=bids, reserve_fen=st.one_of(st.none(), st.integers(1_000_000, 60_000_000)))
def test_price_and_leader_obey_the_rules_for_any_bids(sequence, reserve_fen):
    reserve = None if reserve_fen is None else Decimal(reserve_fen) / 100
    lot, accepted = replay(sequence, reserve)
    if not accepted:
        return
    prices = [price for _bidder, _amount, price in accepted]
    # The price never goes down, never below the start, never above the leader's maximum.
    assert prices == sorted(prices)
    assert STARTING_PRICE <= lot.current_price <= lot.leader_max
    # The leader holds the highest maximum, the earliest one among equals.
    top = max(amount for _bidder, amount, _price in accepted)
    first_top_bidder = next(bidder for bidder, amount, _price in accepted if amount == top)
    assert (lot.leader_id, lot.leader_max) == (first_top_bidder, top)
    # Once the leader's maximum reaches the reserve, the price is at least the reserve.
    if reserve is not None and lot.leader_max >= reserve:
        assert lot.current_price >= reserve
