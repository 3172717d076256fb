"""Agreement status: draft → signed → active → expired / terminated, and nothing else."""

from datetime import date
from decimal import Decimal

import pytest

from licensing.choices import AgreementOrigin, AgreementStatus
from licensing.exceptions import (
    AgreementIncompleteError,
    AgreementNotEditableError,
    AgreementTransitionError,
)
from licensing.models import Agreement, TransactionCertificate
from licensing.models.agreement import ALLOWED_TRANSITIONS
from licensing.services.agreements import (
    agreement_create_for_sale,
    agreement_create_negotiated,
    agreement_sign,
    agreement_transition,
    agreement_update,
)
from marketplace.choices import LotStatus, RightType
from marketplace.models import Sale
from tests.factories.innovations import PatentFactory
from tests.factories.licensing import AgreementFactory, approved_innovation
from tests.factories.marketplace import LotFactory, VerifiedEnterpriseFactory

pytestmark = pytest.mark.django_db

S = AgreementStatus
ALLOWED = [
    (source, target) for source, targets in ALLOWED_TRANSITIONS.items() for target in targets
]
REFUSED = [
    (source, target)
    for source in S.values
    for target in S.values
    if target not in ALLOWED_TRANSITIONS[source]
]


def test_the_map_is_draft_signed_active_then_expired_or_terminated():
    assert sorted(ALLOWED) == sorted(
        [
            (S.DRAFT, S.SIGNED),
            (S.DRAFT, S.TERMINATED),
            (S.SIGNED, S.ACTIVE),
            (S.SIGNED, S.TERMINATED),
            (S.ACTIVE, S.EXPIRED),
            (S.ACTIVE, S.TERMINATED),
        ]
    )


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_transition_is_made(source, target, union_staff):
    agreement = AgreementFactory(
        status=source, confirmed_on=None if source == S.DRAFT else date(2026, 5, 1)
    )

    moved = agreement_transition(
        agreement=agreement, target=target, actor=union_staff, reason="Both parties agreed."
    )

    agreement.refresh_from_db()
    assert moved.status == agreement.status == target


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_other_transition_is_refused_and_changes_nothing(source, target, union_staff):
    agreement = AgreementFactory(status=source)

    with pytest.raises(AgreementTransitionError) as refused:
        agreement_transition(agreement=agreement, target=target, actor=union_staff)

    assert refused.value.code == "agreement_transition"
    agreement.refresh_from_db()
    assert agreement.status == source


def test_an_unknown_status_is_refused(union_staff):
    agreement = AgreementFactory()
    with pytest.raises(AgreementTransitionError):
        agreement_transition(agreement=agreement, target="paid", actor=union_staff)


def test_signing_confirms_the_deal_and_issues_its_certificate(union_staff):
    agreement = AgreementFactory()

    agreement_sign(agreement=agreement, actor=union_staff, on=date(2026, 6, 3))

    agreement.refresh_from_db()
    assert agreement.confirmed_on == date(2026, 6, 3)
    assert agreement.certificate.number == "SHWIE-2026-000001"
    assert list(Agreement.objects.confirmed().negotiated()) == [agreement]


def test_certificate_numbers_are_sequential_per_year(union_staff):
    numbers = []
    for day in (date(2026, 1, 5), date(2026, 2, 1), date(2027, 1, 2), date(2026, 3, 1)):
        agreement = agreement_sign(agreement=AgreementFactory(), actor=union_staff, on=day)
        numbers.append(agreement.certificate.number)

    assert numbers == [
        "SHWIE-2026-000001",
        "SHWIE-2026-000002",
        "SHWIE-2027-000001",
        "SHWIE-2026-000003",
    ]


def test_a_draft_without_contract_number_cannot_be_signed(union_staff):
    agreement = AgreementFactory(contract_number="", term_start=None)

    with pytest.raises(AgreementIncompleteError) as refused:
        agreement_sign(agreement=agreement, actor=union_staff)

    assert "contract number" in str(refused.value) or "合同编号" in str(refused.value)
    agreement.refresh_from_db()
    assert agreement.status == S.DRAFT
    assert not TransactionCertificate.objects.exists()


def test_only_a_draft_can_be_changed(union_staff):
    agreement = AgreementFactory()
    agreement_update(agreement=agreement, actor=union_staff, cnipa_record_number="2026310000123")
    agreement_sign(agreement=agreement, actor=union_staff)

    with pytest.raises(AgreementNotEditableError):
        agreement_update(agreement=agreement, actor=union_staff, deal_amount=Decimal("1.00"))

    agreement.refresh_from_db()
    assert (agreement.cnipa_record_number, agreement.deal_amount) == (
        "2026310000123",
        Decimal("200000.00"),
    )


def test_a_sale_becomes_a_draft_prefilled_from_its_lot():
    lot = LotFactory(
        status=LotStatus.SOLD,
        right_type=RightType.SOLE_LICENCE,
        licence_term_years=3,
        is_service_invention=True,
    )
    innovation = lot.innovations.get()
    patent = PatentFactory(innovation=innovation, holders="上海甲厂；王建国")
    sale = Sale.objects.create(
        lot=lot, winner=VerifiedEnterpriseFactory(), hammer_price=Decimal("350000.00")
    )

    agreement = agreement_create_for_sale(sale=sale)

    assert agreement.origin == AgreementOrigin.AUCTION
    assert agreement.status == S.DRAFT
    assert agreement.licensee == sale.winner
    assert agreement.licensors == "上海甲厂；王建国"
    assert list(agreement.innovations.all()) == [innovation]
    assert list(agreement.patents.all()) == [patent]
    assert agreement.right_type == RightType.SOLE_LICENCE
    assert agreement.is_service_invention
    assert agreement.deal_amount == agreement.upfront_amount == Decimal("350000.00")
    assert (agreement.term_end.year - agreement.term_start.year) == 3
    assert agreement_create_for_sale(sale=sale) == agreement
    assert Agreement.objects.count() == 1


def test_staff_record_a_negotiated_deal_as_a_draft(union_staff):
    innovation = approved_innovation()
    licensee = VerifiedEnterpriseFactory()

    agreement = agreement_create_negotiated(
        licensee=licensee,
        innovations=[innovation],
        right_type=RightType.ASSIGNMENT,
        deal_amount=Decimal("80000.00"),
        created_by=union_staff,
        contract_number="XY-2026-01",
        term_start=date(2026, 7, 1),
    )

    assert agreement.origin == AgreementOrigin.NEGOTIATED
    assert agreement.licensors == innovation.employer.name
    assert agreement.created_by == union_staff
    assert not Agreement.objects.confirmed().exists()


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("1.001")])
def test_a_negotiated_deal_needs_an_amount_in_whole_fen_above_zero(amount, union_staff):
    with pytest.raises(Exception) as refused:
        agreement_create_negotiated(
            licensee=VerifiedEnterpriseFactory(),
            innovations=[approved_innovation()],
            right_type=RightType.ASSIGNMENT,
            deal_amount=amount,
            created_by=union_staff,
        )
    assert refused.value.code == "amount_invalid"
    assert not Agreement.objects.exists()
