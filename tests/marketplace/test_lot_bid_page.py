"""Bidding from the lot page: the form, the bidder's own status, and the public history."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.choices import Role
from marketplace.choices import SessionStatus
from marketplace.services.bidding import bid_place
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


@pytest.fixture
def open_lot():
    now = timezone.now()
    session = AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=2),
        bidding_start=now - timedelta(hours=1),
        first_lot_closes_at=now + timedelta(days=1),
    )
    return LotFactory(session=session)


def bidder(lot, name):
    enterprise = VerifiedEnterpriseFactory(name=name)
    DepositFactory(lot=lot, enterprise=enterprise)
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)


def page(client, lot, prefix=""):
    return client.get(f"{prefix}/auctions/lots/{lot.pk}/").content.decode()


def test_a_bidder_with_a_paid_deposit_bids_from_the_lot_page(client, open_lot):
    alice = bidder(open_lot, "上海甲公司")
    client.force_login(alice)
    assert 'name="max_amount"' in page(client, open_lot)

    response = client.post(f"/auctions/lots/{open_lot.pk}/bid/", {"max_amount": "150000.00"})

    assert response.status_code == 302
    open_lot.refresh_from_db()
    assert (open_lot.bid_count, open_lot.leader_id) == (1, alice.enterprise_id)
    content = page(client, open_lot, "/en")
    assert "You are leading." in content
    assert "¥150,000.00 (only you see it)" in content


def test_a_refused_bid_shows_why_and_changes_nothing(client, open_lot):
    client.force_login(bidder(open_lot, "上海甲公司"))

    response = client.post(
        f"/en/auctions/lots/{open_lot.pk}/bid/", {"max_amount": "99.99"}, follow=True
    )

    assert "The lowest bid accepted now is ¥100,000.00." in response.content.decode()
    open_lot.refresh_from_db()
    assert open_lot.bid_count == 0


def test_others_see_paddles_and_prices_never_names_or_maximums(client, open_lot):
    alice, bob = bidder(open_lot, "上海甲公司"), bidder(open_lot, "上海乙公司")
    bid_place(user=alice, lot_id=open_lot.pk, max_amount="150000.00")
    bid_place(user=bob, lot_id=open_lot.pk, max_amount="120000.00")

    content = page(client, open_lot)

    assert "上海甲公司" not in content and "上海乙公司" not in content
    assert "¥150,000.00" not in content
    assert "¥130,000.00" in content  # the price after bob's bid


def test_the_outbid_bidder_sees_their_own_maximum_only(client, open_lot):
    alice, bob = bidder(open_lot, "上海甲公司"), bidder(open_lot, "上海乙公司")
    bid_place(user=alice, lot_id=open_lot.pk, max_amount="150000.00")
    bid_place(user=bob, lot_id=open_lot.pk, max_amount="120000.00")
    client.force_login(bob)

    content = page(client, open_lot, "/en")

    assert "You have been outbid." in content
    assert "¥120,000.00 (only you see it)" in content
    assert "¥150,000.00" not in content


def test_without_a_deposit_the_page_offers_the_deposit_not_the_bid_form(client, open_lot):
    member = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=VerifiedEnterpriseFactory())
    client.force_login(member)

    content = page(client, open_lot)

    assert 'name="max_amount"' not in content
    assert "deposits/checkout" in content


def test_anonymous_bids_go_to_the_login_page(client, open_lot):
    response = client.post(f"/auctions/lots/{open_lot.pk}/bid/", {"max_amount": "150000"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    open_lot.refresh_from_db()
    assert open_lot.bid_count == 0
