"""What the auction's winner is told when the lot closes: the amount due with the buyer's
premium, the deposit applied, the balance, the due date in Shanghai time and where to pay."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from marketplace.models import Settlement
from tests.marketplace import settlement_scenarios as scenarios
from tests.marketplace.settlement_scenarios import sold_lot

simulated_stripe = scenarios.simulated_stripe
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_stripe")]

SHANGHAI = ZoneInfo("Asia/Shanghai")


def winners_email(winner):
    [email] = [message for message in mail.outbox if winner.email in message.to]
    return email


def test_the_winner_is_told_the_amount_due_with_the_premium_and_the_due_date(
    settings, django_capture_on_commit_callbacks
):
    settings.SETTLEMENT_DUE_DAYS = 10
    # Sold at 130,000 (120,000 + one 10,000 increment); 1.25% premium = 1,625.00.
    lot, winner, _others = sold_lot(django_capture_on_commit_callbacks, premium_rate="0.0125")

    settlement = Settlement.objects.get(lot=lot)
    assert settlement.amount_due == Decimal("131625.00")
    chinese, english = winners_email(winner).body.split("\n\n———\n\n")
    due_day = (lot.closes_at.astimezone(SHANGHAI) + timedelta(days=10)).date()
    for part in (chinese, english):
        assert "¥130,000.00" in part  # the hammer price
        assert "¥1,625.00" in part  # the buyer's premium
        assert "¥131,625.00" in part  # the amount due
        assert "¥10,000.00" in part  # the deposit applied
        assert "¥121,625.00" in part  # the balance
        assert f"{due_day:%Y-%m-%d} 23:59" in part
        assert "http://testserver/purchases/" in part
    assert "With the buyer's premium of ¥1,625.00, the amount due is ¥131,625.00." in english
    assert f"Please pay the balance by {due_day:%Y-%m-%d} 23:59 (Shanghai time)" in english
    # The email and the settlement agree on the due date.
    assert settlement.due_at.astimezone(SHANGHAI).date() == due_day


def test_a_deposit_that_covers_the_price_asks_for_no_payment(
    django_capture_on_commit_callbacks,
):
    # A ¥5,000 lot with a ¥8,000 deposit: ¥5,000 applied, nothing left to pay.
    lot, winner, _others = sold_lot(
        django_capture_on_commit_callbacks,
        starting_price="5000.00",
        deposit="8000.00",
        winner_max="6000.00",
        others=(),
    )

    english = winners_email(winner).body.split("\n\n———\n\n")[1]
    assert "Your deposit of ¥5,000.00 is applied to it; ¥0.00 remains to pay." in english
    assert "Please pay the balance" not in english
