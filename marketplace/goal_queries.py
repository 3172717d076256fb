"""Progress toward the union's goal: the one place its figures are worked out.

The home page, the public goal page (/goal/), GET /api/v1/goal and the staff report all read
`goal_progress()`. The goal itself (amount and window) is the `Goal` row staff edit.

Definitions (DESIGN.md "The goal"; README "The goal tracker"):

- **Volume**: the sum of confirmed deals inside the window — the price of every settlement that
  did not default (auction sales, runner-up offers, negotiated sales of passed lots) plus the
  deal amount of every confirmed (signed, in force or expired) negotiated agreement. Auction
  agreements are not added: their sale is already counted. The window's days are Shanghai
  days, so a deal at 23:59 on the last day counts.
- **Settled**: the part of that volume actually paid, whenever the money arrived. For a
  settlement, `amount_received` (deposit applied, online and bank receipts) counted up to its
  price: the buyer's premium is not volume, so money goes to the price first and a settlement
  paid in full adds exactly its price. For a negotiated agreement, its income records that were
  not reversed, counted up to its deal amount (royalties can run past the price; the excess is
  income, not settlement of this deal). Defaulted settlements count for neither figure. So
  settled ≤ volume, deal by deal.
- **Sessions**: two a year, spring (the half-year from 1 January) and autumn (from 1 July). The
  window's session slots are the half-years it touches (2024-01-01..2026-12-31: six). A slot is
  *held* when its auction session is closed or settled; it is *left* when it is not held and
  can still be: its half-year has not ended by `today`, or its session is already published or
  open. A slot whose half-year passed without a session is neither (it is missed).
- **Average needed per remaining session**: remaining ÷ sessions left, rounded up to the fen
  (meeting it reaches the goal); none when no session is left.
- **Projection at the current pace**: volume ÷ elapsed days × window days, rounded down to the
  fen. Elapsed days count the window's Shanghai days up to and including `today` (at most the
  whole window); none before the window opens.
- **On track**: the projection reaches the amount (always so once the goal is reached); none
  before the window opens.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext

from innovations.templatetags.money import yuan
from licensing.models import Agreement, IncomeRecord
from marketplace.choices import Season, SessionStatus
from marketplace.models import AuctionSession, Goal, Settlement
from marketplace.money import FEN, quantize_yuan

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
HELD_STATUSES = (SessionStatus.CLOSED, SessionStatus.SETTLED)
# Scheduled for a half-year that has ended, e.g. an autumn session still open in January.
LIVE_STATUSES = (SessionStatus.PUBLISHED, SessionStatus.OPEN)


class GoalStatus:
    REACHED = "reached"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"
    NOT_STARTED = "not_started"


def shanghai_today() -> date:
    return timezone.localdate(timezone.now(), timezone.get_default_timezone())


@dataclass(frozen=True)
class GoalProgress:
    amount: Decimal
    starts_on: date
    ends_on: date
    volume: Decimal
    settled: Decimal = ZERO
    sessions_held: int = 0
    sessions_left: int = 0
    today: date = field(default_factory=shanghai_today)

    @property
    def percent(self) -> Decimal:
        """Share of the goal reached, rounded down to a hundredth of a percent (never
        overstated: 99.999% is not shown as 100%)."""
        if self.amount <= 0:
            return Decimal("0.00")
        return (self.volume * 100 / self.amount).quantize(Decimal("0.01"), rounding=ROUND_DOWN)

    @property
    def bar_percent(self) -> Decimal:
        """How full the progress bar is drawn: the percent, at most 100."""
        return min(self.percent, Decimal("100.00"))

    @property
    def remaining(self) -> Decimal:
        return max(self.amount - self.volume, ZERO)

    @property
    def window_days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def elapsed_days(self) -> int:
        """Window days up to and including today: 0 before it opens, all of them after."""
        return min(max((self.today - self.starts_on).days + 1, 0), self.window_days)

    @property
    def average_needed(self) -> Decimal | None:
        """What each remaining session must bring in, rounded up to the fen."""
        if self.sessions_left == 0:
            return None
        return (self.remaining / self.sessions_left).quantize(FEN, rounding=ROUND_UP)

    @property
    def projection(self) -> Decimal | None:
        """Volume at the end of the window if deals keep coming at the pace so far."""
        if self.elapsed_days == 0:
            return None
        pace_total = self.volume * self.window_days / self.elapsed_days
        return pace_total.quantize(FEN, rounding=ROUND_DOWN)

    @property
    def on_track(self) -> bool | None:
        projection = self.projection
        return None if projection is None else projection >= self.amount

    @property
    def status(self) -> str:
        if self.volume >= self.amount:
            return GoalStatus.REACHED
        if self.elapsed_days == 0:
            return GoalStatus.NOT_STARTED
        if self.on_track:
            return GoalStatus.ON_TRACK
        if self.today > self.ends_on:
            return GoalStatus.MISSED
        return GoalStatus.BEHIND

    @property
    def status_text(self) -> str:
        """The status in plain words, in the active language."""
        status = self.status
        if status == GoalStatus.REACHED:
            return gettext("Goal reached")
        if status == GoalStatus.NOT_STARTED:
            return gettext("Not started: the goal's window opens on %(date)s") % {
                "date": self.starts_on.isoformat()
            }
        if status == GoalStatus.ON_TRACK:
            return gettext("On track")
        if status == GoalStatus.MISSED:
            return gettext("Not reached: the goal's window ended on %(date)s") % {
                "date": self.ends_on.isoformat()
            }
        if self.average_needed is None:
            return gettext("Behind, and no auction session is left in the window")
        return gettext("Behind: needs %(amount)s a session") % {"amount": yuan(self.average_needed)}


def _shanghai_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def window_settlements(starts_on: date, ends_on: date):
    """The settlements that count as deals of the window (the one rule; the report reads it)."""
    return Settlement.objects.counting_toward_goal().filter(
        created_at__gte=_shanghai_midnight(starts_on),
        created_at__lt=_shanghai_midnight(ends_on + timedelta(days=1)),
    )


def window_agreements(starts_on: date, ends_on: date):
    """The negotiated agreements that count as deals of the window."""
    return (
        Agreement.objects.confirmed()
        .negotiated()
        .filter(confirmed_on__gte=starts_on, confirmed_on__lte=ends_on)
    )


def deal_totals(*, starts_on: date, ends_on: date) -> tuple[Decimal, Decimal]:
    """(volume, settled) of the window, in two aggregate queries (see the module docstring)."""
    sales = window_settlements(starts_on, ends_on).aggregate(
        volume=Sum("price"),
        settled=Sum(Least("amount_received", "price"), output_field=MONEY_FIELD),
    )
    income = (
        IncomeRecord.objects.filter(agreement=OuterRef("pk"), reversal__isnull=True)
        .order_by()
        .values("agreement")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    received = Coalesce(Subquery(income, output_field=MONEY_FIELD), Value(ZERO))
    negotiated = window_agreements(starts_on, ends_on).aggregate(
        volume=Sum("deal_amount"),
        settled=Sum(Least(received, F("deal_amount")), output_field=MONEY_FIELD),
    )
    volume = (sales["volume"] or ZERO) + (negotiated["volume"] or ZERO)
    settled = (sales["settled"] or ZERO) + (negotiated["settled"] or ZERO)
    return quantize_yuan(Decimal(volume)), quantize_yuan(Decimal(settled))


def deal_volume(*, starts_on: date, ends_on: date) -> Decimal:
    """Confirmed deals from 00:00 on `starts_on` to 24:00 on `ends_on`, Shanghai time."""
    return deal_totals(starts_on=starts_on, ends_on=ends_on)[0]


@dataclass(frozen=True)
class SessionSlot:
    year: int
    season: str

    @property
    def starts_on(self) -> date:
        return date(self.year, 1 if self.season == Season.SPRING else 7, 1)

    @property
    def ends_on(self) -> date:
        if self.season == Season.SPRING:
            return date(self.year, 6, 30)
        return date(self.year, 12, 31)


def session_slots(*, starts_on: date, ends_on: date) -> list[SessionSlot]:
    """The half-years the window touches, in order: one auction session each."""
    slots = []
    for year in range(starts_on.year, ends_on.year + 1):
        for season in (Season.SPRING, Season.AUTUMN):
            slot = SessionSlot(year, season)
            if slot.starts_on <= ends_on and slot.ends_on >= starts_on:
                slots.append(slot)
    return slots


def session_counts(*, starts_on: date, ends_on: date, today: date) -> tuple[int, int]:
    """(held, left) auction sessions of the window, as defined in the module docstring."""
    slots = session_slots(starts_on=starts_on, ends_on=ends_on)
    statuses = dict(
        ((year, season), status)
        for year, season, status in AuctionSession.objects.filter(
            year__gte=starts_on.year, year__lte=ends_on.year
        ).values_list("year", "season", "status")
    )
    held = left = 0
    for slot in slots:
        status = statuses.get((slot.year, slot.season))
        if status in HELD_STATUSES:
            held += 1
        elif slot.ends_on >= today or status in LIVE_STATUSES:
            left += 1
    return held, left


def goal_progress(*, today: date | None = None, goal: Goal | None = None) -> GoalProgress:
    """Every figure of the goal as of `today` (Shanghai; tests pass it). Four queries."""
    goal = goal or Goal.objects.current()
    today = today or shanghai_today()
    volume, settled = deal_totals(starts_on=goal.starts_on, ends_on=goal.ends_on)
    held, left = session_counts(starts_on=goal.starts_on, ends_on=goal.ends_on, today=today)
    return GoalProgress(
        amount=quantize_yuan(Decimal(goal.amount)),
        starts_on=goal.starts_on,
        ends_on=goal.ends_on,
        volume=volume,
        settled=settled,
        sessions_held=held,
        sessions_left=left,
        today=today,
    )
