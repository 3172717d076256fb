"""The history demo (marketplace.demo_history.seed_history): the session two seasons back,
closed, with two lots sold after a contest and paid in full (online; by bank transfer), one
passed, the underbidders' deposits refunded, its schedule shown in its own season; run twice,
it adds and moves nothing."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.demo import seed_people
from accounts.models import Enterprise
from innovations.demo import seed_innovations
from innovations.models import Innovation, Patent
from marketplace.choices import DepositStatus, LotStatus, Season, SessionStatus
from marketplace.demo import BIDDER_CREDIT_CODES, seed_auction
from marketplace.demo_history import (
    PAID_BY_BANK_TITLE,
    PAID_ONLINE_TITLE,
    PASSED_TITLE,
    history_season,
    seed_history,
)
from marketplace.demo_settlement import _earlier_season, seed_settlement
from marketplace.models import AuctionSession, Bid, Deposit, DepositRefund, LedgerEntry, Settlement
from marketplace.models.settlement import ReceiptSource, RefundStatus, SettlementStatus
from marketplace.money import yuan_to_fen
from marketplace.services.ledger import (
    REFUNDS_PAYABLE,
    account_balance_fen,
    enterprise_deposits_account,
    platform_account,
)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            AuctionSession,
            Innovation,
            Patent,
            Deposit,
            Bid,
            Settlement,
            DepositRefund,
            LedgerEntry,
        )
    }


@pytest.fixture
def demo(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    seed_people()
    seed_innovations()
    seed_auction()
    seed_settlement()
    seed_history()


def test_the_older_session_is_closed_with_two_paid_sales_and_one_passed_lot(demo):
    year, season = history_season()
    session = AuctionSession.objects.get(year=year, season=season)
    assert session.status == SessionStatus.CLOSED
    assert AuctionSession.objects.filter(status=SessionStatus.CLOSED).count() == 2
    lots = {lot.title: lot for lot in session.lots.all()}
    assert {title: lot.status for title, lot in lots.items()} == {
        PAID_ONLINE_TITLE: LotStatus.SOLD,
        PAID_BY_BANK_TITLE: LotStatus.SOLD,
        PASSED_TITLE: LotStatus.PASSED,
    }
    first_bidder, second_bidder = (
        Enterprise.objects.get(credit_code=code) for code in BIDDER_CREDIT_CODES
    )

    online = Settlement.objects.get(lot=lots[PAID_ONLINE_TITLE])
    # 300,000 against 350,000: 300,000 + 10,000; 2% premium; the 28,000 deposit applied.
    assert (online.buyer, online.status) == (first_bidder, SettlementStatus.PAID)
    assert (online.price, online.amount_due) == (Decimal("310000.00"), Decimal("316200.00"))
    assert dict(online.receipts.values_list("source", "amount")) == {
        ReceiptSource.DEPOSIT: Decimal("28000.00"),
        ReceiptSource.STRIPE: Decimal("288200.00"),
    }

    by_bank = Settlement.objects.get(lot=lots[PAID_BY_BANK_TITLE])
    # 450,000 (the reserve) against 520,000: 450,000 + 10,000; 2%; the 40,000 deposit applied.
    assert (by_bank.buyer, by_bank.status) == (second_bidder, SettlementStatus.PAID)
    assert (by_bank.price, by_bank.amount_due) == (Decimal("460000.00"), Decimal("469200.00"))
    assert dict(by_bank.receipts.values_list("source", "amount")) == {
        ReceiptSource.DEPOSIT: Decimal("40000.00"),
        ReceiptSource.BANK_TRANSFER: Decimal("429200.00"),
    }
    assert not Settlement.objects.filter(lot=lots[PASSED_TITLE]).exists()


def test_underbidders_deposits_are_refunded_and_the_ledger_balances(demo):
    year, season = history_season()
    deposits = Deposit.objects.filter(lot__session__year=year, lot__session__season=season)
    # Both bidders paid a deposit on each of the three lots; the two winners' were applied.
    assert sorted(deposits.values_list("status", flat=True)) == sorted(
        [DepositStatus.APPLIED] * 2 + [DepositStatus.REFUNDED] * 4
    )
    refunds = DepositRefund.objects.filter(deposit__in=deposits)
    assert set(refunds.values_list("status", flat=True)) == {RefundStatus.SUCCEEDED}
    assert refunds.count() == 4

    assert sum(LedgerEntry.objects.values_list("amount_fen", flat=True)) == 0
    assert account_balance_fen(platform_account(REFUNDS_PAYABLE)) == 0
    open_session_deposits = Deposit.objects.filter(
        lot__session__status=SessionStatus.OPEN, status=DepositStatus.PAID
    )
    for code in BIDDER_CREDIT_CODES:
        enterprise = Enterprise.objects.get(credit_code=code)
        # All that is still held for the enterprise: its deposits in the open session.
        assert account_balance_fen(enterprise_deposits_account(enterprise)) == -sum(
            yuan_to_fen(deposit.amount)
            for deposit in open_session_deposits.filter(enterprise=enterprise)
        )


def test_running_it_again_adds_nothing(demo):
    first = counts()

    seed_history()

    assert counts() == first


def shown_schedule(session: AuctionSession) -> list:
    session.refresh_from_db()
    return [
        (session.preview_start, session.bidding_start, session.first_lot_closes_at),
        *session.lots.order_by("number").values_list("number", "scheduled_close_at", "closes_at"),
    ]


def test_both_past_sessions_are_shown_in_their_own_seasons_and_a_second_run_moves_nothing(demo):
    """Seeded in December 2026: autumn 2025 bids from 15 November 2025 and spring 2026 from
    15 May 2026, each first lot closing on the 20th at 10:00 and the others two minutes apart,
    all before now; the open session's schedule is the services' own."""
    now = timezone.now()
    history = AuctionSession.objects.get(year=history_season()[0], season=history_season()[1])
    earlier = AuctionSession.objects.get(year=_earlier_season()[0], season=_earlier_season()[1])
    for session in (history, earlier):
        bidding_start = timezone.localtime(session.bidding_start)
        assert bidding_start.year == session.year
        assert (bidding_start.month, bidding_start.day, bidding_start.hour) == (
            5 if session.season == Season.SPRING else 11,
            15,
            9,
        )
        assert session.preview_start < session.bidding_start < session.first_lot_closes_at < now
        closings = list(session.lots.order_by("number").values_list("closes_at", flat=True))
        assert closings == [
            session.first_lot_closes_at + session.closing_interval * position
            for position in range(len(closings))
        ]
        assert closings[-1] < now
    assert max(history.lots.values_list("closes_at", flat=True)) < earlier.preview_start
    open_session = AuctionSession.objects.get(status=SessionStatus.OPEN)
    assert open_session.bidding_start < now < open_session.first_lot_closes_at

    shown = [shown_schedule(session) for session in (history, earlier, open_session)]
    dues = list(Settlement.objects.order_by("pk").values_list("pk", "status", "due_at"))

    seed_settlement()
    seed_history()

    assert [shown_schedule(session) for session in (history, earlier, open_session)] == shown
    assert list(Settlement.objects.order_by("pk").values_list("pk", "status", "due_at")) == dues
