"""Volume over time: by month (cumulative, against the straight pace line to the goal), by
year, and by auction session: sums over the report's DealCube (cube.py).

The cumulative figure counts from the goal's first day, whatever the range shown: a range
that starts later opens with the volume (same session, category and district) from the goal's
start to the day before (one query), so the line and the pace line compare like with
like. The pace line runs from 0 on the goal's first day to the goal's amount at the end of its
last day, in proportion to days elapsed; a month's pace figure is the line's height at the end
of that month (or of the window, in its last month).
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.goal_report.cube import DealCube, Total
from marketplace.goal_report.deals import DealFilter, deals
from marketplace.models import AuctionSession
from marketplace.money import quantize_yuan

ZERO = Decimal("0.00")
NEGOTIATED_LABEL = _("Negotiated deals (no session)")


@dataclass(frozen=True)
class MonthPoint:
    month: date  # the first day of the month
    count: int
    volume: Decimal
    cumulative: Decimal | None  # None for months that have not begun
    pace: Decimal


@dataclass(frozen=True)
class SessionVolume:
    session: AuctionSession | None  # None: the negotiated agreements
    label: str
    count: int
    amount: Decimal


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def pace_at(*, amount: Decimal, starts_on: date, ends_on: date, day_end: date) -> Decimal:
    """Where the straight line from 0 to `amount` stands at the end of `day_end`."""
    total_days = (ends_on - starts_on).days + 1
    elapsed = min(max((day_end - starts_on).days + 1, 0), total_days)
    return quantize_yuan(amount * elapsed / total_days)


def monthly(
    cube: DealCube, *, goal_amount: Decimal, goal_starts_on: date, goal_ends_on: date
) -> list[MonthPoint]:
    """One point per month of the filter's range, the pace line being the goal's."""
    deal_filter = cube.deal_filter
    by_month = cube.totals("month")

    today = timezone.localdate()
    points = []
    cumulative = ZERO
    if deal_filter.starts_on > goal_starts_on:
        cumulative = total_volume(
            replace(
                deal_filter,
                starts_on=goal_starts_on,
                ends_on=deal_filter.starts_on - timedelta(days=1),
            )
        )
    month = _month_start(deal_filter.starts_on)
    while month <= deal_filter.ends_on:
        total = by_month.get(month, Total(0, ZERO))
        cumulative += total.amount
        month_end = min(_next_month(month) - timedelta(days=1), goal_ends_on)
        points.append(
            MonthPoint(
                month=month,
                count=total.count,
                volume=quantize_yuan(total.amount),
                cumulative=quantize_yuan(cumulative) if month <= today else None,
                pace=pace_at(
                    amount=goal_amount,
                    starts_on=goal_starts_on,
                    ends_on=goal_ends_on,
                    day_end=month_end,
                ),
            )
        )
        month = _next_month(month)
    return points


def total_volume(deal_filter: DealFilter) -> Decimal:
    """The volume of the filter's deals: one aggregate query."""
    return quantize_yuan(deals(deal_filter).aggregate(total=Sum("amount"))["total"] or ZERO)


def yearly(points: list[MonthPoint]) -> list[tuple[int, int, Decimal]]:
    """(year, deals, volume) from the monthly points."""
    counts: dict[int, int] = defaultdict(int)
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for point in points:
        counts[point.month.year] += point.count
        totals[point.month.year] += point.volume
    return [(year, counts[year], quantize_yuan(totals[year])) for year in sorted(counts)]


def by_session(cube: DealCube) -> list[SessionVolume]:
    """Volume per auction session (oldest first), then the negotiated agreements, which belong
    to none: the rows add up to the whole."""
    by_session_id = cube.totals("session_id")
    sessions = AuctionSession.objects.in_bulk([pk for pk in by_session_id if pk is not None])
    rows = [
        SessionVolume(
            session=sessions[pk],
            label=sessions[pk].name,
            count=total.count,
            amount=quantize_yuan(total.amount),
        )
        for pk, total in by_session_id.items()
        if pk is not None
    ]
    rows.sort(key=lambda row: (row.session.year, row.session.season != "spring", row.session.pk))
    negotiated = by_session_id.get(None)
    if negotiated is not None:
        rows.append(
            SessionVolume(
                session=None,
                label=str(NEGOTIATED_LABEL),
                count=negotiated.count,
                amount=quantize_yuan(negotiated.amount),
            )
        )
    return rows
