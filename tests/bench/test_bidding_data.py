"""The auction the bidding benchmark makes: fresh lots per case, bidders with tokens that
authenticate, and deposits only for the bidders that take part in each case."""

import pytest
from django.core.cache import cache

from api.services.tokens import api_token_create, api_token_user
from bench.bidding_data import STARTING_PRICE, CasePlan, bench_auction_create, case_plans
from marketplace.exceptions import BidDepositUnpaidError
from marketplace.models import Deposit, Lot
from marketplace.services.bidding import bid_place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def make_auction():
    return bench_auction_create(
        plans=[CasePlan("hot", 1, 1), CasePlan("spread", 3, 4)],
        users_per_bidder=2,
        token_create=lambda user: api_token_create(user=user, name="bench")[1],
    )


def test_cases_come_hot_then_spread_for_each_client_count():
    assert [plan.name for plan in case_plans([1, 8], 100)] == [
        "hot-1",
        "spread-1",
        "hot-8",
        "spread-8",
    ]
    assert [plan.name for plan in case_plans([32], 0)] == ["hot-32"]


def test_each_case_gets_its_own_fresh_lots():
    auction = make_auction()

    assert [len(auction.lots["hot-1"]), len(auction.lots["spread-3"])] == [1, 4]
    lot_ids = auction.lots["hot-1"] + auction.lots["spread-3"]
    assert len(set(lot_ids)) == 5
    lots = Lot.objects.filter(pk__in=lot_ids)
    assert {(lot.bid_count, lot.starting_price, lot.session_id) for lot in lots} == {
        (0, STARTING_PRICE, auction.session.pk)
    }
    assert auction.minimums("spread-3") == dict.fromkeys(auction.lots["spread-3"], STARTING_PRICE)


def test_every_bidder_has_members_whose_tokens_authenticate():
    auction = make_auction()

    assert len(auction.bidders) == 3
    for bidder in auction.bidders:
        assert len(bidder.tokens) == 2
        for user_id, raw in bidder.tokens:
            user = api_token_user(raw=raw)
            assert (user.pk, user.enterprise_id) == (user_id, bidder.enterprise_id)


def test_only_the_bidders_of_a_case_have_paid_its_deposits_and_they_can_bid():
    auction = make_auction()
    [hot_lot] = auction.lots["hot-1"]
    first, second = auction.bidders[0], auction.bidders[1]

    assert Deposit.objects.filter(lot_id=hot_lot).count() == 1
    assert Deposit.objects.filter(lot_id__in=auction.lots["spread-3"]).count() == 4 * 3
    first_user = api_token_user(raw=first.tokens[0][1])
    second_user = api_token_user(raw=second.tokens[0][1])
    result = bid_place(user=first_user, lot_id=hot_lot, max_amount=STARTING_PRICE)
    assert result.leading
    with pytest.raises(BidDepositUnpaidError):
        bid_place(user=second_user, lot_id=hot_lot, max_amount=STARTING_PRICE)
