"""Volume over time: by month (cumulative, against the straight pace line to the goal), by
year, and by auction session. Two GROUP BY queries for the months, two for the sessions.

The cumulative figure counts from the goal's first day, whatever the range shown: a range
that starts later opens with the volume (same session, category and district) from the goal's
start to the day before (two more queries), so the line and the pace line compare like with
like. The pace line runs from 0 on the goal's first day to the goal's amount at the end of its
last day, in proportion to days elapsed; a month's pace figure is the line's height at the end
of that month (or of the window, in its last month).
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.goal_report.deals import DealFilter, confirmed_agreements, confirmed_sales
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
    deal_filter: DealFilter, *, goal_amount: Decimal, goal_starts_on: date, goal_ends_on: date
) -> list[MonthPoint]:
    """One point per month of the filter's range, the pace line being the goal's."""
    shanghai = timezone.get_default_timezone()
    volumes: dict[date, Decimal] = defaultdict(lambda: ZERO)
    counts: dict[date, int] = defaultdict(int)
    sales = (
        confirmed_sales(deal_filter)
        .annotate(month=TruncMonth("created_at", tzinfo=shanghai))
        .values("month")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by()
    )
    agreements = (
        confirmed_agreements(deal_filter)
        .annotate(month=TruncMonth("confirmed_on"))
        .values("month")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by()
    )
    for group in [*sales, *agreements]:
        month = group["month"]
        month = month.date() if hasattr(month, "date") else month
        volumes[month] += group["total"] or ZERO
        counts[month] += group["count"]

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
        cumulative += volumes[month]
        month_end = min(_next_month(month) - timedelta(days=1), goal_ends_on)
        points.append(
            MonthPoint(
                month=month,
                count=counts[month],
                volume=quantize_yuan(volumes[month]),
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
    """The volume of the filter's deals: one aggregate query for each kind of deal."""
    sales = confirmed_sales(deal_filter).aggregate(total=Sum("amount"))["total"] or ZERO
    negotiated = confirmed_agreements(deal_filter).aggregate(total=Sum("amount"))["total"] or ZERO
    return quantize_yuan(sales + negotiated)


def yearly(points: list[MonthPoint]) -> list[tuple[int, int, Decimal]]:
    """(year, deals, volume) from the monthly points."""
    counts: dict[int, int] = defaultdict(int)
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for point in points:
        counts[point.month.year] += point.count
        totals[point.month.year] += point.volume
    return [(year, counts[year], quantize_yuan(totals[year])) for year in sorted(counts)]


def by_session(deal_filter: DealFilter) -> list[SessionVolume]:
    """Volume per auction session (oldest first), then the negotiated agreements, which belong
    to none: the rows add up to the whole."""
    grouped = list(
        confirmed_sales(deal_filter)
        .values("lot__session_id")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by()
    )
    sessions = AuctionSession.objects.in_bulk([group["lot__session_id"] for group in grouped])
    rows = [
        SessionVolume(
            session=sessions[group["lot__session_id"]],
            label=sessions[group["lot__session_id"]].name,
            count=group["count"],
            amount=quantize_yuan(group["total"] or ZERO),
        )
        for group in grouped
    ]
    rows.sort(key=lambda row: (row.session.year, row.session.season != "spring", row.session.pk))
    negotiated = confirmed_agreements(deal_filter).aggregate(count=Count("pk"), total=Sum("amount"))
    if negotiated["count"]:
        rows.append(
            SessionVolume(
                session=None,
                label=str(NEGOTIATED_LABEL),
                count=negotiated["count"],
                amount=quantize_yuan(negotiated["total"] or ZERO),
            )
        )
    return rows
