"""Licensing under concurrent staff: certificate numbers and payouts (PostgreSQL row locks).
Real threads, real connections."""

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection

from accounts.choices import Role
from licensing.choices import AgreementStatus, IncomeKind
from licensing.exceptions import IncomeReversalPaidOutError, PayoutAboveOwedError
from licensing.models import (
    Agreement,
    AgreementEvent,
    IncomeReversal,
    Payout,
    TransactionCertificate,
)
from licensing.payable_accounts import worker_payable_account
from licensing.services.agreements import agreement_sign, agreements_expire_due
from licensing.services.income import income_record
from licensing.services.income_reversals import income_reverse
from licensing.services.payouts import owed, payout_batch_create, payout_record, pending_total
from licensing.services.profit_sharing import proceeds_share
from tests.factories.accounts import UserFactory
from tests.factories.licensing import AgreementFactory, PayoutProfileFactory, approved_innovation

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers and select_for_update() is a no-op there, so a "
        "race cannot happen; run with DATABASE_URL=postgres://… to test the row locks.",
    ),
    # Flush only the licensing tables afterwards (Wagtail's pages must survive); the rows this
    # test makes in other apps (users, innovations, the ledger) go by committed_rows_cleanup.
    pytest.mark.django_db(transaction=True, available_apps=["licensing"]),
]

SIGNERS = 8


def run_together(targets) -> list[Exception]:
    """Start every callable at the same moment, each in its own thread and connection; return
    what they raised."""
    barrier = threading.Barrier(len(targets))
    outcomes: list[Exception] = []

    def run(target):
        try:
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_eight_agreements_signed_at_once_get_unique_gapless_numbers(
    committed_rows_cleanup, union_staff
):
    agreements = [AgreementFactory() for _ in range(SIGNERS)]
    # A year no other test signs in, so its counter starts here.
    day = date(2031, 3, 1)

    errors = run_together(
        [
            lambda agreement=agreement: agreement_sign(
                agreement=agreement, actor=union_staff, on=day
            )
            for agreement in agreements
        ]
    )

    assert errors == []
    certificates = TransactionCertificate.objects.filter(year=2031)
    assert sorted(certificates.values_list("sequence", flat=True)) == list(range(1, SIGNERS + 1))
    assert len(set(certificates.values_list("number", flat=True))) == SIGNERS
    assert set(certificates.values_list("agreement_id", flat=True)) == {a.pk for a in agreements}
    statuses = Agreement.objects.filter(pk__in=[a.pk for a in agreements]).values_list(
        "status", flat=True
    )
    assert set(statuses) == {AgreementStatus.SIGNED}


@pytest.fixture
def owed_420(committed_rows_cleanup):
    """A worker owed ¥420.00 (60% of the inventors' 70% of ¥1,000.00), with bank details."""
    alice, bob = UserFactory(role=Role.WORKER), UserFactory(role=Role.WORKER)
    innovation = approved_innovation(inventors=[(alice, "60"), (bob, "40")])
    proceeds_share(
        innovations=[innovation], amount=Decimal("1000.00"), source_label="t", idempotency_key="t"
    )
    PayoutProfileFactory(user=alice)
    return worker_payable_account(alice)


def single_payout(account, staff, reference):
    return lambda: payout_record(
        account=account,
        amount=Decimal("300.00"),
        reference=reference,
        paid_on=date(2026, 8, 1),
        recorded_by=staff,
    )


def batch_line(account, staff):
    return lambda: payout_batch_create(created_by=staff, amounts=[(account, Decimal("300.00"))])


@pytest.mark.parametrize("second", ["single", "batch"])
def test_two_payouts_at_once_cannot_together_exceed_what_is_owed(owed_420, union_staff, second):
    account = owed_420
    other = (
        single_payout(account, union_staff, "B-2")
        if second == "single"
        else batch_line(account, union_staff)
    )

    errors = run_together([single_payout(account, union_staff, "B-1"), other])

    assert len(errors) == 1 and isinstance(errors[0], PayoutAboveOwedError), errors
    payouts = Payout.objects.filter(account=account)
    assert [payout.amount for payout in payouts] == [Decimal("300.00")]
    # Paid, or held in an unpaid batch: either way only ¥120.00 is left to pay.
    assert owed(account) - pending_total(account) == Decimal("120.00")


def test_a_reversal_and_a_payout_at_once_cannot_both_take_the_same_money(
    committed_rows_cleanup, union_staff
):
    alice = UserFactory(role=Role.WORKER)
    agreement = AgreementFactory(
        status=AgreementStatus.ACTIVE,
        confirmed_on=date(2026, 5, 1),
        innovations=[approved_innovation(inventors=[(alice, "100")])],
    )
    income = income_record(
        agreement=agreement,
        kind=IncomeKind.ROYALTY,
        amount=Decimal("1000.00"),
        received_on=date(2026, 7, 1),
        reference="R-1",
        recorded_by=union_staff,
    )
    account = worker_payable_account(alice)  # owed ¥700.00, all from this income

    errors = run_together(
        [
            single_payout(account, union_staff, "B-1"),
            lambda: income_reverse(income=income, reason="Recorded twice", actor=union_staff),
        ]
    )

    assert len(errors) == 1, errors
    if isinstance(errors[0], PayoutAboveOwedError):  # the reversal went first
        assert IncomeReversal.objects.filter(income=income).exists()
        assert owed(account) == Decimal("0.00")
    else:  # the payout went first; the reversal would leave Alice owing the platform
        assert isinstance(errors[0], IncomeReversalPaidOutError)
        assert not IncomeReversal.objects.exists()
        assert owed(account) == Decimal("400.00")


def test_two_close_lots_passes_at_once_expire_each_agreement_once(committed_rows_cleanup):
    agreements = [
        AgreementFactory(
            status=AgreementStatus.ACTIVE, confirmed_on=date(2026, 5, 1), term_end=date(2031, 4, 30)
        )
        for _ in range(3)
    ]
    counts: list[int] = []
    now = datetime(2031, 5, 1, 1, 0, tzinfo=UTC)

    errors = run_together([lambda: counts.append(agreements_expire_due(now=now))] * 2)

    assert errors == []
    assert sum(counts) == 3
    assert set(Agreement.objects.values_list("status", flat=True)) == {AgreementStatus.EXPIRED}
    for agreement in agreements:
        assert AgreementEvent.objects.filter(agreement=agreement).count() == 1
