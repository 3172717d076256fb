"""A lot's head: its version and the few fields that decide what its live part shows, kept in
the shared cache (Redis in production) so that polling watchers cost no query.

bid_place and lot closing call `lot_live_announce` after they commit, with the lot row they
wrote, so the new head is in the cache before any watcher asks. A miss (expiry, a restart, a
lot nobody watched) costs one query, stored with cache.add so that it never overwrites an
announced head.

Heads expire after HEAD_TIMEOUT seconds. That bounds how long a watcher can see a head that no
announcement replaced: a change by staff (withdrawing a lot) or the rare race in which two
announcements for the same lot interleave between their read and their write.

Nothing here reads the database: this module is imported by the bidding and closing services.
"""

import hashlib
from dataclasses import astuple, dataclass
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache

from marketplace.live.phase import LivePhase, lot_phase

HEAD_TIMEOUT = 10
# The cache stores the head as a tuple; bump the key when the fields change so that servers
# running the old code and the new one never read each other's tuples.
HEAD_KEY = "lot-live:head:v1:{lot_id}"
# A lot that is not shown: remembered too, so asking for it again costs no query either.
NOT_SHOWN = "not-shown"


@dataclass(frozen=True)
class LotHead:
    lot_id: int
    version: int
    updated_at: datetime
    status: str
    closes_at: datetime
    bidding_start: datetime
    leader_id: int | None
    current_price: Decimal | None
    bid_count: int

    @property
    def fingerprint(self) -> str:
        """A digest of every field. A bid or a closing changes the version; a staff change, or
        a write that bypassed the services, still changes updated_at or a field, so a rendering
        keyed by the fingerprint is never served for a different lot state (nor for another
        lot that reuses a deleted lot's id)."""
        raw = "|".join(_canonical(value) for value in astuple(self))
        return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()

    def phase(self, now: datetime) -> LivePhase:
        return lot_phase(
            status=self.status,
            closes_at=self.closes_at,
            bidding_start=self.bidding_start,
            now=now,
        )


def _canonical(value) -> str:
    """The same text for the same value whether it came from the database or from a service's
    arithmetic (Decimal("13500") and Decimal("13500.00"), two time zones)."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return f"{value.timestamp():.6f}"
    return str(value)


def head_key(lot_id: int) -> str:
    return HEAD_KEY.format(lot_id=lot_id)


def head_from_row(lot_id: int, row: dict) -> LotHead:
    """From marketplace.live_queries.lot_head_row."""
    return LotHead(lot_id=lot_id, **row)


def head_from_lot(lot) -> LotHead:
    """From a Lot whose session is loaded (the services lock the lot with its session)."""
    return LotHead(
        lot_id=lot.pk,
        version=lot.version,
        updated_at=lot.updated_at,
        status=lot.status,
        closes_at=lot.closes_at,
        bidding_start=lot.session.bidding_start,
        leader_id=lot.leader_id,
        current_price=lot.current_price,
        bid_count=lot.bid_count,
    )


def cached_head(lot_id: int) -> LotHead | str | None:
    """The cached head, NOT_SHOWN, or None on a miss."""
    stored = cache.get(head_key(lot_id))
    if stored is None or stored == NOT_SHOWN:
        return stored
    return LotHead(*stored)


def head_remember(lot_id: int, head: LotHead | None) -> None:
    """Store what a query found, unless an announcement got there first."""
    stored = NOT_SHOWN if head is None else astuple(head)
    cache.add(head_key(lot_id), stored, HEAD_TIMEOUT)


def lot_live_announce(*, lot) -> None:
    """Put the head of `lot`, just committed by a bid or a closing, in the cache.

    Called from transaction.on_commit. Two commits on one lot can run their callbacks out of
    order, so an older version never replaces a newer one.
    """
    head = head_from_lot(lot)
    current = cached_head(lot.pk)
    if isinstance(current, LotHead) and current.version > head.version:
        return
    cache.set(head_key(lot.pk), astuple(head), HEAD_TIMEOUT)
