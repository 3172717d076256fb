"""Shared pieces of the API tests: an open lot, bidders with a paid deposit, API clients."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.choices import Role
from api.services.tokens import api_token_create
from marketplace.choices import SessionStatus
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def open_session():
    now = timezone.now()
    return AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=2),
        bidding_start=now - timedelta(hours=1),
        first_lot_closes_at=now + timedelta(days=1),
    )


@pytest.fixture
def open_lot(db):
    """Open for bids, starting at ¥100,000.00, no reserve."""
    return LotFactory(session=open_session())


def bidder(lot, name=None):
    """A member of a verified enterprise that has paid the lot's deposit."""
    enterprise = VerifiedEnterpriseFactory(**({"name": name} if name else {}))
    DepositFactory(lot=lot, enterprise=enterprise)
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)


def token_client(user) -> Client:
    """A client that authenticates with a fresh personal token, as a program would."""
    _token, raw = api_token_create(user=user, name="测试程序")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def bids_url(lot_or_id) -> str:
    return f"/api/v1/lots/{getattr(lot_or_id, 'pk', lot_or_id)}/bids"


def post_bid(client, lot_or_id, max_amount, headers=None):
    return client.post(
        bids_url(lot_or_id),
        {"max_amount": max_amount},
        content_type="application/json",
        headers=headers or {},
    )
