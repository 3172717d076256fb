"""POST /api/v1/lots/{id}/bids: one call to bid_place; every refusal a 4xx with its code."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.choices import Role
from marketplace.choices import LotStatus, SessionStatus
from marketplace.models import Bid, Lot
from marketplace.services import bidding
from tests.api.conftest import bidder, bids_url, open_session, post_bid, token_client
from tests.factories.accounts import EnterpriseFactory, UserFactory
from tests.factories.marketplace import AuctionSessionFactory, LotFactory

pytestmark = pytest.mark.django_db


def refusal(response) -> tuple[int, str]:
    body = response.json()
    assert set(body) >= {"code", "message"} and body["message"]
    return response.status_code, body["code"]


def test_a_bid_is_201_with_the_bid_and_the_lots_public_state(open_lot):
    client = token_client(bidder(open_lot))

    response = post_bid(client, open_lot, "150000.00")

    assert response.status_code == 201
    body = response.json()
    assert body["bid"] == {
        "lot": open_lot.pk,
        "sequence": 1,
        "max_amount": "150000.00",
        "price_after": "100000.00",
        "leading": True,
        "created_at": body["bid"]["created_at"],
    }
    assert body["lot"] == {
        "id": open_lot.pk,
        "status": "published",
        "current_price": "100000.00",
        "minimum_bid": body["lot"]["minimum_bid"],
        "bid_count": 1,
        "closes_at": body["lot"]["closes_at"],
        "reserve_met": True,
        "leader_paddle": 1,
    }
    open_lot.refresh_from_db()
    assert Decimal(body["lot"]["minimum_bid"]) == bidding.minimum_bid(open_lot)
    assert open_lot.bid_count == 1


def test_an_outbid_bidder_sees_the_leaders_paddle_but_not_the_leaders_maximum(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    bidding.bid_place(user=alice, lot_id=open_lot.pk, max_amount="150000.00")

    response = post_bid(token_client(bob), open_lot, "120000.00")

    assert response.status_code == 201
    body = response.json()
    assert body["bid"]["leading"] is False
    assert body["lot"]["leader_paddle"] == 1  # alice registered first
    assert body["lot"]["current_price"] == body["bid"]["price_after"]
    assert "150000" not in response.content.decode()


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        (150000, "a JSON number, even a whole one"),
        (150000.5, "a JSON float"),
        (None, "null"),
        ("abc", "not a number"),
        ("150000.001", "finer than a fen"),
        ("-5", "negative"),
        ("0", "zero"),
        ("NaN", "not finite"),
        ("1e400", "far too large"),
    ],
)
def test_an_amount_that_is_not_yuan_in_a_string_is_invalid_amount(open_lot, amount, why):
    response = post_bid(token_client(bidder(open_lot)), open_lot, amount)

    assert refusal(response) == (400, "invalid_amount"), why
    assert Bid.objects.count() == 0


def test_below_the_minimum_is_refused_with_the_minimum_in_the_message(open_lot):
    response = post_bid(
        token_client(bidder(open_lot)), open_lot, "99999.99", {"Accept-Language": "en"}
    )

    assert refusal(response) == (409, "below_minimum")
    assert response.json()["message"] == "The lowest bid accepted now is ¥100,000.00."


def test_the_message_is_chinese_by_default(open_lot):
    response = post_bid(token_client(bidder(open_lot)), open_lot, "99999.99")

    assert response.json()["message"] != "The lowest bid accepted now is ¥100,000.00."
    assert "¥100,000.00" in response.json()["message"]


def test_a_leader_must_raise_their_own_maximum(open_lot):
    alice = bidder(open_lot)
    bidding.bid_place(user=alice, lot_id=open_lot.pk, max_amount="150000.00")

    response = post_bid(token_client(alice), open_lot, "150000.00")

    assert refusal(response) == (409, "not_above_own_maximum")


def test_a_closed_lot_is_lot_not_open(open_lot):
    Lot.objects.filter(pk=open_lot.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    response = post_bid(token_client(bidder(open_lot)), open_lot, "150000.00")

    assert refusal(response) == (409, "lot_not_open")


def test_without_a_deposit_is_deposit_unpaid(open_lot):
    member = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=EnterpriseFactory())
    member.enterprise.verification_status = "verified"
    member.enterprise.save()

    response = post_bid(token_client(member), open_lot, "150000.00")

    assert refusal(response) == (403, "deposit_unpaid")


def test_an_unverified_enterprise_is_enterprise_unverified(open_lot):
    member = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=EnterpriseFactory())

    response = post_bid(token_client(member), open_lot, "150000.00")

    assert refusal(response) == (403, "enterprise_unverified")


def test_more_than_five_bids_a_second_is_rate_limited(open_lot, monkeypatch):
    monkeypatch.setattr(bidding, "RATE_LIMIT_BIDS", 1)
    # Both bids in the same one-second window, wherever the real clock's second turns.
    moment = timezone.now()
    monkeypatch.setattr(bidding, "timezone", SimpleNamespace(now=lambda: moment))
    client = token_client(bidder(open_lot))
    post_bid(client, open_lot, "150000.00")

    response = post_bid(client, open_lot, "160000.00")

    assert refusal(response) == (429, "rate_limited")


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": LotStatus.DRAFT},
        {"status": LotStatus.WITHDRAWN, "withdrawn_reason": ""},
        {"session_status": SessionStatus.DRAFT},
    ],
    ids=["draft lot", "withdrawn without reason", "draft session"],
)
def test_a_lot_the_public_cannot_see_is_not_found(hidden):
    session = open_session()
    if "session_status" in hidden:
        session = AuctionSessionFactory(status=SessionStatus.DRAFT)
        lot = LotFactory(session=session)
    else:
        lot = LotFactory(session=session, **hidden)

    response = post_bid(token_client(bidder(lot)), lot, "150000.00")

    assert refusal(response) == (404, "not_found")


def test_an_unknown_lot_is_not_found(open_lot):
    response = post_bid(token_client(bidder(open_lot)), open_lot.pk + 1000, "150000.00")

    assert refusal(response) == (404, "not_found")


def test_no_credentials_is_not_authenticated(client, open_lot):
    response = post_bid(client, open_lot, "150000.00")

    assert refusal(response) == (401, "not_authenticated")


@pytest.mark.parametrize(
    "body", ['{"max_amount": "1', "[]", "{}", '{"max_amount": "1", "x": '], ids=str
)
def test_a_malformed_body_is_validation_error(open_lot, body):
    client = token_client(bidder(open_lot))

    response = client.post(bids_url(open_lot), body, content_type="application/json")

    assert refusal(response) == (422, "validation_error")
    assert Bid.objects.count() == 0


@pytest.mark.parametrize("path_id", ["0", "99999999999999999999999", "abc"])
def test_an_impossible_lot_id_is_a_4xx_not_a_500(open_lot, path_id):
    client = token_client(bidder(open_lot))

    response = post_bid(client, path_id, "150000.00")

    assert response.status_code in (404, 422)
    assert response.json()["code"] in ("not_found", "validation_error")
