"""The live part of a lot on its own URL: what it shows, what it never shows, its ETag, and the
cache that makes a thousand watchers cheap."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.choices import Role
from marketplace.choices import LotStatus, SessionStatus
from marketplace.models import Lot
from marketplace.services.bidding import bid_place
from marketplace.services.closing import lot_close
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)

pytestmark = pytest.mark.django_db

RESERVE = Decimal("876543.21")


@pytest.fixture
def open_session():
    now = timezone.now()
    return AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=2),
        bidding_start=now - timedelta(hours=1),
        first_lot_closes_at=now + timedelta(days=1),
    )


@pytest.fixture
def open_lot(open_session):
    """Starting price ¥100,000; increments ¥10,000 from ¥100,000 on."""
    return LotFactory(session=open_session)


def bidder(lot, name):
    """A member of a verified enterprise that has paid the lot's deposit."""
    enterprise = VerifiedEnterpriseFactory(name=name)
    DepositFactory(lot=lot, enterprise=enterprise)
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)


def place(capture, user, lot, amount, **kwargs):
    """A bid whose after-commit work (the live announcement) runs, as after a real commit."""
    with capture(execute=True):
        return bid_place(user=user, lot_id=lot.pk, max_amount=amount, **kwargs)


def live_url(lot, prefix="/en"):
    return f"{prefix}/auctions/lots/{lot.pk}/live/"


@pytest.fixture
def contested(open_lot, django_capture_on_commit_callbacks):
    """Alice (paddle 1) leads with a maximum of ¥150,000 over Bob's (paddle 2) ¥120,000:
    the price is ¥130,000 (¥120,000 + its ¥10,000 increment)."""
    alice, bob = bidder(open_lot, "上海甲公司"), bidder(open_lot, "上海乙公司")
    place(django_capture_on_commit_callbacks, alice, open_lot, "150000.00")
    place(django_capture_on_commit_callbacks, bob, open_lot, "120000.00")
    return open_lot, alice, bob


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_fragment_shows_price_leader_reserve_next_bid_and_history_by_paddle(client, contested):
    lot, _alice, _bob = contested

    response = client.get(live_url(lot))

    assert response.status_code == 200
    content = text(response)
    assert "Bidding open" in content
    assert "¥130,000.00 · 2 bids" in content
    assert "Paddle 1" in content
    # No reserve: the lot would sell now, which is all "reserve met" says.
    assert "Reserve price met</dt> <dd>Yes" in content
    assert "Lowest next bid</dt><dd>¥140,000.00" in content
    rows = re.findall(r"<tr><td>(\d+)</td><td>(\d+)</td><td>([^<]+)</td>", content)
    assert rows == [("2", "2", "¥130,000.00"), ("1", "1", "¥100,000.00")]
    closes_at = timezone.localtime(lot.closes_at, timezone.get_fixed_timezone(8 * 60))
    assert closes_at.strftime("%Y-%m-%d %H:%M:%S") in content
    assert "data-countdown" in content and "Closes in" in content


def test_the_fragment_is_chinese_at_the_root_and_english_under_en(client, contested):
    lot, _alice, _bob = contested
    with translation.override("zh-hans"):
        current_price_zh = gettext("Current price")
    assert current_price_zh != "Current price"

    chinese = text(client.get(live_url(lot, prefix="")))
    english = text(client.get(live_url(lot)))

    assert current_price_zh in chinese and "Current price" not in chinese
    assert "Current price" in english and current_price_zh not in english


def test_the_public_fragment_never_shows_the_reserve_a_maximum_or_a_name(
    client, open_session, django_capture_on_commit_callbacks
):
    lot = LotFactory(session=open_session, reserve_price=RESERVE)
    alice, bob = bidder(lot, "上海甲公司"), bidder(lot, "上海乙公司")
    place(django_capture_on_commit_callbacks, alice, lot, "150000.00")
    place(django_capture_on_commit_callbacks, bob, lot, "120000.00")
    client.force_login(alice)
    client.get(live_url(lot))  # the bidder's own view first: it must not leak into the shared part
    client.logout()

    content = text(client.get(live_url(lot)))

    assert "¥130,000.00" in content
    assert "Reserve price met</dt> <dd>Not yet" in content
    secrets = ("876,543", "876543", "150,000", "150000", "120,000.00", "上海甲公司", "上海乙公司")
    for secret in secrets:
        assert secret not in content


def test_each_bidder_sees_their_own_status_and_maximum_and_nobody_else_does(client, contested):
    lot, alice, bob = contested
    outsider = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=VerifiedEnterpriseFactory())
    alice_colleague = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=alice.enterprise)

    client.force_login(alice)
    for_alice = text(client.get(live_url(lot)))
    client.force_login(alice_colleague)
    for_colleague = text(client.get(live_url(lot)))
    client.force_login(bob)
    for_bob = text(client.get(live_url(lot)))
    client.force_login(outsider)
    for_outsider = text(client.get(live_url(lot)))
    client.logout()
    for_anonymous = text(client.get(live_url(lot)))

    assert "You are leading." in for_alice
    assert "Your maximum: ¥150,000.00 (only you see it)." in for_alice
    assert "Your maximum: ¥150,000.00 (only you see it)." in for_colleague
    assert "You have been outbid." in for_bob
    assert "Your maximum: ¥120,000.00 (only you see it)." in for_bob
    assert "150,000" not in for_bob
    for content in (for_outsider, for_anonymous):
        assert "only you see it" not in content
        assert "150,000" not in content and "120,000.00" not in content


def test_a_personal_answer_is_private_and_every_answer_must_be_revalidated(client, contested):
    lot, alice, _bob = contested

    public = client.get(live_url(lot))
    client.force_login(alice)
    personal = client.get(live_url(lot))

    assert public["Cache-Control"] == "no-cache"
    assert set(personal["Cache-Control"].split(", ")) == {"no-cache", "private"}
    assert "Cookie" in public["Vary"] and "Cookie" in personal["Vary"]
    assert public["ETag"] != personal["ETag"]
    assert "150000" not in personal["ETag"] and "150,000" not in personal["ETag"]


def test_an_unchanged_fragment_is_answered_304_without_a_query(
    client, contested, django_assert_num_queries
):
    lot, _alice, _bob = contested
    first = client.get(live_url(lot))
    etag = first["ETag"]
    assert etag.startswith('W/"')

    with django_assert_num_queries(0):
        again = client.get(live_url(lot), headers={"if-none-match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "no-cache"


def test_a_new_bid_changes_the_etag_and_the_content(
    client, contested, django_capture_on_commit_callbacks
):
    lot, alice, _bob = contested
    before = client.get(live_url(lot))
    carol = bidder(lot, "上海丙公司")

    place(django_capture_on_commit_callbacks, carol, lot, "200000.00")
    after = client.get(live_url(lot), headers={"if-none-match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    content = text(after)
    # Carol's ¥200,000 beats Alice's ¥150,000: the price is ¥150,000 + ¥10,000.
    assert "¥160,000.00 · 3 bids" in content
    assert "Paddle 3" in content
    assert "¥130,000.00 · 2 bids" not in content


def test_the_leaders_own_status_changes_when_they_are_outbid(
    client, contested, django_capture_on_commit_callbacks
):
    lot, alice, _bob = contested
    client.force_login(alice)
    leading = client.get(live_url(lot))
    carol = bidder(lot, "上海丙公司")

    place(django_capture_on_commit_callbacks, carol, lot, "200000.00")
    outbid = client.get(live_url(lot), headers={"if-none-match": leading["ETag"]})

    assert outbid.status_code == 200
    assert "You have been outbid." in text(outbid)
    assert "Your maximum: ¥150,000.00 (only you see it)." in text(outbid)


def test_watchers_of_the_same_version_read_the_cache(
    client, contested, django_assert_num_queries, django_assert_max_num_queries
):
    lot, alice, _bob = contested
    first = client.get(live_url(lot)).content

    with django_assert_num_queries(0):
        second = client.get(live_url(lot)).content
    assert second == first

    client.force_login(alice)
    client.get(live_url(lot))
    # A logged-in watcher: the session and the user, nothing about the lot.
    with django_assert_max_num_queries(2):
        assert "only you see it" in text(client.get(live_url(lot)))


def test_a_new_version_is_rendered_once_for_all_watchers(
    client, contested, django_capture_on_commit_callbacks, django_assert_num_queries
):
    lot, _alice, _bob = contested
    client.get(live_url(lot))
    place(django_capture_on_commit_callbacks, bidder(lot, "上海丙公司"), lot, "200000.00")

    # The head was announced after the commit; the first watcher renders the public part
    # (the lot with its leader's paddle, then the latest bids) and the others read it.
    with django_assert_num_queries(2):
        client.get(live_url(lot))
    with django_assert_num_queries(0):
        client.get(live_url(lot))


def test_open_turns_to_closed_when_the_closing_time_passes_without_a_new_version(
    client, contested, monkeypatch
):
    lot, _alice, _bob = contested
    lot.refresh_from_db()
    open_answer = client.get(live_url(lot))
    assert "Bidding open" in text(open_answer)

    after_closing = lot.closes_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: after_closing)
    closed_answer = client.get(live_url(lot), headers={"if-none-match": open_answer["ETag"]})

    assert closed_answer.status_code == 200
    assert closed_answer["ETag"] != open_answer["ETag"]
    content = text(closed_answer)
    assert "Bidding closed, result to follow" in content
    assert "Bidding has closed; the result will be announced here." in content
    assert "data-countdown" not in content
    assert "Lowest next bid" not in content
    assert Lot.objects.get(pk=lot.pk).version == lot.version


def test_a_lot_whose_bidding_has_not_opened_counts_down_and_says_when_it_opens(client):
    lot = LotFactory()  # the factory's session opens bidding tomorrow

    content = text(client.get(live_url(lot)))

    assert "Bidding has not opened yet" in content
    assert "Bidding opens" in content
    assert "Lowest next bid</dt><dd>¥100,000.00" in content
    assert "No bids yet" in content


def test_a_sold_lot_shows_its_hammer_price_and_stops_the_polling(
    client, contested, django_capture_on_commit_callbacks
):
    lot, alice, _bob = contested
    lot.refresh_from_db()
    watching = client.get(live_url(lot))

    with django_capture_on_commit_callbacks(execute=True):
        assert lot_close(lot_id=lot.pk, now=lot.closes_at) == LotStatus.SOLD
    polled = client.get(
        live_url(lot), headers={"hx-request": "true", "if-none-match": watching["ETag"]}
    )
    client.force_login(alice)
    for_winner = text(client.get(live_url(lot)))

    assert polled.status_code == 286  # htmx: stop polling
    content = text(polled)
    assert "Hammer price" in content and "¥130,000.00 · 2 bids" in content
    assert "Sold" in content
    assert "data-countdown" not in content and "Lowest next bid" not in content
    assert "You won this lot." in for_winner
    # Without htmx (a plain GET) it is an ordinary page part.
    assert client.get(live_url(lot)).status_code == 200


def test_a_lot_that_is_not_shown_is_404(client, open_session):
    draft = LotFactory(session=open_session, status=LotStatus.DRAFT)

    assert client.get(live_url(draft)).status_code == 404
    assert client.get("/en/auctions/lots/999999/live/").status_code == 404
    assert client.post(live_url(LotFactory(session=open_session))).status_code == 405
