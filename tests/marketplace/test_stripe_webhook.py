"""Stripe's webhook: only signed events count, each counts once, in whatever order they come
(marketplace.views.payments.stripe_webhook, marketplace.services.deposits.stripe_event_handle)."""

import json
import logging
import time
from decimal import Decimal

import pytest
import stripe

from accounts.choices import Role
from marketplace.choices import CheckoutStatus, DepositStatus, PaymentMethod
from marketplace.models import CheckoutSession, Deposit, LedgerTransaction, StripeEvent
from marketplace.services import deposits
from marketplace.services.ledger import (
    PLATFORM_CLEARING,
    account_balance_fen,
    enterprise_deposits_account,
    platform_account,
)
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)

pytestmark = pytest.mark.django_db

WEBHOOK_URL = "/stripe/webhook/"
SECRET = "whsec_test_webhook_secret"


@pytest.fixture(autouse=True)
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = SECRET


@pytest.fixture
def enterprise():
    return VerifiedEnterpriseFactory()


@pytest.fixture
def member(enterprise):
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)


def open_checkout(member, amounts=("10000.00", "2500.50"), *, session_id="cs_test_a1"):
    """A checkout as deposit_checkout_start leaves it once Stripe answered."""
    session = AuctionSessionFactory()
    lots = [LotFactory(session=session, deposit_amount=Decimal(amount)) for amount in amounts]
    checkout = CheckoutSession.objects.create(
        enterprise=member.enterprise,
        created_by=member,
        idempotency_key=f"deposit-checkout:{session_id}",
        stripe_session_id=session_id,
        url=f"https://checkout.stripe.com/c/pay/{session_id}",
        amount_fen=sum(int(Decimal(amount) * 100) for amount in amounts),
        status=CheckoutStatus.OPEN,
    )
    for lot in lots:
        DepositFactory(
            lot=lot,
            enterprise=member.enterprise,
            created_by=member,
            status=DepositStatus.PENDING,
            method=PaymentMethod.STRIPE,
            checkout=checkout,
        )
    return checkout


def checkout_event(checkout, event_type="checkout.session.completed", *, event_id=None, **fields):
    paid = event_type == "checkout.session.completed"
    session = {
        "id": checkout.stripe_session_id,
        "object": "checkout.session",
        "mode": "payment",
        "payment_status": "paid" if paid else "unpaid",
        "payment_intent": "pi_test_777" if paid else None,
        "amount_total": checkout.amount_fen,
        "currency": "cny",
        "metadata": deposits.checkout_metadata(checkout),
    }
    session.update(fields)
    return {
        "id": event_id or f"evt_{event_type}_{checkout.pk}",
        "object": "event",
        "type": event_type,
        "data": {"object": session},
    }


def deliver(client, event, *, secret=SECRET, timestamp=None, body=None):
    payload = body if body is not None else json.dumps(event)
    signature = stripe.WebhookSignature.generate_signature_header(
        payload, secret, timestamp=timestamp
    )
    return client.post(
        WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def state(checkout):
    checkout.refresh_from_db()
    return (
        checkout.status,
        sorted(checkout.deposits.values_list("status", flat=True)),
        LedgerTransaction.objects.count(),
    )


# --- A paid checkout ---------------------------------------------------------------------------


def test_a_paid_checkout_pays_its_deposits_and_balances_the_ledger(client, member, enterprise):
    checkout = open_checkout(member)

    response = deliver(client, checkout_event(checkout))

    assert response.status_code == 200
    checkout.refresh_from_db()
    assert checkout.status == CheckoutStatus.COMPLETED
    assert checkout.completed_at is not None
    assert checkout.payment_intent_id == "pi_test_777"
    paid = list(checkout.deposits.order_by("pk"))
    assert [d.status for d in paid] == [DepositStatus.PAID, DepositStatus.PAID]
    assert all(d.paid_at is not None for d in paid)
    # ¥10,000.00 + ¥2,500.50 = 1,250,050 fen held for the enterprise.
    assert account_balance_fen(enterprise_deposits_account(enterprise)) == -1_250_050
    assert account_balance_fen(platform_account(PLATFORM_CLEARING)) == 1_250_050
    transactions = LedgerTransaction.objects.order_by("pk")
    assert [t.idempotency_key for t in transactions] == [f"deposit:{d.pk}:paid" for d in paid]
    for transaction in transactions:
        assert sum(entry.amount_fen for entry in transaction.entries.all()) == 0
    recorded = StripeEvent.objects.get()
    assert recorded.event_id == f"evt_checkout.session.completed_{checkout.pk}"
    assert recorded.processed_at is not None


def test_a_completed_checkout_that_is_not_paid_yet_changes_nothing(client, member):
    checkout = open_checkout(member)

    response = deliver(client, checkout_event(checkout, payment_status="unpaid"))

    assert response.status_code == 200
    assert state(checkout) == (CheckoutStatus.OPEN, ["pending", "pending"], 0)


def test_a_delayed_payment_that_succeeds_later_pays_the_deposits(client, member):
    checkout = open_checkout(member)
    deliver(client, checkout_event(checkout, payment_status="unpaid"))

    deliver(
        client,
        checkout_event(
            checkout,
            "checkout.session.async_payment_succeeded",
            payment_status="paid",
            payment_intent="pi_test_late",
        ),
    )

    assert state(checkout) == (CheckoutStatus.COMPLETED, ["paid", "paid"], 2)


def test_the_same_event_delivered_three_times_changes_things_once(client, member):
    checkout = open_checkout(member)
    event = checkout_event(checkout)

    responses = [deliver(client, event) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert state(checkout) == (CheckoutStatus.COMPLETED, ["paid", "paid"], 2)
    assert StripeEvent.objects.count() == 1


def test_a_second_completed_event_with_another_id_changes_nothing(client, member, enterprise):
    checkout = open_checkout(member)
    deliver(client, checkout_event(checkout, event_id="evt_1"))

    deliver(client, checkout_event(checkout, event_id="evt_2"))

    assert state(checkout) == (CheckoutStatus.COMPLETED, ["paid", "paid"], 2)
    assert account_balance_fen(enterprise_deposits_account(enterprise)) == -1_250_050


def test_an_amount_that_is_not_the_checkouts_is_not_applied(client, member, caplog):
    checkout = open_checkout(member)

    with caplog.at_level(logging.ERROR):
        response = deliver(client, checkout_event(checkout, amount_total=1))

    assert response.status_code == 200
    assert state(checkout) == (CheckoutStatus.OPEN, ["pending", "pending"], 0)
    assert "not applied" in caplog.text


def test_an_event_names_our_checkout_even_if_we_crashed_before_saving_stripes_id(client, member):
    checkout = open_checkout(member, session_id="cs_test_crash")
    CheckoutSession.objects.filter(pk=checkout.pk).update(
        stripe_session_id=None, url="", status=CheckoutStatus.CREATED
    )
    event = checkout_event(checkout)
    event["data"]["object"]["id"] = "cs_test_crash"

    deliver(client, event)

    checkout.refresh_from_db()
    assert checkout.stripe_session_id == "cs_test_crash"
    assert state(checkout) == (CheckoutStatus.COMPLETED, ["paid", "paid"], 2)


def test_an_event_for_another_stripe_session_of_the_same_checkout_is_ignored(client, member):
    checkout = open_checkout(member, session_id="cs_test_given")
    event = checkout_event(checkout, "checkout.session.expired")
    event["data"]["object"]["id"] = "cs_test_orphan"

    deliver(client, event)

    assert state(checkout) == (CheckoutStatus.OPEN, ["pending", "pending"], 0)


@pytest.mark.parametrize(
    "metadata", [{}, {"purpose": "balance", "checkout_id": "1"}, {"purpose": "deposits"}]
)
def test_an_event_for_a_checkout_that_is_not_ours_is_recorded_and_ignored(client, member, metadata):
    checkout = open_checkout(member)
    event = checkout_event(checkout, metadata=metadata)
    event["data"]["object"]["id"] = "cs_test_someone_else"

    response = deliver(client, event)

    assert response.status_code == 200
    assert StripeEvent.objects.count() == 1
    assert state(checkout) == (CheckoutStatus.OPEN, ["pending", "pending"], 0)


def test_an_unknown_event_type_is_recorded_and_ignored(client, member):
    checkout = open_checkout(member)
    event = {
        "id": "evt_unknown_1",
        "object": "event",
        "type": "customer.created",
        "data": {"object": {"id": "cus_1", "object": "customer"}},
    }

    response = deliver(client, event)

    assert response.status_code == 200
    recorded = StripeEvent.objects.get()
    assert (recorded.event_id, recorded.type) == ("evt_unknown_1", "customer.created")
    assert recorded.payload == event
    assert state(checkout) == (CheckoutStatus.OPEN, ["pending", "pending"], 0)


# --- Expiry, and events out of order -----------------------------------------------------------


def test_an_expired_checkout_cancels_its_deposits_and_the_lot_can_be_paid_again(
    client, member, settings
):
    checkout = open_checkout(member, amounts=["10000.00"])

    response = deliver(client, checkout_event(checkout, "checkout.session.expired"))

    assert response.status_code == 200
    assert state(checkout) == (CheckoutStatus.EXPIRED, ["cancelled"], 0)
    settings.STRIPE_SECRET_KEY = ""  # simulated: no call leaves the process
    again = deposits.deposit_checkout_start(user=member, lots=[checkout.deposits.get().lot])
    assert again.status == CheckoutStatus.OPEN
    assert again.deposits.get().status == DepositStatus.PENDING


def test_an_expiry_after_the_payment_changes_nothing(client, member, enterprise):
    checkout = open_checkout(member)
    deliver(client, checkout_event(checkout))

    response = deliver(client, checkout_event(checkout, "checkout.session.expired"))

    assert response.status_code == 200
    assert state(checkout) == (CheckoutStatus.COMPLETED, ["paid", "paid"], 2)
    assert account_balance_fen(enterprise_deposits_account(enterprise)) == -1_250_050


def test_a_payment_after_an_expiry_is_honoured(client, member, enterprise):
    # Stripe ends a session one way only, but money it says it took must be recorded.
    checkout = open_checkout(member)
    deliver(client, checkout_event(checkout, "checkout.session.expired"))

    deliver(client, checkout_event(checkout))

    assert state(checkout) == (CheckoutStatus.COMPLETED, ["paid", "paid"], 2)
    assert account_balance_fen(enterprise_deposits_account(enterprise)) == -1_250_050


def test_a_payment_after_an_expiry_and_a_new_deposit_is_held_and_flagged(
    client, member, enterprise, caplog
):
    checkout = open_checkout(member, amounts=["10000.00"])
    deliver(client, checkout_event(checkout, "checkout.session.expired"))
    old = checkout.deposits.get()
    newer = DepositFactory(lot=old.lot, enterprise=enterprise, status=DepositStatus.PENDING)

    with caplog.at_level(logging.ERROR):
        deliver(client, checkout_event(checkout))

    old.refresh_from_db()
    newer.refresh_from_db()
    assert old.status == DepositStatus.CANCELLED
    assert newer.status == DepositStatus.PENDING
    assert account_balance_fen(enterprise_deposits_account(enterprise)) == -1_000_000
    assert "refund" in caplog.text


def test_a_failed_delayed_payment_cancels_the_deposits(client, member):
    checkout = open_checkout(member)

    deliver(client, checkout_event(checkout, "checkout.session.async_payment_failed"))

    assert state(checkout) == (CheckoutStatus.EXPIRED, ["cancelled", "cancelled"], 0)


def test_an_expiry_leaves_deposits_that_are_not_pending_alone(client, member):
    checkout = open_checkout(member)
    first = checkout.deposits.order_by("pk").first()
    Deposit.objects.filter(pk=first.pk).update(status=DepositStatus.REFUNDED)

    deliver(client, checkout_event(checkout, "checkout.session.expired"))

    assert state(checkout) == (CheckoutStatus.EXPIRED, ["cancelled", "refunded"], 0)


# --- Requests that are not verified Stripe events ----------------------------------------------


def assert_refused(response, code):
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code
    assert body["message"]


def test_a_tampered_body_is_refused_and_changes_nothing(client, member):
    checkout = open_checkout(member)
    event = checkout_event(checkout)
    signed = json.dumps(event)
    signature = stripe.WebhookSignature.generate_signature_header(signed, SECRET)
    tampered = signed.replace('"amount_total": 1250050', '"amount_total": 1')

    response = client.post(
        WEBHOOK_URL, tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )

    assert tampered != signed
    assert_refused(response, "signature_invalid")
    assert state(checkout) == (CheckoutStatus.OPEN, ["pending", "pending"], 0)
    assert not StripeEvent.objects.exists()


def test_a_body_signed_with_another_secret_is_refused(client, member):
    checkout = open_checkout(member)

    response = deliver(client, checkout_event(checkout), secret="whsec_someone_else")

    assert_refused(response, "signature_invalid")
    assert state(checkout) == (CheckoutStatus.OPEN, ["pending", "pending"], 0)


def test_a_signature_older_than_five_minutes_is_refused(client, member):
    checkout = open_checkout(member)

    response = deliver(client, checkout_event(checkout), timestamp=int(time.time()) - 301)

    assert_refused(response, "signature_invalid")
    assert state(checkout) == (CheckoutStatus.OPEN, ["pending", "pending"], 0)


def test_a_signature_four_minutes_old_is_accepted(client, member):
    checkout = open_checkout(member)

    response = deliver(client, checkout_event(checkout), timestamp=int(time.time()) - 240)

    assert response.status_code == 200
    assert state(checkout)[0] == CheckoutStatus.COMPLETED


def test_a_missing_signature_is_refused(client, member):
    checkout = open_checkout(member)

    response = client.post(
        WEBHOOK_URL, json.dumps(checkout_event(checkout)), content_type="application/json"
    )

    assert_refused(response, "signature_missing")
    assert state(checkout) == (CheckoutStatus.OPEN, ["pending", "pending"], 0)


@pytest.mark.parametrize(
    "header", ["garbage", "t=abc,v1=def", "t=123", "v1=" + "0" * 64, "t=1,v0=abc"]
)
def test_a_malformed_signature_is_refused(client, member, header):
    checkout = open_checkout(member)

    response = client.post(
        WEBHOOK_URL,
        json.dumps(checkout_event(checkout)),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )

    assert_refused(response, "signature_invalid")


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[]",
        '"event"',
        "{}",
        '{"id": "evt_1", "type": "checkout.session.completed"}',
        '{"id": "evt_1", "type": "checkout.session.completed", "data": {"object": []}}',
        '{"id": 1, "type": "checkout.session.completed", "data": {"object": {}}}',
    ],
)
def test_a_signed_body_that_is_not_an_event_is_refused(client, body):
    response = deliver(client, None, body=body)

    assert_refused(response, "payload_invalid")
    assert not StripeEvent.objects.exists()


def test_a_body_that_is_not_utf8_is_refused(client):
    response = client.post(
        WEBHOOK_URL,
        b"\xff\xfe\x00garbage",
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=abc",
    )

    assert response.status_code == 400


def test_without_a_webhook_secret_a_real_account_refuses_every_event(client, member, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    checkout = open_checkout(member)

    response = deliver(client, checkout_event(checkout), secret="")

    assert_refused(response, "signature_invalid")


def test_the_webhook_answers_only_post(client):
    assert client.get(WEBHOOK_URL).status_code == 405


def test_the_webhook_needs_no_csrf_token(member):
    from django.test import Client

    checkout = open_checkout(member)
    strict = Client(enforce_csrf_checks=True)

    response = deliver(strict, checkout_event(checkout))

    assert response.status_code == 200
