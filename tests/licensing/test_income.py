"""Income under an agreement: recorded, posted to the ledger and shared in one transaction."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest

from accounts.choices import Role
from licensing.choices import AgreementStatus, IncomeKind
from licensing.exceptions import (
    AmountInvalidError,
    IncomeAgreementNotInForceError,
    IncomeDuplicateError,
)
from licensing.models import IncomeRecord, SharingEvent
from licensing.payable_accounts import PROCEEDS_TO_SHARE, worker_payable_account
from licensing.services import income as income_service
from licensing.services.income import income_record
from marketplace.models import LedgerAccount, LedgerTransaction
from marketplace.services.ledger import PLATFORM_CLEARING, account_balance_fen, platform_account
from tests.factories.accounts import UserFactory
from tests.factories.licensing import AgreementFactory, approved_innovation

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventor():
    return UserFactory(role=Role.WORKER)


@pytest.fixture
def signed_agreement(inventor):
    innovation = approved_innovation(inventors=[(inventor, "100")])
    return AgreementFactory(
        status=AgreementStatus.ACTIVE, confirmed_on=date(2026, 5, 1), innovations=[innovation]
    )


def record(agreement, staff, amount="12000.00", reference="ROY-2026Q2", kind=IncomeKind.ROYALTY):
    return income_record(
        agreement=agreement,
        kind=kind,
        amount=Decimal(amount),
        received_on=date(2026, 7, 15),
        reference=reference,
        recorded_by=staff,
    )


def test_a_royalty_is_received_and_shared_at_once(signed_agreement, inventor, union_staff):
    income = record(signed_agreement, union_staff)

    assert income.sharing_event.agreement == signed_agreement
    assert income.sharing_event.amount == Decimal("12000.00")
    clearing = platform_account(PLATFORM_CLEARING)
    proceeds = LedgerAccount.objects.get(code=PROCEEDS_TO_SHARE)
    # Dr clearing 12,000; proceeds-to-share credited then debited back to zero: all shared.
    assert account_balance_fen(clearing) == 1_200_000
    assert account_balance_fen(proceeds) == 0
    # Default plan: the only inventor gets 70%.
    assert account_balance_fen(worker_payable_account(inventor)) == -840_000
    assert LedgerTransaction.objects.count() == 2


def test_if_sharing_fails_the_income_is_not_recorded_either(signed_agreement, union_staff):
    with (
        mock.patch.object(income_service, "proceeds_share", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        record(signed_agreement, union_staff)

    assert not IncomeRecord.objects.exists()
    assert not LedgerTransaction.objects.exists()


def test_the_same_reference_cannot_be_recorded_twice(signed_agreement, union_staff):
    record(signed_agreement, union_staff)

    with pytest.raises(IncomeDuplicateError):
        record(signed_agreement, union_staff, amount="5.00")

    assert IncomeRecord.objects.count() == SharingEvent.objects.count() == 1


@pytest.mark.parametrize("status", [AgreementStatus.DRAFT, AgreementStatus.TERMINATED])
def test_income_needs_a_signed_agreement(status, union_staff):
    agreement = AgreementFactory(status=status)

    with pytest.raises(IncomeAgreementNotInForceError):
        record(agreement, union_staff, kind=IncomeKind.UPFRONT)

    assert not LedgerTransaction.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-1.00", "10.005"])
def test_amounts_are_whole_fen_above_zero(amount, signed_agreement, union_staff):
    with pytest.raises(AmountInvalidError):
        record(signed_agreement, union_staff, amount=amount)
    assert not IncomeRecord.objects.exists()


def test_milestones_and_upfront_are_shared_the_same_way(signed_agreement, union_staff):
    record(
        signed_agreement, union_staff, amount="100.00", reference="UP-1", kind=IncomeKind.UPFRONT
    )
    record(
        signed_agreement, union_staff, amount="50.00", reference="MS-1", kind=IncomeKind.MILESTONE
    )

    assert sorted(IncomeRecord.objects.values_list("kind", "sharing_event__amount")) == [
        (IncomeKind.MILESTONE, Decimal("50.00")),
        (IncomeKind.UPFRONT, Decimal("100.00")),
    ]
