"""Demo licensing data, made through the services: a negotiated deal (协议成交) over an
innovation of three inventors, signed and in force, with upfront, milestone and royalty income
shared out, a payout to one inventor, and a draft agreement for any auction sale that has none.

Idempotent: everything is looked up by its contract number, income reference or payout
reference before it is made. seed_demo calls seed_licensing() after the auction demo.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import Enterprise, User
from innovations.choices import Category, PatentKind, PatentStatus, Status, TechnicalField, Tier
from innovations.demo import DemoInnovation, DemoPatent
from innovations.demo import _create as innovation_demo_create
from innovations.models import Innovation
from licensing.choices import AgreementStatus, IncomeKind, RoyaltyBasis
from licensing.models import Agreement, IncomeRecord, Payout, PayoutProfile
from licensing.payable_accounts import worker_payable_account
from licensing.services.agreements import (
    agreement_activate,
    agreement_create_for_sale,
    agreement_create_negotiated,
    agreement_sign,
)
from licensing.services.income import income_record
from licensing.services.payouts import payout_record
from marketplace.choices import RightType
from marketplace.models import Sale

LICENSEE_CREDIT_CODE = "913100001322456784"
CONTRACT_NUMBER = "沪职创许字（2026）第001号"
PAYOUT_REFERENCE = "PAY-2026-0001"

DEAL_INNOVATION = DemoInnovation(
    title="岸桥吊具防摇摆液压缓冲装置",
    owner="wangjianguo",
    category=Category.INVENTION,
    technical_field=TechnicalField.BASIC_PARTS,
    industries=["equipment-manufacturing"],
    summary="在吊具上架与小车之间加装双向液压缓冲器，集装箱对位摇摆幅度减少六成，单箱作业快 8 秒。",
    description=(
        "<p>岸桥司机对位时吊具摇摆是影响效率的主要因素。</p>"
        "<p>本装置以两组双向液压缓冲器吸收摆动能量，不改动原有起升机构，可在检修窗口内加装。</p>"
    ),
    benefit=Decimal("820000.00"),
    inventors=[
        ("wangjianguo", "王建国", Decimal("50")),
        ("lixiuying", "李秀英", Decimal("30")),
        (None, "陈立新", Decimal("20")),
    ],
    outcome=Status.APPROVED,
    tier=Tier.TRANSACT,
    excellent=True,
    comment="已与港口企业协议成交，作为协议成交示范项目。",
    patents=[
        DemoPatent(
            "202320512876",
            PatentKind.UTILITY_MODEL,
            PatentStatus.GRANTED,
            date(2023, 3, 2),
            date(2023, 9, 19),
        )
    ],
)

INCOME = [
    (IncomeKind.UPFRONT, Decimal("300000.00"), date(2026, 3, 10), "UP-2026-001"),
    (IncomeKind.MILESTONE, Decimal("50000.00"), date(2026, 5, 15), "MS-2026-01"),
    (IncomeKind.ROYALTY, Decimal("18640.55"), date(2026, 4, 20), "ROY-2026Q1"),
]


def _deal_innovation(staff: User) -> Innovation:
    innovation = Innovation.objects.filter(title=DEAL_INNOVATION.title).first()
    return innovation or innovation_demo_create(DEAL_INNOVATION, staff)


def _negotiated_deal(staff: User) -> Agreement:
    agreement = Agreement.objects.filter(contract_number=CONTRACT_NUMBER).first()
    if agreement is None:
        agreement = agreement_create_negotiated(
            licensee=Enterprise.objects.get(credit_code=LICENSEE_CREDIT_CODE),
            innovations=[_deal_innovation(staff)],
            right_type=RightType.EXCLUSIVE_LICENCE,
            deal_amount=Decimal("500000.00"),
            created_by=staff,
            contract_number=CONTRACT_NUMBER,
            upfront_amount=Decimal("300000.00"),
            scope="在集装箱岸桥、场桥上制造、使用和销售采用该技术的缓冲装置。",
            term_start=date(2026, 3, 1),
            term_end=date(2031, 2, 28),
            royalty_rate=Decimal("3.00"),
            royalty_basis=RoyaltyBasis.NET_SALES,
            milestones="首台样机通过港口验收后支付 ¥50,000。",
            cnipa_record_number="2026310000087",
            cnipa_record_date=date(2026, 3, 20),
        )
    if agreement.status == AgreementStatus.DRAFT:
        agreement = agreement_sign(agreement=agreement, actor=staff, on=date(2026, 3, 5))
    if agreement.status == AgreementStatus.SIGNED:
        agreement = agreement_activate(agreement=agreement, actor=staff)
    return agreement


@transaction.atomic
def seed_licensing() -> None:
    staff = User.objects.get(username="staff")
    agreement = _negotiated_deal(staff)
    for kind, amount, received_on, reference in INCOME:
        if not IncomeRecord.objects.filter(agreement=agreement, reference=reference).exists():
            income_record(
                agreement=agreement,
                kind=kind,
                amount=amount,
                received_on=received_on,
                reference=reference,
                recorded_by=staff,
            )
    inventor = User.objects.get(username="wangjianguo")
    PayoutProfile.objects.get_or_create(
        user=inventor,
        defaults={
            "bank_account_name": "王建国",
            "bank_account_number": "6222021001098765432",
            "bank": "中国工商银行上海临港支行",
        },
    )
    account = worker_payable_account(inventor)
    if not Payout.objects.filter(account=account, reference=PAYOUT_REFERENCE).exists():
        payout_record(
            account=account,
            amount=Decimal("50000.00"),
            reference=PAYOUT_REFERENCE,
            paid_on=date(2026, 5, 31),
            recorded_by=staff,
        )
    # A sale from a closed session, if the auction demo made one, gets its draft agreement.
    for sale in Sale.objects.filter(agreement__isnull=True):
        agreement_create_for_sale(sale=sale)
