"""Two requests with one Idempotency-Key at the same moment place exactly one bid, and both
get its response (PostgreSQL: real threads, real connections, the unique index decides)."""

import json
import threading
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from accounts.models import User
from api.models import IdempotencyRecord
from api.services import idempotency
from marketplace.api import bid_reply
from marketplace.models import Bid
from tests.api.conftest import bidder, open_session
from tests.factories.marketplace import LotFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers, so two requests cannot overlap; run with "
        "DATABASE_URL=postgres://… to test the unique index under concurrency.",
    ),
    # Flush only these apps' tables afterwards (Wagtail's pages must survive); the rows made
    # in other apps are deleted by the fixture.
    pytest.mark.django_db(transaction=True, available_apps=["marketplace", "api"]),
]


@pytest.fixture
def lot_and_bidder(committed_rows_cleanup):
    lot = LotFactory(session=open_session(), starting_price=Decimal("10000.00"))
    user = bidder(lot)
    yield lot, user


def as_json(body: dict) -> str:
    return json.dumps(body, cls=DjangoJSONEncoder, sort_keys=True)


def test_two_requests_with_one_key_at_once_place_one_bid(lot_and_bidder, monkeypatch):
    """What the endpoint does after authentication (bid_reply), in two threads at once; the
    HTTP layer is left out because a request needs every app, and this test may flush only
    its own apps' tables."""
    lot, user = lot_and_bidder
    # Both requests look for a stored reply before either has written one, so both go on to
    # bid: the race the unique index must settle.
    both_looked = threading.Barrier(2, timeout=10)
    first_look = threading.local()
    stored_reply = idempotency._stored_reply

    def look_then_wait(**kwargs):
        reply = stored_reply(**kwargs)
        if not getattr(first_look, "done", False):
            first_look.done = True
            both_looked.wait()
        return reply

    monkeypatch.setattr(idempotency, "_stored_reply", look_then_wait)
    replies, errors = [], []

    def send():
        try:
            same_user = User.objects.select_related("enterprise").get(pk=user.pk)
            replies.append(
                bid_reply(
                    user=same_user, lot_id=lot.pk, max_amount="15000.00", idempotency_key="once"
                )
            )
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [reply.status for reply in replies] == [201, 201]
    assert as_json(replies[0].body) == as_json(replies[1].body)
    assert Bid.objects.filter(lot=lot).count() == 1
    assert IdempotencyRecord.objects.count() == 1
    lot.refresh_from_db()
    assert lot.bid_count == 1
