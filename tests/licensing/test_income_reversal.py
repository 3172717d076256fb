"""Income recorded by mistake is taken back by reversing entries, never an edit or a delete;
refused once part of someone's share is paid out beyond what they are still owed."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.choices import Role
from licensing.choices import AgreementStatus, IncomeKind
from licensing.exceptions import (
    IncomeAlreadyReversedError,
    IncomeReversalPaidOutError,
    IncomeReversalRefusedError,
)
from licensing.models import IncomeRecord, IncomeReversal, SharingEvent
from licensing.payable_accounts import (
    employer_payable_account,
    proceeds_to_share_account,
    worker_payable_account,
)
from licensing.services.income import income_record
from licensing.services.income_reversals import income_reverse
from licensing.services.payouts import owed, payout_batch_create, payout_record
from marketplace.models import LedgerTransaction
from marketplace.services.ledger import (
    PLATFORM_CLEARING,
    PLATFORM_FEES,
    TRANSFORMATION_FUND,
    account_balance_fen,
    platform_account,
)
from tests.factories.accounts import UserFactory
from tests.factories.licensing import AgreementFactory, PayoutProfileFactory, approved_innovation

pytestmark = pytest.mark.django_db

ADMIN = "/admin/licensing/agreements/"


@pytest.fixture
def deal(union_staff):
    """An agreement over an innovation of Alice (60%) and Bob (40%) with a ¥1,000.00 royalty
    recorded: by the default plan ¥420 to Alice, ¥280 to Bob, ¥150 to the employer."""
    alice = UserFactory(role=Role.WORKER, first_name="Alice", last_name="Li")
    bob = UserFactory(role=Role.WORKER, first_name="Bob", last_name="Zhao")
    innovation = approved_innovation(inventors=[(alice, "60"), (bob, "40")])
    agreement = AgreementFactory(
        status=AgreementStatus.ACTIVE,
        confirmed_on=date(2026, 5, 1),
        contract_number="HT-9",
        innovations=[innovation],
    )
    income = record(agreement, union_staff, "ROY-1")
    return alice, bob, agreement, income


def record(agreement, staff, reference, amount="1000.00"):
    return income_record(
        agreement=agreement,
        kind=IncomeKind.ROYALTY,
        amount=Decimal(amount),
        received_on=date(2026, 7, 1),
        reference=reference,
        recorded_by=staff,
    )


def pay(account, staff, amount):
    return payout_record(
        account=account,
        amount=Decimal(amount),
        reference=f"P-{amount}",
        paid_on=date(2026, 7, 10),
        recorded_by=staff,
    )


def test_a_reversal_posts_the_opposite_and_a_negative_statement(deal, union_staff):
    alice, bob, agreement, income = deal
    original = income.sharing_event
    original_lines = list(original.lines.values_list("payee_name", "amount"))

    reversal = income_reverse(income=income, reason="Recorded twice", actor=union_staff)

    # Every account is back where it was before the income.
    innovation = agreement.innovations.get()
    for account in (
        worker_payable_account(alice),
        worker_payable_account(bob),
        employer_payable_account(innovation.employer),
        platform_account(PLATFORM_FEES),
        platform_account(TRANSFORMATION_FUND),
        platform_account(PLATFORM_CLEARING),
        proceeds_to_share_account(),
    ):
        assert account_balance_fen(account) == 0, account.code
    # The record and its statement are untouched; the reversing statement negates it.
    income.refresh_from_db()
    assert (income.amount, income.sharing_event_id) == (Decimal("1000.00"), original.pk)
    assert list(original.lines.values_list("payee_name", "amount")) == original_lines
    event = reversal.sharing_event
    assert event.reverses == original
    assert event.amount == Decimal("-1000.00")
    assert list(event.lines.values_list("payee_name", "amount")) == [
        (name, -amount) for name, amount in original_lines
    ]
    assert sum(event.lines.values_list("amount", flat=True)) == Decimal("-1000.00")
    assert reversal.reason == "Recorded twice"
    assert reversal.reversed_by == union_staff


def test_reversing_twice_is_refused(deal, union_staff):
    _alice, _bob, _agreement, income = deal
    income_reverse(income=income, reason="Recorded twice", actor=union_staff)
    transactions = LedgerTransaction.objects.count()

    with pytest.raises(IncomeAlreadyReversedError):
        income_reverse(income=income, reason="Again", actor=union_staff)

    assert LedgerTransaction.objects.count() == transactions


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_a_reason_is_needed(deal, union_staff, reason):
    _alice, _bob, _agreement, income = deal

    with pytest.raises(IncomeReversalRefusedError):
        income_reverse(income=income, reason=reason, actor=union_staff)

    assert not IncomeReversal.objects.exists()


def test_refused_once_a_share_was_paid_out_beyond_what_is_still_owed(deal, union_staff):
    alice, _bob, _agreement, income = deal
    pay(worker_payable_account(alice), union_staff, "100.00")
    transactions, events = LedgerTransaction.objects.count(), SharingEvent.objects.count()

    with translation.override("en"):
        with pytest.raises(IncomeReversalPaidOutError) as refused:
            income_reverse(income=income, reason="Wrong agreement", actor=union_staff)
        message = str(refused.value)

    assert str(alice) in message
    assert "¥420.00" in message and "¥320.00" in message
    assert "Nothing was reversed" in message
    assert (LedgerTransaction.objects.count(), SharingEvent.objects.count()) == (
        transactions,
        events,
    )
    assert owed(worker_payable_account(alice)) == Decimal("320.00")


def test_money_in_an_unpaid_bank_batch_counts_as_paid_out(deal, union_staff):
    alice, _bob, _agreement, income = deal
    PayoutProfileFactory(user=alice)
    payout_batch_create(
        created_by=union_staff, amounts=[(worker_payable_account(alice), Decimal("1.00"))]
    )

    with pytest.raises(IncomeReversalPaidOutError):
        income_reverse(income=income, reason="Wrong agreement", actor=union_staff)


def test_allowed_after_a_payout_when_enough_is_still_owed(deal, union_staff):
    alice, _bob, agreement, income = deal
    record(agreement, union_staff, "ROY-2")  # another ¥420.00 to Alice
    account = worker_payable_account(alice)
    pay(account, union_staff, "300.00")  # ¥540.00 still owed, more than the ¥420.00 taken back

    income_reverse(income=income, reason="Recorded under the wrong reference", actor=union_staff)

    assert owed(account) == Decimal("120.00")


def test_the_worker_sees_the_reversal_in_their_earnings(client, deal, union_staff):
    alice, _bob, _agreement, income = deal
    reversal = income_reverse(income=income, reason="Recorded twice", actor=union_staff)
    client.force_login(alice)

    content = client.get("/en/licensing/earnings/").content.decode()
    statement = client.get(f"/en/licensing/statements/{reversal.sharing_event_id}/")

    assert "earnings-reversal" in content
    assert "-¥420.00" in content
    assert content.count("¥0.00") >= 2  # earned and owed
    assert statement.status_code == 200
    assert "Recorded twice" in statement.content.decode()
    assert "-¥420.00" in statement.content.decode()


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def test_staff_reverse_income_from_the_agreement_page(staff_client, deal):
    _alice, _bob, agreement, income = deal
    url = f"{ADMIN}income/{agreement.pk}/reverse/{income.pk}/"
    assert url in staff_client.get(f"{ADMIN}inspect/{agreement.pk}/").content.decode()

    response = staff_client.post(url, {"reason": "Bank returned the transfer"})

    assert response.status_code == 302
    assert IncomeReversal.objects.get().reason == "Bank returned the transfer"
    page = staff_client.get(f"{ADMIN}inspect/{agreement.pk}/").content.decode()
    assert "Bank returned the transfer" in page
    assert url not in page
    assert IncomeRecord.objects.filter(pk=income.pk).exists()


def test_a_refused_reversal_is_a_form_error(staff_client, deal, union_staff):
    alice, _bob, agreement, income = deal
    pay(worker_payable_account(alice), union_staff, "100.00")

    response = staff_client.post(
        f"{ADMIN}income/{agreement.pk}/reverse/{income.pk}/", {"reason": "Wrong agreement"}
    )

    assert response.status_code == 200
    assert "¥320.00" in response.content.decode()
    assert not IncomeReversal.objects.exists()


def test_workers_cannot_reverse_income(client, deal):
    alice, _bob, agreement, income = deal
    client.force_login(alice)

    response = client.post(f"{ADMIN}income/{agreement.pk}/reverse/{income.pk}/", {"reason": "Mine"})

    assert response.status_code in (302, 403)
    assert not IncomeReversal.objects.exists()
