"""Demo calendar: a past demo session's schedule moved back into its own season.

The services accept bids only "now", so the demo runs its past sessions today and closes
their lots now (marketplace.demo_settlement). Once such a session is closed and settled, the
public pages would show a spring or autumn session with today's dates and its first closing
still ahead. As a demo-only liberty, like the demo's other clock moves, its schedule is then
set in its own season: preview on the 1st of May (November), bidding on the 15th at 09:00,
the first lot closing on the 20th at 10:00 (Shanghai time), and each lot at its session's
closing time for its number (marketplace.services.auctions.lot_closing_time).

Only the schedule moves. Bids are append-only (the ORM refuses, and on PostgreSQL the trigger
of migration 0006_bid_append_only refuses any UPDATE), so their times stay when they were
placed. Sale times stay too: licensing counts an agreement's start from them. Nothing that
drives money or deadlines moves: settlements' due dates, reminders, deposits, refunds, ledger
entries, agreements. Closing, the live pages and the catalogue's open filters look only at
published and open sessions and lots, so a closed session in the past is left alone.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from marketplace.choices import Season, SessionStatus
from marketplace.models import AuctionSession, Lot
from marketplace.services.auctions import SessionSchedule, lot_closing_time

SEASON_MONTH = {Season.SPRING: 5, Season.AUTUMN: 11}
# Spring sessions are held in the first half of the year, autumn ones in the second.
SEASON_MONTHS = {Season.SPRING: range(1, 7), Season.AUTUMN: range(7, 13)}
PAST_STATUSES = (SessionStatus.CLOSED, SessionStatus.SETTLED)


def season_schedule(year: int, season: str) -> SessionSchedule:
    """A past demo session's displayed schedule, in Shanghai time (settings.TIME_ZONE)."""
    month = SEASON_MONTH[season]

    def at(day: int, hour: int) -> datetime:
        return timezone.make_aware(datetime(year, month, day, hour, 0))

    return SessionSchedule(
        preview_start=at(1, 9), bidding_start=at(15, 9), first_lot_closes_at=at(20, 10)
    )


def is_in_own_season(session: AuctionSession) -> bool:
    bidding_start = timezone.localtime(session.bidding_start)
    return (
        bidding_start.year == session.year and bidding_start.month in SEASON_MONTHS[session.season]
    )


def past_session_move_into_season(session: AuctionSession) -> bool:
    """Set a closed demo session's schedule and its lots' closing times in its own season;
    whether anything moved.

    Demo only. Does nothing to a session not yet closed (its lots must close first) or one
    whose bidding already starts in its season (a second seed_demo run). Writes with
    .update(): no service sets the schedule of a session whose bidding has opened.
    """
    session.refresh_from_db()
    if session.status not in PAST_STATUSES or is_in_own_season(session):
        return False
    schedule = season_schedule(session.year, session.season)
    with transaction.atomic():
        AuctionSession.objects.filter(pk=session.pk).update(
            preview_start=schedule.preview_start,
            bidding_start=schedule.bidding_start,
            first_lot_closes_at=schedule.first_lot_closes_at,
        )
        session.refresh_from_db()
        for lot in session.lots.order_by("number"):
            closes_at = lot_closing_time(session, lot.number)
            Lot.objects.filter(pk=lot.pk).update(scheduled_close_at=closes_at, closes_at=closes_at)
    return True
