"""Progress toward the ¥1bn goal, as the public home page shows it.

Transaction volume is the sum of confirmed deals inside the goal's window: the price of every
settlement that did not default (auction sales, runner-up offers, negotiated sales of passed
lots) plus the deal amount of every confirmed negotiated agreement. Auction agreements are not
added: their sale is already counted. The window's days are Shanghai days, so a deal at 23:59
on the last day counts.

The goal's amount and window are settings for now (GOAL_AMOUNT, GOAL_STARTS_ON, GOAL_ENDS_ON);
the goal tracker for staff (issue 8) makes them editable.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from licensing.models import Agreement
from marketplace.models import Settlement
from marketplace.money import quantize_yuan

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class GoalProgress:
    amount: Decimal
    starts_on: date
    ends_on: date
    volume: Decimal

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


def _shanghai_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def deal_volume(*, starts_on: date, ends_on: date) -> Decimal:
    """Confirmed deals from 00:00 on `starts_on` to 24:00 on `ends_on`, Shanghai time."""
    sales = Settlement.objects.counting_toward_goal().filter(
        created_at__gte=_shanghai_midnight(starts_on),
        created_at__lt=_shanghai_midnight(ends_on + timedelta(days=1)),
    )
    negotiated = (
        Agreement.objects.confirmed()
        .negotiated()
        .filter(confirmed_on__gte=starts_on, confirmed_on__lte=ends_on)
    )
    sales_total = sales.aggregate(total=Sum("price"))["total"] or ZERO
    negotiated_total = negotiated.aggregate(total=Sum("deal_amount"))["total"] or ZERO
    return quantize_yuan(sales_total + negotiated_total)


def goal_progress() -> GoalProgress:
    starts_on = date.fromisoformat(settings.GOAL_STARTS_ON)
    ends_on = date.fromisoformat(settings.GOAL_ENDS_ON)
    return GoalProgress(
        amount=quantize_yuan(Decimal(settings.GOAL_AMOUNT)),
        starts_on=starts_on,
        ends_on=ends_on,
        volume=deal_volume(starts_on=starts_on, ends_on=ends_on),
    )
