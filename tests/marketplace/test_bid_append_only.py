"""Accepted bids are a record: never updated or deleted, by the ORM or (PostgreSQL) raw SQL."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

from marketplace.exceptions import BidImmutableError
from marketplace.models import Bid
from marketplace.services.bidding import bid_place
from tests.marketplace.test_lot_bid_page import bidder, open_lot  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The append-only trigger exists on PostgreSQL only; on SQLite the ORM's refusals "
    "(tested above) are the guard. Run with DATABASE_URL=postgres://… to cover this.",
)


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


@pytest.fixture
def placed_bid(open_lot):  # noqa: F811 - the fixture imported above
    return bid_place(
        user=bidder(open_lot, "上海甲公司"), lot_id=open_lot.pk, max_amount="150000.00"
    ).bid


def stored(bid):
    return Bid.objects.filter(pk=bid.pk).values_list("max_amount", "price_after").first()


def test_saving_a_stored_bid_again_is_refused(placed_bid):
    before = stored(placed_bid)
    placed_bid.max_amount = Decimal("1.00")

    with pytest.raises(BidImmutableError):
        placed_bid.save()

    assert stored(placed_bid) == before


def test_deleting_a_bid_is_refused(placed_bid):
    with pytest.raises(BidImmutableError):
        placed_bid.delete()
    assert Bid.objects.filter(pk=placed_bid.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda bids: bids.update(max_amount=Decimal("1.00")),
        lambda bids: bids.delete(),
        lambda bids: bids.bulk_update(list(bids), ["max_amount"]),
    ],
    ids=["update", "delete", "bulk_update"],
)
def test_bulk_changes_through_the_orm_are_refused(placed_bid, change):
    before = stored(placed_bid)

    with pytest.raises(BidImmutableError):
        change(Bid.objects.filter(pk=placed_bid.pk))

    assert stored(placed_bid) == before


def test_the_refusal_has_a_translated_message(placed_bid):
    with pytest.raises(BidImmutableError) as refusal:
        placed_bid.delete()
    assert "出价" in str(refusal.value)


@on_postgresql_only
@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE marketplace_bid SET max_amount = 1 WHERE id = %s",
        "DELETE FROM marketplace_bid WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_postgresql_refuses_raw_sql_that_changes_or_deletes_a_bid(placed_bid, sql):
    before = stored(placed_bid)

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [placed_bid.pk])

    assert stored(placed_bid) == before


def test_purge_for_clean_up_deletes_on_every_database(placed_bid):
    assert Bid.objects.filter(pk=placed_bid.pk).purge() == 1
    assert not Bid.objects.filter(pk=placed_bid.pk).exists()


@on_postgresql_only
@pytest.mark.postgres
def test_purge_leaves_the_guard_on_for_the_rest_of_the_transaction(placed_bid, open_lot):  # noqa: F811
    other = bid_place(
        user=bidder(open_lot, "上海乙公司"), lot_id=open_lot.pk, max_amount="200000.00"
    ).bid
    Bid.objects.filter(pk=placed_bid.pk).purge()
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM marketplace_bid WHERE id = %s", [other.pk])
