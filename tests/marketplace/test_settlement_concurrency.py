"""Payments for one settlement arriving at once: two staff members confirm a bank transfer of
the whole balance while Stripe delivers a paid balance checkout. The settlement row lock lets
exactly one count; it is never overpaid and every ledger transaction balances. And two
close_lots passes at once send a payment reminder once. Real threads, real connections
(PostgreSQL)."""

import contextlib
import threading
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Sum

import config.urls  # noqa: F401 - see below
from accounts.choices import Role
from marketplace.exceptions import SettlementNotPayableError, SettlementOverpaymentError
from marketplace.models import LedgerEntry, Settlement
from marketplace.models.settlement import ReceiptSource, SettlementStatus
from marketplace.money import yuan_to_fen
from marketplace.services import deposits
from marketplace.services.ledger import PLATFORM_CLEARING, PROCEEDS_TO_SHARE, REFUNDS_PAYABLE
from marketplace.services.settlement import (
    balance_checkout_metadata,
    settlement_bank_payment_confirm,
    settlement_checkout_start,
)
from marketplace.services.settlement_reminders import settlement_reminders_send
from tests.factories.accounts import UserFactory
from tests.marketplace.settlement_scenarios import balance, ledger_sums_to_zero, sold_lot

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers and select_for_update() is a no-op there, so a "
        "race cannot happen; run with DATABASE_URL=postgres://… to test the settlement lock.",
    ),
    # Flush only the marketplace tables afterwards; committed_rows_cleanup deletes the rest.
    pytest.mark.django_db(transaction=True, available_apps=["marketplace"]),
]

# config.urls imports Wagtail's models; it is loaded above, before available_apps narrows the
# app registry, or the first email's reverse() fails when this file runs alone.

REFUSALS = (SettlementOverpaymentError, SettlementNotPayableError)


def no_capture(execute=True):
    """Committed tests run their after-commit work for real; nothing to capture."""
    return contextlib.nullcontext()


@pytest.fixture
def racing_payments(settings, committed_rows_cleanup):
    """A ¥120,000 balance, an open balance checkout for it, and two staff members."""
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    lot, winner, _others = sold_lot(no_capture)
    settlement = Settlement.objects.get(lot=lot)
    checkout = settlement_checkout_start(user=winner, settlement=settlement)
    staff = [UserFactory(role=Role.UNION_STAFF) for _ in range(2)]
    return settlement, checkout, staff


def paid_checkout_event(checkout) -> dict:
    return {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": checkout.stripe_session_id,
                "payment_status": "paid",
                "payment_intent": "pi_test_race",
                "amount_total": checkout.amount_fen,
                "currency": "cny",
                "metadata": balance_checkout_metadata(checkout),
            }
        },
    }


def run_together(jobs: dict[str, callable]) -> dict[str, object]:
    """Start every job at the same instant, each on its own connection; name → result/error."""
    start = threading.Barrier(len(jobs))
    outcomes: dict[str, object] = {}

    def run(name, job):
        try:
            start.wait()
            outcomes[name] = job()
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            outcomes[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_bank_transfers_and_a_stripe_payment_at_once_pay_the_balance_once(
    racing_payments,
):
    settlement, checkout, [first_staff, second_staff] = racing_payments
    assert settlement.balance == 120_000  # yuan
    clearing_before = balance(PLATFORM_CLEARING)
    refunds_payable_before = balance(REFUNDS_PAYABLE)

    outcomes = run_together(
        {
            "bank A": lambda: settlement_bank_payment_confirm(
                staff_user=first_staff,
                settlement=settlement,
                amount="120000.00",
                bank_reference="BANK-A",
            ),
            "bank B": lambda: settlement_bank_payment_confirm(
                staff_user=second_staff,
                settlement=settlement,
                amount="120000.00",
                bank_reference="BANK-B",
            ),
            "stripe": lambda: deposits.stripe_event_handle(paid_checkout_event(checkout)),
        }
    )

    # Each bank confirmation either recorded its receipt or was refused as an overpayment
    # (or because the settlement was already paid); nothing else went wrong.
    for name in ("bank A", "bank B"):
        outcome = outcomes[name]
        assert not isinstance(outcome, Exception) or isinstance(outcome, REFUSALS), outcomes
    assert not isinstance(outcomes["stripe"], Exception), outcomes["stripe"]

    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.PAID
    assert settlement.amount_received == settlement.amount_due
    receipts = list(settlement.receipts.exclude(source=ReceiptSource.DEPOSIT))
    assert len(receipts) == 1, receipts  # exactly one of the three payments counted
    assert sum(r.amount for r in settlement.receipts.all()) == settlement.amount_due
    [counted] = receipts
    stripe_counted = counted.source == ReceiptSource.STRIPE
    refused = [name for name in ("bank A", "bank B") if isinstance(outcomes[name], Exception)]
    assert len(refused) == (2 if stripe_counted else 1)

    # Stripe took the money whatever happened; when a bank transfer won, that money is owed
    # back to the buyer (refunds payable), never counted toward the price.
    taken_by_stripe = checkout.amount_fen
    bank_counted = 0 if stripe_counted else yuan_to_fen(counted.amount)
    assert balance(PLATFORM_CLEARING) - clearing_before == taken_by_stripe + bank_counted
    owed_back = 0 if stripe_counted else -taken_by_stripe
    assert balance(REFUNDS_PAYABLE) - refunds_payable_before == owed_back
    # The price was shared out once, and the premium (none here) booked: nothing is left.
    assert balance(PROCEEDS_TO_SHARE) == 0
    per_transaction = LedgerEntry.objects.values("transaction_id").annotate(net=Sum("amount_fen"))
    assert all(row["net"] == 0 for row in per_transaction)
    assert ledger_sums_to_zero()


def test_two_passes_at_once_send_a_reminder_once(settings, committed_rows_cleanup):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    lot, winner, _others = sold_lot(no_capture)
    settlement = Settlement.objects.get(lot=lot)
    mail.outbox = []
    moment = settlement.due_at - timedelta(days=2)

    outcomes = run_together(
        {n: lambda: settlement_reminders_send(now=moment) for n in ("pass 1", "pass 2")}
    )

    assert sorted(outcomes.values()) == [0, 1]
    assert list(settlement.reminders.values_list("days_before", flat=True)) == [3]
    assert [message.to for message in mail.outbox] == [[winner.email]]
