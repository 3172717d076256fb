"""One small marketplace, built once per test module, whose objects fill the URLs' parameters.

Six actors: nobody (anonymous), a worker and another worker, a member of a verified enterprise
and a member of another verified enterprise, and union staff. Each object belongs to exactly one
of them, so every rule can say who may see it: the worker's draft, the other worker's draft, the
member's enterprise's deposit, checkout, purchase and agreement.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.users.models import UserProfile

from accounts.choices import Role
from accounts.models import Enterprise, User
from accounts.services.enterprises import enterprise_invitation_token
from api.services.tokens import api_token_create
from innovations.choices import AttachmentKind, Status
from innovations.models import Attachment, Innovation, Patent
from licensing.choices import IncomeKind
from licensing.models import Agreement, SharingEvent
from licensing.services.agreements import agreement_sign
from licensing.services.income import income_record
from marketplace.choices import CheckoutStatus, DepositStatus, PaymentMethod, SessionStatus
from marketplace.models import (
    AuctionSession,
    BalanceCheckout,
    CheckoutSession,
    ConfidentialityAcceptance,
    Deposit,
    Lot,
    LotDocument,
    Sale,
    Settlement,
)
from tests.factories.accounts import UserFactory
from tests.factories.innovations import InnovationFactory, PatentFactory
from tests.factories.licensing import AgreementFactory, approved_innovation
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)

ROLES = ("anonymous", "worker", "other_worker", "member", "other_member", "staff")
CONFIDENTIALITY_TERMS = "技术资料仅用于评估，不得外传。"
PDF_BYTES = b"%PDF-1.4\n%test\n"


@dataclass
class World:
    users: dict[str, User | None]
    enterprise: Enterprise
    other_enterprise: Enterprise
    worker_draft: Innovation
    other_draft: Innovation
    worker_submitted: Innovation
    approved: Innovation
    patent: Patent
    attachment: Attachment
    session: AuctionSession
    lot: Lot
    lot_document: LotDocument
    free_lot: Lot  # no deposit from anyone yet
    bank_deposit: Deposit
    checkout: CheckoutSession
    settlement: Settlement
    balance_checkout: BalanceCheckout
    agreement: Agreement
    statement: SharingEvent
    member_token_raw: str
    member_token_id: int
    invitation_token: str
    document: Document


def _open_session() -> AuctionSession:
    now = timezone.now()
    return AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=2),
        bidding_start=now - timedelta(hours=1),
        first_lot_closes_at=now + timedelta(days=1),
    )


def _settlement_of(buyer: Enterprise, lot: Lot) -> Settlement:
    sale = Sale.objects.create(lot=lot, winner=buyer, hammer_price=Decimal("150000.00"))
    return Settlement.objects.create(
        sale=sale,
        lot=lot,
        buyer=buyer,
        kind="auction",
        price=Decimal("150000.00"),
        premium_rate=Decimal("0"),
        premium=Decimal("0.00"),
        amount_due=Decimal("150000.00"),
        due_at=timezone.now() + timedelta(days=10),
        status="awaiting_payment",
    )


def build_world() -> World:
    enterprise = VerifiedEnterpriseFactory(name="上海甲方精密机械有限公司")
    other_enterprise = VerifiedEnterpriseFactory(name="上海乙方电气有限公司")
    worker = UserFactory(role=Role.WORKER)
    staff = UserFactory(role=Role.UNION_STAFF)
    users = {
        "anonymous": None,
        "worker": worker,
        "other_worker": UserFactory(role=Role.WORKER),
        "member": UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise),
        "other_member": UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=other_enterprise),
        "staff": staff,
    }
    member = users["member"]
    # Wagtail makes an admin user's profile on the first page it renders for them; made here,
    # so that "nothing was written" is not spoilt by it.
    UserProfile.get_for_user(staff)

    worker_draft = InnovationFactory(owner=worker)
    other_draft = InnovationFactory(owner=users["other_worker"])
    worker_submitted = InnovationFactory(owner=worker, status=Status.SUBMITTED)
    patent = PatentFactory(innovation=worker_draft)
    attachment = Attachment(
        innovation=worker_draft,
        kind=AttachmentKind.DOCUMENT,
        original_name="试验报告.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=worker,
    )
    attachment.file.save("report.pdf", ContentFile(PDF_BYTES), save=True)

    session = _open_session()
    lot = LotFactory(session=session, confidentiality_terms=CONFIDENTIALITY_TERMS)
    lot_document = LotDocument(
        lot=lot,
        title="工艺图纸",
        original_name="drawings.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    lot_document.file.save("drawings.pdf", ContentFile(PDF_BYTES), save=True)
    ConfidentialityAcceptance.objects.create(
        lot=lot, enterprise=enterprise, user=member, terms=CONFIDENTIALITY_TERMS
    )
    DepositFactory(lot=lot, enterprise=enterprise, created_by=member)

    free_lot = LotFactory(session=session)
    bank_lot = LotFactory(session=session)
    bank_deposit = DepositFactory(
        lot=bank_lot, enterprise=enterprise, created_by=member, method=PaymentMethod.BANK_TRANSFER
    )
    bank_deposit.receipt.save("receipt.pdf", ContentFile(PDF_BYTES), save=True)

    checkout_lot = LotFactory(session=session)
    checkout = CheckoutSession.objects.create(
        enterprise=enterprise,
        created_by=member,
        idempotency_key="deposit-checkout:security",
        stripe_session_id="cs_sim_security",
        url="/deposits/checkout/simulated/cs_sim_security/",
        amount_fen=1_000_000,
        status=CheckoutStatus.OPEN,
    )
    DepositFactory(
        lot=checkout_lot,
        enterprise=enterprise,
        created_by=member,
        status=DepositStatus.PENDING,
        checkout=checkout,
    )

    sold_session = AuctionSessionFactory(status=SessionStatus.CLOSED)
    settlement = _settlement_of(enterprise, LotFactory(session=sold_session, status="sold"))
    balance_checkout = BalanceCheckout.objects.create(
        settlement=settlement,
        created_by=member,
        idempotency_key="balance-checkout:security",
        stripe_session_id="cs_sim_balance_security",
        amount_fen=15_000_000,
        status=CheckoutStatus.OPEN,
    )

    approved = approved_innovation(inventors=[(worker, "100")], employer=enterprise)
    agreement = agreement_sign(
        agreement=AgreementFactory(licensee=enterprise, innovations=[approved]),
        actor=staff,
        on=date(2026, 6, 3),
    )
    income = income_record(
        agreement=agreement,
        kind=IncomeKind.UPFRONT,
        amount=Decimal("1000.00"),
        received_on=date(2026, 6, 10),
        reference="SEC-UPFRONT-1",
        recorded_by=staff,
    )

    token, raw = api_token_create(user=member, name="安全测试程序")
    document = Document(title="公开文件")
    document.file.save("public.pdf", ContentFile(PDF_BYTES), save=True)

    return World(
        users=users,
        enterprise=enterprise,
        other_enterprise=other_enterprise,
        worker_draft=worker_draft,
        other_draft=other_draft,
        worker_submitted=worker_submitted,
        approved=approved,
        patent=patent,
        attachment=attachment,
        session=session,
        lot=lot,
        lot_document=lot_document,
        free_lot=free_lot,
        bank_deposit=bank_deposit,
        checkout=checkout,
        settlement=settlement,
        balance_checkout=balance_checkout,
        agreement=agreement,
        statement=income.sharing_event,
        member_token_raw=raw,
        member_token_id=token.pk,
        invitation_token=enterprise_invitation_token(inviter=member, email="invitee@example.com"),
        document=document,
    )
