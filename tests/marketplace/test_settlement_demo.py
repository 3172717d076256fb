"""The settlement demo (marketplace.demo_settlement.seed_settlement): a closed earlier-season
session with a paid sale, a negotiated deal part-paid by bank, refunded deposits, its schedule
shown in its own season; run twice, it adds and moves nothing."""

from datetime import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import seed_people
from innovations.demo import seed_innovations
from marketplace import demo_settlement
from marketplace.choices import Season, SessionStatus
from marketplace.demo import seed_auction
from marketplace.demo_calendar import is_in_own_season, past_session_move_into_season
from marketplace.demo_settlement import (
    NEGOTIATED_TITLE,
    SOLD_TITLE,
    _earlier_season,
    seed_settlement,
)
from marketplace.models import (
    AuctionSession,
    Bid,
    Deposit,
    DepositRefund,
    LedgerEntry,
    Sale,
    Settlement,
)
from marketplace.models.settlement import RefundStatus, SettlementKind, SettlementStatus

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def counts() -> tuple[int, int, int]:
    return Settlement.objects.count(), DepositRefund.objects.count(), LedgerEntry.objects.count()


def test_the_demo_has_settled_sales_and_running_it_again_adds_nothing(settings):
    settings.DEBUG = True
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    call_command("seed_demo", stdout=StringIO())

    seed_settlement()
    first = counts()
    seed_settlement()

    assert counts() == first
    sold = Settlement.objects.get(lot__lot_innovations__innovation__title=SOLD_TITLE)
    assert sold.lot.session.status == SessionStatus.CLOSED
    assert (sold.kind, sold.status) == (SettlementKind.AUCTION, SettlementStatus.PAID)
    # 230,000 against 260,000: 230,000 + 10,000; 2% premium.
    assert (sold.price, sold.amount_due) == (Decimal("240000.00"), Decimal("244800.00"))
    negotiated = Settlement.objects.get(lot__lot_innovations__innovation__title=NEGOTIATED_TITLE)
    assert negotiated.kind == SettlementKind.NEGOTIATED
    assert negotiated.amount_received == Decimal("100000.00")
    assert negotiated.status == SettlementStatus.AWAITING_PAYMENT
    refunds = DepositRefund.objects.filter(deposit__lot__session=sold.lot.session)
    assert refunds.count() == 3
    assert set(refunds.values_list("status", flat=True)) == {RefundStatus.SUCCEEDED}
    assert sum(LedgerEntry.objects.values_list("amount_fen", flat=True)) == 0


def schedule(session: AuctionSession) -> list:
    session.refresh_from_db()
    return [
        (session.preview_start, session.bidding_start, session.first_lot_closes_at),
        *session.lots.order_by("number").values_list("number", "scheduled_close_at", "closes_at"),
    ]


def money_and_records() -> dict[str, list]:
    """What the calendar move must leave alone: dues and statuses, deposits, refunds, the
    ledger, and the times of bids and sales."""
    return {
        "settlements": list(
            Settlement.objects.order_by("pk").values_list(
                "pk", "status", "due_at", "amount_received"
            )
        ),
        "deposits": list(Deposit.objects.order_by("pk").values_list("pk", "status", "amount")),
        "refunds": list(DepositRefund.objects.order_by("pk").values_list("pk", "status", "amount")),
        "ledger": list(LedgerEntry.objects.order_by("pk").values_list("pk", "amount_fen")),
        "bids": list(Bid.objects.order_by("pk").values_list("pk", "created_at")),
        "sales": list(Sale.objects.order_by("pk").values_list("pk", "created_at")),
    }


def test_the_settled_session_is_shown_in_its_own_season_and_its_money_is_left_alone(
    settings, monkeypatch
):
    """Given the spring 2026 session seeded today with its calendar left as the services made
    it, when seed_settlement runs again, then its schedule is 1 / 15 / 20 May with lots
    closing two minutes apart from 20 May 10:00, and nothing about money or bids moved."""
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    monkeypatch.setattr(demo_settlement, "past_session_move_into_season", lambda session: False)
    seed_people()
    seed_innovations()
    seed_auction()
    seed_settlement()
    monkeypatch.undo()
    year, season = _earlier_season()
    session = AuctionSession.objects.get(year=year, season=season)
    assert not is_in_own_season(session)
    before = money_and_records()

    seed_settlement()

    month = 5 if season == Season.SPRING else 11
    assert schedule(session)[0] == (
        datetime(year, month, 1, 9, 0, tzinfo=SHANGHAI),
        datetime(year, month, 15, 9, 0, tzinfo=SHANGHAI),
        datetime(year, month, 20, 10, 0, tzinfo=SHANGHAI),
    )
    assert is_in_own_season(session)
    assert session.status == SessionStatus.CLOSED
    assert session.first_lot_closes_at < timezone.now()
    lots = list(session.lots.order_by("number"))
    assert [lot.closes_at for lot in lots] == [
        session.first_lot_closes_at + session.closing_interval * position
        for position in range(len(lots))
    ]
    assert all(lot.scheduled_close_at == lot.closes_at for lot in lots)
    assert money_and_records() == before
    negotiated = Settlement.objects.get(lot__lot_innovations__innovation__title=NEGOTIATED_TITLE)
    assert negotiated.status == SettlementStatus.AWAITING_PAYMENT
    assert negotiated.due_at > timezone.now()

    # The closing pass leaves the closed session and its part-paid settlement alone.
    call_command("close_lots", stdout=StringIO())
    negotiated.refresh_from_db()
    assert negotiated.status == SettlementStatus.AWAITING_PAYMENT
    shown = schedule(session)

    assert not past_session_move_into_season(session)
    seed_settlement()

    assert schedule(session) == shown
    assert money_and_records() == before
