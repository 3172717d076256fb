"""`Idempotency-Key` on POST /lots/{id}/bids: a retry gets the first response and places
nothing; the key with another request is refused. Stripe's semantics: refusals are stored and
replayed too, except a rate limit, which is transient."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from api.models import IdempotencyRecord
from api.services import idempotency
from api.services.idempotency import idempotency_records_purge
from marketplace.models import Bid, Lot
from marketplace.services import bidding
from tests.api.conftest import bidder, bids_url, post_bid, token_client
from tests.factories.marketplace import LotFactory

pytestmark = pytest.mark.django_db


def keyed(key: str) -> dict:
    return {"Idempotency-Key": key}


def test_a_retry_with_the_same_key_returns_the_first_response_and_places_no_bid(open_lot):
    client = token_client(bidder(open_lot))
    first = post_bid(client, open_lot, "150000.00", keyed("bid-1"))

    retry = post_bid(client, open_lot, "150000.00", keyed("bid-1"))

    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert Bid.objects.count() == 1
    open_lot.refresh_from_db()
    assert open_lot.bid_count == 1


def test_the_replay_is_the_first_response_even_after_the_lot_moved_on(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    alice_client = token_client(alice)
    first = post_bid(alice_client, open_lot, "120000.00", keyed("k"))
    bidding.bid_place(user=bob, lot_id=open_lot.pk, max_amount="200000.00")

    retry = post_bid(alice_client, open_lot, "120000.00", keyed("k"))

    assert retry.content == first.content
    assert retry.json()["lot"]["bid_count"] == 1
    assert Bid.objects.count() == 2


def test_an_outbid_replay_shows_the_same_leader_paddle(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    bidding.bid_place(user=alice, lot_id=open_lot.pk, max_amount="200000.00")
    bob_client = token_client(bob)
    first = post_bid(bob_client, open_lot, "120000.00", keyed("k"))
    bidding.bid_place(user=bob, lot_id=open_lot.pk, max_amount="300000.00")

    retry = post_bid(bob_client, open_lot, "120000.00", keyed("k"))

    assert first.json()["lot"]["leader_paddle"] == 1
    assert retry.content == first.content


def test_the_same_key_with_another_amount_is_409_and_places_nothing(open_lot):
    client = token_client(bidder(open_lot))
    post_bid(client, open_lot, "150000.00", keyed("bid-1"))

    response = post_bid(client, open_lot, "160000.00", keyed("bid-1"))

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Bid.objects.count() == 1


def test_the_same_key_on_another_lot_is_409(open_lot):
    alice = bidder(open_lot)
    other = LotFactory(session=open_lot.session)
    bidding_client = token_client(alice)
    post_bid(bidding_client, open_lot, "150000.00", keyed("bid-1"))

    response = post_bid(bidding_client, other, "150000.00", keyed("bid-1"))

    assert response.json()["code"] == "idempotency_key_reused"
    assert not Bid.objects.filter(lot=other).exists()


def test_keys_are_per_user(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    post_bid(token_client(alice), open_lot, "150000.00", keyed("same"))

    response = post_bid(token_client(bob), open_lot, "200000.00", keyed("same"))

    assert response.status_code == 201
    assert Bid.objects.count() == 2


def test_a_refusal_is_stored_and_replayed_even_once_the_bid_would_pass(open_lot):
    client = token_client(bidder(open_lot))
    Lot.objects.filter(pk=open_lot.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    first = post_bid(client, open_lot, "150000.00", keyed("k"))
    Lot.objects.filter(pk=open_lot.pk).update(closes_at=timezone.now() + timedelta(days=1))

    retry = post_bid(client, open_lot, "150000.00", keyed("k"))

    assert first.status_code == retry.status_code == 409
    assert retry.content == first.content
    assert retry.json()["code"] == "lot_not_open"
    assert not Bid.objects.exists()


def test_a_rate_limited_request_is_not_stored_so_its_retry_is_tried_for_real(open_lot, monkeypatch):
    monkeypatch.setattr(bidding, "RATE_LIMIT_BIDS", 1)
    client = token_client(bidder(open_lot))
    post_bid(client, open_lot, "150000.00")
    limited = post_bid(client, open_lot, "160000.00", keyed("k"))
    assert limited.status_code == 429
    assert not IdempotencyRecord.objects.exists()
    monkeypatch.setattr(bidding, "RATE_LIMIT_BIDS", 10)

    retry = post_bid(client, open_lot, "160000.00", keyed("k"))

    assert retry.status_code == 201
    assert Bid.objects.count() == 2


def test_a_malformed_request_is_not_stored(open_lot):
    client = token_client(bidder(open_lot))
    bad = client.post(bids_url(open_lot), "{", content_type="application/json", headers=keyed("k"))
    assert bad.status_code == 422

    good = post_bid(client, open_lot, "150000.00", keyed("k"))

    assert good.status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_an_empty_or_overlong_key_is_a_validation_error(open_lot, key):
    response = post_bid(token_client(bidder(open_lot)), open_lot, "150000.00", keyed(key))

    assert response.status_code == 422
    assert not Bid.objects.exists()


def test_without_a_key_no_record_is_written(open_lot):
    post_bid(token_client(bidder(open_lot)), open_lot, "150000.00")

    assert not IdempotencyRecord.objects.exists()


def test_records_older_than_24_hours_are_purged_and_their_keys_free_again(open_lot):
    client = token_client(bidder(open_lot))
    post_bid(client, open_lot, "150000.00", keyed("old"))
    post_bid(client, open_lot, "160000.00", keyed("new"))
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=25)
    )

    assert idempotency_records_purge() == 1

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert post_bid(client, open_lot, "170000.00", keyed("old")).status_code == 201


def test_the_purge_command_reports_what_it_deleted(open_lot, capsys):
    post_bid(token_client(bidder(open_lot)), open_lot, "150000.00", keyed("old"))
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=2))

    call_command("purge_idempotency_records")

    assert "Deleted 1 " in capsys.readouterr().out
    assert not IdempotencyRecord.objects.exists()


def test_a_duplicate_that_missed_the_stored_reply_still_gets_it(open_lot, monkeypatch):
    """The race, played one step at a time: the second request looks before the first has
    stored its reply, bids, and its INSERT of the key fails; it answers with the first reply
    and its own work is rolled back."""
    client = token_client(bidder(open_lot))
    first = post_bid(client, open_lot, "150000.00", keyed("k"))
    stored_reply = idempotency._stored_reply
    looks = []

    def miss_the_first_look(**kwargs):
        looks.append(kwargs["key"])
        return None if len(looks) == 1 else stored_reply(**kwargs)

    monkeypatch.setattr(idempotency, "_stored_reply", miss_the_first_look)

    second = post_bid(client, open_lot, "150000.00", keyed("k"))

    assert looks == ["k", "k"]
    assert (second.status_code, second.content) == (201, first.content)
    assert Bid.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
