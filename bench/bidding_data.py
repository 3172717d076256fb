"""The auction bench/bidding.py bids on, made with the project's test factories.

One open session whose bidding started an hour ago; for every case its own fresh lots (one hot
lot, or the spread lots), so each case starts at the starting price and its invariants are
checked on its bids alone. Each simulated bidder is a verified enterprise with a paid deposit
on every lot of the cases it takes part in, and several members, each with an API token.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import factory
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from bench.bidding_client import SimulatedBidder
from innovations.choices import Status, Tier
from marketplace.choices import SessionStatus
from marketplace.models import AuctionSession, Deposit, Lot
from tests.factories.accounts import UserFactory
from tests.factories.innovations import InnovationFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)

STARTING_PRICE = Decimal("100000.00")


class TokenOnlyUserFactory(UserFactory):
    """A user who never logs in with a password: hashing one (PBKDF2, about half a second on
    these machines) for each of a thousand bench users would take minutes."""

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_unusable_password()
        if create:
            self.save(update_fields=["password"])


@dataclass(frozen=True)
class CasePlan:
    """One measured case: `clients` simulated bidders at once on `lot_count` lots."""

    kind: str  # "hot" (one lot) or "spread"
    clients: int
    lot_count: int

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.clients}"


@dataclass(frozen=True)
class BenchAuction:
    session: AuctionSession
    bidders: list[SimulatedBidder]
    lots: dict[str, list[int]]  # case name -> lot ids

    def minimums(self, case_name: str) -> dict[int, Decimal]:
        return dict.fromkeys(self.lots[case_name], STARTING_PRICE)


def case_plans(clients: list[int], spread_lots: int) -> list[CasePlan]:
    """A hot-lot case, then a spread case (unless `spread_lots` is 0), for each client count."""
    plans = []
    for count in clients:
        plans.append(CasePlan("hot", count, 1))
        if spread_lots:
            plans.append(CasePlan("spread", count, spread_lots))
    return plans


def bench_auction_create(
    *, plans: list[CasePlan], users_per_bidder: int, token_create
) -> BenchAuction:
    """Make the session, bidders, tokens and each case's lots with their deposits.

    `token_create(user)` returns the raw API token for `user` (the API's token service).
    """
    now = timezone.now()
    with transaction.atomic():
        session = AuctionSessionFactory(
            status=SessionStatus.OPEN,
            preview_start=now - timedelta(days=2),
            bidding_start=now - timedelta(hours=1),
            first_lot_closes_at=now + timedelta(days=1),
        )
        # Innovations need an owner; one worker owns them all (nobody logs in as them).
        owner = TokenOnlyUserFactory(role=Role.WORKER)
        bidders, members = _bidders(
            max(plan.clients for plan in plans), users_per_bidder, token_create
        )
        lots = {}
        for plan in plans:
            case_lots = [
                LotFactory(
                    session=session,
                    starting_price=STARTING_PRICE,
                    innovation=InnovationFactory(
                        owner=owner, status=Status.APPROVED, tier=Tier.TRANSACT
                    ),
                )
                for _ in range(plan.lot_count)
            ]
            _deposits_paid(case_lots, members[: plan.clients])
            lots[plan.name] = [lot.pk for lot in case_lots]
    return BenchAuction(session=session, bidders=bidders, lots=lots)


def _bidders(
    count: int, users_per_bidder: int, token_create
) -> tuple[list[SimulatedBidder], list[User]]:
    bidders, first_members = [], []
    for _ in range(count):
        enterprise = VerifiedEnterpriseFactory()
        users = [
            TokenOnlyUserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)
            for _ in range(users_per_bidder)
        ]
        tokens = tuple((user.pk, token_create(user)) for user in users)
        bidders.append(SimulatedBidder(enterprise_id=enterprise.pk, tokens=tokens))
        first_members.append(users[0])
    return bidders, first_members


def _deposits_paid(lots: list[Lot], members: list[User]) -> None:
    """A paid deposit per (lot, enterprise), paid by the enterprise's first member."""
    Deposit.objects.bulk_create(
        [
            DepositFactory.build(lot=lot, enterprise=member.enterprise, created_by=member)
            for lot in lots
            for member in members
        ],
        batch_size=2000,
    )
