"""Auctions that end in a sale, built through the real services, for the settlement tests.

Deposits are paid through the deposit webhook handler (online) or staff's bank-transfer
confirmation, bids through bid_place, and the lot closes through lot_close, so every ledger
posting in a scenario is one the platform itself would make. Stripe is either simulated (no
key: refunds succeed at once) or `FakeStripe`, its HTTP API faked in memory.
"""

import functools
import json
import uuid
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
import stripe
from django.utils import timezone

from accounts.choices import Role
from marketplace.choices import CheckoutStatus, DepositStatus, PaymentMethod, SessionStatus
from marketplace.models import CheckoutSession, Deposit, LedgerEntry, Lot
from marketplace.services import deposits, payments
from marketplace.services.bidding import bid_place
from marketplace.services.closing import lot_close
from marketplace.services.ledger import (
    FORFEITED_DEPOSITS,
    PLATFORM_CLEARING,
    PROCEEDS_TO_SHARE,
    REFUNDS_PAYABLE,
    account_balance_fen,
    enterprise_deposits_account,
    platform_account,
)
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)


class FakeStripe(stripe.HTTPClient):
    """Stripe's refunds (and checkouts) in memory: one object per Idempotency-Key, as at Stripe.

    `fail_next(status)` answers the next request with that HTTP error; `unreachable_next()`
    makes it fail without an answer. `refund_status` is what a new refund reports.
    """

    name = "fake"

    def __init__(self):
        super().__init__()
        self.requests: list[dict] = []
        self._failures: list[int | None] = []
        self._objects_by_key: dict[str, dict] = {}
        self.refund_status = "succeeded"

    def fail_next(self, status: int = 500) -> None:
        self._failures.append(status)

    def unreachable_next(self) -> None:
        self._failures.append(None)

    @property
    def refund_requests(self) -> list[dict]:
        return [request for request in self.requests if request["url"].endswith("/v1/refunds")]

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        params = {key: values[0] for key, values in parse_qs(post_data or "").items()}
        self.requests.append(
            {"method": method, "url": url, "headers": dict(headers), "params": params}
        )
        if self._failures:
            status = self._failures.pop(0)
            if status is None:
                raise stripe.APIConnectionError("Connection reset by peer.")
            error = {"error": {"type": "api_error", "message": "Stripe is having a bad day."}}
            return json.dumps(error), status, {"Request-Id": "req_fake_error"}
        key = headers.get("Idempotency-Key")
        if key not in self._objects_by_key:
            number = len(self._objects_by_key) + 1
            if url.endswith("/v1/refunds"):
                self._objects_by_key[key] = {
                    "id": f"re_test_{number:04d}",
                    "object": "refund",
                    "amount": int(params["amount"]),
                    "payment_intent": params["payment_intent"],
                    "status": self.refund_status,
                }
            else:
                self._objects_by_key[key] = {
                    "id": f"cs_test_{number:04d}",
                    "object": "checkout.session",
                    "url": f"https://checkout.stripe.com/c/pay/cs_test_{number:04d}",
                }
        return json.dumps(self._objects_by_key[key]), 200, {"Request-Id": "req_fake"}

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):
        raise NotImplementedError

    def close(self):
        pass


@pytest.fixture
def fake_stripe(settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_fake"
    fake = FakeStripe()
    monkeypatch.setattr(
        payments,
        "stripe_client",
        functools.partial(payments.stripe_client, http_client=fake, max_network_retries=0),
    )
    return fake


@pytest.fixture
def simulated_stripe(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""


def open_lot(
    *,
    starting_price="100000.00",
    deposit="10000.00",
    reserve=None,
    premium_rate="0",
) -> Lot:
    now = timezone.now()
    session = AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=2),
        bidding_start=now - timedelta(hours=1),
        first_lot_closes_at=now + timedelta(days=1),
        buyers_premium_rate=Decimal(premium_rate),
    )
    return LotFactory(
        session=session,
        starting_price=Decimal(starting_price),
        deposit_amount=Decimal(deposit),
        reserve_price=Decimal(reserve) if reserve else None,
    )


def pay_deposit_online(lot: Lot, member) -> Deposit:
    """A deposit paid through Stripe Checkout: the checkout as Stripe left it, then the signed
    event through the deposit webhook handler (which posts Dr clearing / Cr deposits held)."""
    tag = uuid.uuid4().hex[:12]
    amount_fen = int(lot.deposit_amount * 100)
    checkout = CheckoutSession.objects.create(
        enterprise=member.enterprise,
        created_by=member,
        idempotency_key=f"deposit-checkout:{tag}",
        stripe_session_id=f"cs_test_{tag}",
        url=f"https://checkout.stripe.com/c/pay/cs_test_{tag}",
        amount_fen=amount_fen,
        status=CheckoutStatus.OPEN,
    )
    deposit = Deposit.objects.create(
        lot=lot,
        enterprise=member.enterprise,
        amount=lot.deposit_amount,
        status=DepositStatus.PENDING,
        method=PaymentMethod.STRIPE,
        checkout=checkout,
        created_by=member,
    )
    deposits.stripe_event_handle(
        {
            "id": f"evt_{tag}",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": checkout.stripe_session_id,
                    "payment_status": "paid",
                    "payment_intent": f"pi_test_{tag}",
                    "amount_total": amount_fen,
                    "currency": "cny",
                    "metadata": deposits.checkout_metadata(checkout),
                }
            },
        }
    )
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.PAID
    return deposit


def bidder(lot: Lot, name: str, *, bank_transfer_by=None):
    """A member of a new verified enterprise whose deposit on `lot` is paid (online, or by bank
    transfer confirmed by the staff user given)."""
    enterprise = VerifiedEnterpriseFactory(name=name)
    member = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)
    if bank_transfer_by is not None:
        deposits.deposit_bank_transfer_confirm(
            staff_user=bank_transfer_by,
            lot=lot,
            enterprise=enterprise,
            amount=lot.deposit_amount,
            bank_reference=f"BANK-{uuid.uuid4().hex[:8]}",
        )
    else:
        pay_deposit_online(lot, member)
    return member


def close(lot: Lot, capture, *, execute=True) -> Lot:
    """Close the lot at its closing time, running what it queues after commit."""
    with capture(execute=execute):
        lot_close(lot_id=lot.pk, now=lot.closes_at + timedelta(seconds=1))
    lot.refresh_from_db()
    return lot


def sold_lot(capture, *, winner_max="150000.00", others=("120000.00",), execute=True, **lot_terms):
    """A lot sold to `winner` after bids by one enterprise per amount in `others`."""
    lot = open_lot(**lot_terms)
    members = [bidder(lot, f"上海乙{n}公司") for n, _ in enumerate(others)]
    winner = bidder(lot, "上海甲公司")
    for member, amount in zip(members, others, strict=True):
        bid_place(user=member, lot_id=lot.pk, max_amount=amount)
    bid_place(user=winner, lot_id=lot.pk, max_amount=winner_max)
    return close(lot, capture, execute=execute), winner, members


def balance(code_or_account) -> int:
    account = (
        platform_account(code_or_account) if isinstance(code_or_account, str) else code_or_account
    )
    return account_balance_fen(account)


def held(enterprise) -> int:
    return account_balance_fen(enterprise_deposits_account(enterprise))


def platform_balances() -> dict[str, int]:
    return {
        "clearing": balance(PLATFORM_CLEARING),
        "proceeds": balance(PROCEEDS_TO_SHARE),
        "refunds_payable": balance(REFUNDS_PAYABLE),
        "forfeited": balance(FORFEITED_DEPOSITS),
    }


def ledger_sums_to_zero() -> bool:
    return sum(LedgerEntry.objects.values_list("amount_fen", flat=True)) == 0
