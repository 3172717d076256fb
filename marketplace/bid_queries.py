"""The bid path's reads, as plain SQL.

Profiling a bid through the API showed Django spending about 2 ms of CPU per bid compiling
these ORM queries (their EXISTS and subqueries), several times what the database spends
running them; on a 2-core machine that CPU is what limits bids per second
(bench/README.md). The SQL is fixed, so it is written once here; RawQuerySet still turns the
columns into model fields with their converters. The rules stay in services/bidding.py.
"""

from django.db import connection

from marketplace.choices import DepositStatus
from marketplace.models import AuctionSession, Lot

# The lot's columns a bid reads and writes; every other field stays deferred.
BID_LOT_COLUMNS = ", ".join(
    f"lot.{column}"
    for column in (
        "id",
        "session_id",
        "status",
        "closes_at",
        "starting_price",
        "reserve_price",
        "current_price",
        "leader_id",
        "leader_max",
        "runner_up_max",
        "bid_count",
        "version",
        "updated_at",
    )
)

LOT_FOR_BID_SQL = f"""
    SELECT {BID_LOT_COLUMNS},
        EXISTS (
            SELECT 1 FROM marketplace_deposit d
            WHERE d.lot_id = lot.id AND d.enterprise_id = %s AND d.status = %s
        ) AS deposit_paid,
        r.id AS registration_id,
        r.paddle AS paddle
    FROM marketplace_lot lot
    LEFT JOIN marketplace_bidderregistration r
        ON r.session_id = lot.session_id AND r.enterprise_id = %s
    WHERE lot.id = %s
"""  # noqa: S608 - the interpolated text is the constant column list above

SESSION_FOR_BID_SQL = """
    SELECT id, status, bidding_start, increment_bands, soft_close_window
    FROM marketplace_auctionsession WHERE id = %s
"""


def lot_for_bid(lot_id: int, enterprise_id: int) -> Lot | None:
    """The lot with `deposit_paid` (the enterprise's deposit is paid), `registration_id` and
    `paddle` (its paddle in the session, or None), and its session's status, bidding start,
    increment bands and soft-close window: two short queries."""
    lot = next(
        iter(
            Lot.objects.raw(
                LOT_FOR_BID_SQL, [enterprise_id, DepositStatus.PAID, enterprise_id, lot_id]
            )
        ),
        None,
    )
    if lot is not None:
        lot.session = next(iter(AuctionSession.objects.raw(SESSION_FOR_BID_SQL, [lot.session_id])))
    return lot


def lot_lock_for_bid(lot_id: int) -> Lot:
    """The lot row alone, locked until the transaction ends (on SQLite the IMMEDIATE
    transaction already serialises writers, and there is no FOR UPDATE)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT {BID_LOT_COLUMNS} FROM marketplace_lot lot WHERE lot.id = %s{lock}"  # noqa: S608
    return next(iter(Lot.objects.raw(sql, [lot_id])))
