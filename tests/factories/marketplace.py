"""Auction sessions, lots and deposits, built straight into the database (no service checks).

Times are relative to now so that a lot is open for deposits by default: the preview started
yesterday, bidding opens tomorrow, the first lot closes the day after. Pass other times, or a
status, for the cases a test is about.
"""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.choices import VerificationStatus
from innovations.choices import Status, Tier
from marketplace.choices import (
    DepositStatus,
    LotStatus,
    PaymentMethod,
    RightType,
    Season,
    SessionStatus,
)
from marketplace.models import AuctionSession, Deposit, Lot, LotInnovation, Sale, Settlement
from marketplace.models.goal import DEFAULT_GOAL_ENDS_ON, DEFAULT_GOAL_STARTS_ON, GOAL_ID, Goal
from tests.factories.accounts import EnterpriseFactory, UserFactory
from tests.factories.innovations import InnovationFactory


class VerifiedEnterpriseFactory(EnterpriseFactory):
    verification_status = VerificationStatus.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)


class AuctionSessionFactory(factory.django.DjangoModelFactory):
    """A published session in its preview: deposits and registration are open."""

    class Meta:
        model = AuctionSession

    name = factory.Sequence(lambda n: f"{2030 + n}年春季职工创新成果拍卖会")
    # One session per year and season; distinct years keep factories from colliding.
    year = factory.Sequence(lambda n: 2030 + n)
    season = Season.SPRING
    preview_start = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    bidding_start = factory.LazyAttribute(lambda o: o.preview_start + timedelta(days=2))
    first_lot_closes_at = factory.LazyAttribute(lambda o: o.bidding_start + timedelta(days=1))
    status = SessionStatus.PUBLISHED


class LotFactory(factory.django.DjangoModelFactory):
    """A published lot offering one approved, ready-to-transact innovation; deposit ¥10,000."""

    class Meta:
        model = Lot
        skip_postgeneration_save = True

    session = factory.SubFactory(AuctionSessionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"数控车床刀具快速定位装置 第{n}号")
    right_type = RightType.EXCLUSIVE_LICENCE
    licence_term_years = 5
    starting_price = Decimal("100000.00")
    deposit_amount = Decimal("10000.00")
    patents_legal_status = "发明专利，已授权，维持有效。"
    employer_consent = True
    co_owners_consent = True
    status = LotStatus.PUBLISHED
    scheduled_close_at = factory.LazyAttribute(lambda o: o.session.first_lot_closes_at)
    closes_at = factory.LazyAttribute(lambda o: o.scheduled_close_at)

    @factory.post_generation
    def innovation(self, create, extracted, **kwargs):
        if not create:
            return
        innovation = extracted or InnovationFactory(
            status=Status.APPROVED, tier=Tier.TRANSACT, **kwargs
        )
        LotInnovation.objects.create(lot=self, innovation=innovation)


class DepositFactory(factory.django.DjangoModelFactory):
    """A deposit paid online for a lot by a verified enterprise, at the lot's amount."""

    class Meta:
        model = Deposit

    lot = factory.SubFactory(LotFactory)
    enterprise = factory.SubFactory(VerifiedEnterpriseFactory)
    amount = factory.LazyAttribute(lambda o: o.lot.deposit_amount)
    status = DepositStatus.PAID
    method = PaymentMethod.STRIPE
    created_by = factory.SubFactory(UserFactory, enterprise=factory.SelfAttribute("..enterprise"))
    paid_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status != DepositStatus.PENDING else None
    )


def sold_lot_settlement(
    *,
    price: str,
    at=None,
    status: str = "awaiting_payment",
    kind: str = "auction",
    lot: Lot | None = None,
) -> Settlement:
    """A lot sold at `price` with its settlement, written straight into the tables (no ledger):
    for the reads that sum deals (goal progress, session results). `at` backdates the deal."""
    if lot is None:
        lot = LotFactory(status=LotStatus.SOLD)
    winner = VerifiedEnterpriseFactory()
    sale = Sale.objects.create(lot=lot, winner=winner, hammer_price=Decimal(price))
    settlement = Settlement.objects.create(
        sale=sale,
        lot=lot,
        buyer=winner,
        kind=kind,
        price=Decimal(price),
        premium_rate=Decimal("0"),
        premium=Decimal("0.00"),
        amount_due=Decimal(price),
        due_at=timezone.now() + timedelta(days=10),
        status=status,
    )
    if at is not None:
        Settlement.objects.filter(pk=settlement.pk).update(created_at=at)
        settlement.refresh_from_db()
    return settlement


def settlement_received(settlement: Settlement, *, received: str, premium: str = "0.00"):
    """Give `settlement` a buyer's premium (amount due = price + premium) and the money
    received so far, straight into the row (no receipts, no ledger): for the goal's settled
    figure."""
    premium_amount = Decimal(premium)
    Settlement.objects.filter(pk=settlement.pk).update(
        premium=premium_amount,
        amount_due=settlement.price + premium_amount,
        amount_received=Decimal(received),
    )
    settlement.refresh_from_db()
    return settlement


def set_goal(*, amount: str = "1000000000.00", starts_on=None, ends_on=None):
    """Write the one Goal row straight into the table (re-made if a flush of a `transaction=True`
    test emptied it); the window defaults to the migration's 2024-01-01..2026-12-31."""
    goal, _created = Goal.objects.update_or_create(
        pk=GOAL_ID,
        defaults={
            "amount": Decimal(amount),
            "starts_on": starts_on or DEFAULT_GOAL_STARTS_ON,
            "ends_on": ends_on or DEFAULT_GOAL_ENDS_ON,
        },
    )
    return goal
