"""Reminders before a balance falls due (marketplace.services.settlement_reminders): 3 days and
1 day before, once each, only while something is left to pay, recorded so that running the
pass again sends nothing more."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.models import Settlement
from marketplace.models.settlement import SettlementReminder
from marketplace.services.settlement import settlement_bank_payment_confirm
from marketplace.services.settlement_reminders import reminder_tier, settlement_reminders_send
from tests.marketplace import settlement_scenarios as scenarios
from tests.marketplace.settlement_scenarios import sold_lot

simulated_stripe = scenarios.simulated_stripe
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_stripe")]


@pytest.fixture
def sale(django_capture_on_commit_callbacks):
    """¥130,000 due with ¥10,000 applied: ¥120,000 left to pay."""
    lot, winner, _others = sold_lot(django_capture_on_commit_callbacks)
    mail.outbox = []
    return Settlement.objects.get(lot=lot), winner


def reminders_to(member) -> list:
    return [message for message in mail.outbox if member.email in message.to]


def test_a_reminder_three_days_and_one_day_before_once_each(sale):
    settlement, winner = sale
    due = settlement.due_at

    assert settlement_reminders_send(now=due - timedelta(days=3, seconds=1)) == 0
    assert settlement_reminders_send(now=due - timedelta(days=3)) == 1
    assert settlement_reminders_send(now=due - timedelta(days=2)) == 0
    assert settlement_reminders_send(now=due - timedelta(days=1, seconds=1)) == 0
    assert settlement_reminders_send(now=due - timedelta(days=1)) == 1
    assert settlement_reminders_send(now=due - timedelta(hours=1)) == 0

    assert sorted(settlement.reminders.values_list("days_before", flat=True)) == [1, 3]
    three_days, one_day = reminders_to(winner)
    english = three_days.body.split("\n\n———\n\n")[1]
    local_due = f"{timezone.localtime(settlement.due_at):%Y-%m-%d %H:%M}"
    assert "falls due in 3 days" in english
    assert (
        "Of ¥130,000.00 due, including the buyer's premium, ¥120,000.00 remains to pay." in english
    )
    assert f"Please pay by {local_due} (Shanghai time)" in english
    assert f"http://testserver/purchases/{settlement.pk}/" in english
    assert "falls due in 1 day." in one_day.body.split("\n\n———\n\n")[1]


def test_a_settlement_opened_close_to_its_due_time_gets_only_the_nearer_reminder(sale):
    settlement, winner = sale

    assert settlement_reminders_send(now=settlement.due_at - timedelta(hours=20)) == 1

    assert list(settlement.reminders.values_list("days_before", flat=True)) == [1]
    assert len(reminders_to(winner)) == 1


def test_no_reminder_once_paid_or_overdue(sale, union_staff):
    settlement, _winner = sale

    assert settlement_reminders_send(now=settlement.due_at + timedelta(seconds=1)) == 0
    settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="120000.00", bank_reference="A"
    )
    assert settlement_reminders_send(now=settlement.due_at - timedelta(days=1)) == 0
    assert not SettlementReminder.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("hours_before", "tier"),
    [(73, None), (72, 3), (25, 3), (24, 1), (1, 1), (0, None), (-1, None)],
)
def test_the_tier_a_moment_falls_in(hours_before, tier):
    due = datetime(2026, 3, 13, 23, 59, 59, tzinfo=ZoneInfo("Asia/Shanghai"))

    assert reminder_tier(due, due - timedelta(hours=hours_before)) == tier
