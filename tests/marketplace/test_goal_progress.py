"""The goal figure the home page shows: what counts as a confirmed deal, the window's Shanghai
boundaries and the percent arithmetic."""

from datetime import date, datetime
from decimal import Decimal
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps

from licensing.choices import AgreementOrigin, AgreementStatus
from marketplace.goal_queries import GoalProgress, deal_volume, goal_progress
from marketplace.models import Goal
from marketplace.models.goal import GOAL_ID
from tests.factories.licensing import AgreementFactory
from tests.factories.marketplace import set_goal, sold_lot_settlement

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The migration that makes the goal row (its module name starts with a digit).
create_the_goal = import_module("marketplace.migrations.0011_goal").create_the_goal
WINDOW = {"starts_on": date(2024, 1, 1), "ends_on": date(2026, 12, 31)}


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_sales_not_defaulted_and_confirmed_negotiated_deals_count_and_nothing_else():
    sold_lot_settlement(price="50000.00", at=shanghai(2026, 5, 20, 11), status="paid")
    sold_lot_settlement(price="90000.00", at=shanghai(2026, 5, 20, 12), status="defaulted")
    AgreementFactory(
        status=AgreementStatus.SIGNED, confirmed_on=date(2026, 6, 1), deal_amount="200000.00"
    )
    # A draft is not a deal yet; an auction agreement's price is its sale, counted already.
    AgreementFactory(status=AgreementStatus.DRAFT, deal_amount="70000.00")
    auctioned = sold_lot_settlement(price="130000.00", at=shanghai(2026, 5, 20, 10))
    AgreementFactory(
        origin=AgreementOrigin.AUCTION,
        sale=auctioned.sale,
        status=AgreementStatus.SIGNED,
        confirmed_on=date(2026, 6, 1),
        deal_amount="130000.00",
    )

    assert deal_volume(**WINDOW) == Decimal("380000.00")  # 130,000 + 50,000 + 200,000


@pytest.mark.django_db
def test_a_deal_at_2359_on_the_last_day_counts_and_one_at_midnight_after_does_not():
    sold_lot_settlement(price="1000.00", at=shanghai(2026, 12, 31, 23, 59, 59))
    sold_lot_settlement(price="20000.00", at=shanghai(2027, 1, 1, 0, 0, 0))
    sold_lot_settlement(price="300000.00", at=shanghai(2023, 12, 31, 23, 59, 59))
    sold_lot_settlement(price="4000000.00", at=shanghai(2024, 1, 1, 0, 0, 0))
    AgreementFactory(
        status=AgreementStatus.ACTIVE, confirmed_on=date(2026, 12, 31), deal_amount="50.00"
    )
    AgreementFactory(
        status=AgreementStatus.ACTIVE, confirmed_on=date(2027, 1, 1), deal_amount="600.00"
    )

    assert deal_volume(**WINDOW) == Decimal("4001050.00")


@pytest.mark.parametrize(
    ("volume", "percent", "bar", "remaining"),
    [
        ("920000.00", "0.09", "0.09", "999080000.00"),
        ("250000000.00", "25.00", "25.00", "750000000.00"),
        # Never rounded up to a goal not yet reached.
        ("999999999.99", "99.99", "99.99", "0.01"),
        ("1200000000.00", "120.00", "100.00", "0.00"),
    ],
)
def test_percent_is_rounded_down_and_the_bar_stops_at_100(volume, percent, bar, remaining):
    progress = GoalProgress(amount=Decimal("1000000000.00"), volume=Decimal(volume), **WINDOW)

    assert progress.percent == Decimal(percent)
    assert progress.bar_percent == Decimal(bar)
    assert progress.remaining == Decimal(remaining)


@pytest.mark.django_db
def test_goal_progress_reads_the_goal_row():
    set_goal(amount="2000000.00", starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
    sold_lot_settlement(price="500000.00", at=shanghai(2026, 3, 1, 9))
    sold_lot_settlement(price="700000.00", at=shanghai(2026, 7, 1, 9))

    progress = goal_progress(today=date(2026, 3, 1))

    assert progress.amount == Decimal("2000000.00")
    assert (progress.starts_on, progress.ends_on) == (date(2026, 1, 1), date(2026, 6, 30))
    assert progress.volume == Decimal("500000.00")
    assert progress.percent == Decimal("25.00")


@pytest.mark.django_db
def test_the_migration_makes_the_default_goal_once():
    # A flush by a transaction=True test may have emptied the table: run the migration's step.
    Goal.objects.all().delete()
    create_the_goal(django_apps, None)
    create_the_goal(django_apps, None)

    goal = Goal.objects.get()

    assert goal.pk == GOAL_ID
    assert goal.amount == Decimal("1000000000.00")
    assert (goal.starts_on, goal.ends_on) == (date(2024, 1, 1), date(2026, 12, 31))
