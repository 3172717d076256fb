"""A lot's head in the cache: announced after a bid or a closing commits, read back with no
query, never replaced by an older announcement, and phases that follow the clock."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from marketplace.choices import LotStatus
from marketplace.live.fragment import lot_head
from marketplace.live.head import (
    LotHead,
    cached_head,
    head_from_lot,
    head_from_row,
    lot_live_announce,
)
from marketplace.live.phase import LivePhase, lot_phase
from marketplace.live_queries import lot_head_row
from marketplace.models import Lot
from marketplace.services.bidding import bid_place
from marketplace.services.closing import lot_close, lots_close_due
from tests.factories.marketplace import LotFactory
from tests.marketplace.test_live_fragment import (  # noqa: F401 - fixtures
    bidder,
    contested,
    open_lot,
    open_session,
)

pytestmark = pytest.mark.django_db


def test_a_bid_announces_the_new_head_after_it_commits(
    open_lot,  # noqa: F811
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    alice = bidder(open_lot, "上海甲公司")

    with django_capture_on_commit_callbacks() as callbacks:
        bid_place(user=alice, lot_id=open_lot.pk, max_amount="150000.00")
        assert cached_head(open_lot.pk) is None  # nothing before the commit
    for callback in callbacks:
        callback()

    with django_assert_num_queries(0):
        head = lot_head(open_lot.pk)
    assert (head.version, head.bid_count, head.leader_id) == (1, 1, alice.enterprise_id)


def test_closing_announces_the_result(
    contested,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    lot, _alice, _bob = contested
    lot.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        lots_close_due(now=lot.closes_at)

    head = cached_head(lot.pk)
    assert head.status == LotStatus.SOLD
    assert head.version == lot.version + 1


def test_an_older_announcement_never_replaces_a_newer_one(contested):  # noqa: F811
    lot, _alice, _bob = contested
    older = Lot.objects.select_related("session").get(pk=lot.pk)
    newer = Lot.objects.select_related("session").get(pk=lot.pk)
    newer.version += 1

    lot_live_announce(lot=newer)
    lot_live_announce(lot=older)

    assert cached_head(lot.pk).version == newer.version


def test_a_miss_costs_one_query_and_is_remembered(
    contested,  # noqa: F811
    django_assert_num_queries,
):
    lot, _alice, _bob = contested
    cache.clear()  # as after an expiry or a restart

    with django_assert_num_queries(1):
        first = lot_head(lot.pk)
    with django_assert_num_queries(0):
        assert lot_head(lot.pk) == first


def test_a_lot_that_is_not_shown_is_remembered_as_such(
    open_session,  # noqa: F811
    django_assert_num_queries,
):
    draft = LotFactory(session=open_session, status=LotStatus.DRAFT)

    with django_assert_num_queries(1):
        assert lot_head(draft.pk) is None
    with django_assert_num_queries(0):
        assert lot_head(draft.pk) is None


def test_the_announced_head_and_the_one_read_from_the_database_are_the_same(
    contested,  # noqa: F811
):
    lot, _alice, _bob = contested
    announced = head_from_lot(Lot.objects.select_related("session").get(pk=lot.pk))

    read = head_from_row(lot.pk, lot_head_row(lot.pk))

    assert read.fingerprint == announced.fingerprint


def test_the_fingerprint_changes_with_any_field_even_without_a_new_version(
    contested,  # noqa: F811
):
    lot, _alice, _bob = contested
    head = lot_head(lot.pk)

    assert replace(head, status=LotStatus.WITHDRAWN).fingerprint != head.fingerprint
    assert replace(head, updated_at=timezone.now()).fingerprint != head.fingerprint
    assert isinstance(head, LotHead)


def test_a_closing_that_is_not_due_announces_nothing(
    contested,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    lot, _alice, _bob = contested
    lot.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert lot_close(lot_id=lot.pk, now=lot.closes_at - timedelta(seconds=1)) is None

    assert callbacks == []


NOW = timezone.now()


@pytest.mark.parametrize(
    ("status", "closes_in", "opened_ago", "phase"),
    [
        (LotStatus.PUBLISHED, timedelta(hours=1), timedelta(hours=-1), LivePhase.UPCOMING),
        (LotStatus.PUBLISHED, timedelta(hours=1), timedelta(0), LivePhase.OPEN),
        (LotStatus.PUBLISHED, timedelta(0), timedelta(hours=1), LivePhase.CLOSED),
        (LotStatus.SOLD, timedelta(hours=-1), timedelta(hours=2), LivePhase.SOLD),
        (LotStatus.PASSED, timedelta(hours=-1), timedelta(hours=2), LivePhase.PASSED),
        (LotStatus.WITHDRAWN, timedelta(hours=1), timedelta(hours=2), LivePhase.WITHDRAWN),
    ],
)
def test_the_phase_follows_the_status_and_the_clock(status, closes_in, opened_ago, phase):
    assert (
        lot_phase(
            status=status,
            closes_at=NOW + closes_in,
            bidding_start=NOW - opened_ago,
            now=NOW,
        )
        == phase
    )
