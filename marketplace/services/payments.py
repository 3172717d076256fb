"""The only module that talks to Stripe: create a Checkout, verify a webhook, make a refund.

Amounts are integer fen in CNY. Every call that creates something at Stripe carries our own
idempotency key, so a retry after a timeout or a crash returns what the first call made.

Two modes:

- **Stripe** (STRIPE_SECRET_KEY set): real API calls through `stripe_client()`, webhooks
  verified with STRIPE_WEBHOOK_SECRET. With a secret key but no webhook secret, every webhook
  is refused (never verified with a known development value).
- **Simulated** (STRIPE_SECRET_KEY empty: development and the demo): nothing leaves the
  process. "Creating" a checkout returns our own simulated checkout page and an id
  `cs_sim_…` derived from the idempotency key (so a retry gets the same id, as at Stripe),
  and webhooks are signed and verified with STRIPE_WEBHOOK_SECRET or, when that is empty too,
  SIMULATED_WEBHOOK_SECRET. The simulated page posts its events through the real webhook view,
  so signature checking is exercised the same way. Production settings refuse to start
  without real keys, so the simulation can never take the place of a payment there.
"""

import hashlib
import json
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import (
    MarketplaceError,
    PaymentError,
    RefundRefusedError,
    RefundUnreachableError,
)
from marketplace.money import STRIPE_MAX_FEN

logger = logging.getLogger(__name__)

CURRENCY = "cny"
PAYMENT_METHOD_TYPES = ["card", "alipay", "wechat_pay"]
# WeChat Pay in a desktop or mobile browser shows a QR code; "web" is the only client a
# Checkout page can use.
PAYMENT_METHOD_OPTIONS = {"wechat_pay": {"client": "web"}}
# Stripe's own limit on a webhook's age; an older signed body is treated as a replay.
WEBHOOK_TOLERANCE_SECONDS = 300
# Retries are safe because every creating call carries an idempotency key.
MAX_NETWORK_RETRIES = 2
# A person is waiting on the other end of checkout creation.
HTTP_TIMEOUT_SECONDS = 20

SIMULATED_SESSION_PREFIX = "cs_sim_"
# Known to anyone who reads this file, which is why it is used only when there is no
# STRIPE_SECRET_KEY, and production settings refuse to run without real keys.
SIMULATED_WEBHOOK_SECRET = "whsec_simulated_development_only"  # noqa: S105


class WebhookInvalidError(MarketplaceError):
    """A webhook request that is not a verified Stripe event; answered 400, never processed."""

    code = "webhook_invalid"
    default_message = _("This is not a valid Stripe event.")


class WebhookSignatureMissingError(WebhookInvalidError):
    code = "signature_missing"
    default_message = _("The Stripe-Signature header is missing.")


class WebhookSignatureInvalidError(WebhookInvalidError):
    code = "signature_invalid"
    default_message = _(
        "The Stripe signature does not match this body, or it is more than five minutes old."
    )


class WebhookPayloadInvalidError(WebhookInvalidError):
    code = "payload_invalid"
    default_message = _("The body is not a Stripe event in JSON.")


@dataclass(frozen=True)
class LineItem:
    name: str
    amount_fen: int


def is_simulated() -> bool:
    return not settings.STRIPE_SECRET_KEY


def webhook_secret() -> str:
    if settings.STRIPE_WEBHOOK_SECRET:
        return settings.STRIPE_WEBHOOK_SECRET
    return SIMULATED_WEBHOOK_SECRET if is_simulated() else ""


def stripe_client(
    *,
    http_client: stripe.HTTPClient | None = None,
    max_network_retries: int = MAX_NETWORK_RETRIES,
) -> stripe.StripeClient:
    """A client for the configured account. Tests pass a fake `http_client` (no network)."""
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        http_client=http_client or stripe.new_default_http_client(timeout=HTTP_TIMEOUT_SECONDS),
        max_network_retries=max_network_retries,
    )


def checkout_session_create(
    *,
    line_items: list[LineItem],
    amount_fen: int,
    idempotency_key: str,
    success_url: str,
    cancel_url: str,
    metadata: dict[str, str],
) -> tuple[str, str]:
    """Create a Stripe Checkout for `amount_fen` and return its (id, url).

    The same idempotency key with the same arguments returns the same checkout for 24 hours,
    so callers must pass arguments derived only from what they stored (not from the request
    or the clock). Raises PaymentError when Stripe refuses or cannot be reached.
    """
    if sum(item.amount_fen for item in line_items) != amount_fen:
        raise ValueError("The line items must add up to the amount.")
    if not 0 < amount_fen <= STRIPE_MAX_FEN:
        raise ValueError(f"{amount_fen} fen is outside what one Stripe payment can take.")
    if is_simulated():
        session_id = SIMULATED_SESSION_PREFIX + _digest(idempotency_key)
        return session_id, reverse(
            "marketplace:simulated_checkout", kwargs={"checkout_id": session_id}
        )
    params = {
        "mode": "payment",
        "currency": CURRENCY,
        "payment_method_types": PAYMENT_METHOD_TYPES,
        "payment_method_options": PAYMENT_METHOD_OPTIONS,
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": CURRENCY,
                    "unit_amount": item.amount_fen,
                    "product_data": {"name": item.name[:250]},
                },
            }
            for item in line_items
        ],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        # Stripe shows its page in the payer's browser language.
        "locale": "auto",
    }
    try:
        session = stripe_client().v1.checkout.sessions.create(
            params, {"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as error:
        logger.exception("Stripe refused checkout %s: %s", idempotency_key, error)
        raise PaymentError() from error
    return session.id, session.url


def refund_create(*, payment_intent_id: str, amount_fen: int, idempotency_key: str) -> str:
    """Refund `amount_fen` of a payment; returns the refund's id. Raises PaymentError."""
    if amount_fen <= 0:
        raise ValueError("A refund must be positive.")
    if is_simulated():
        return "re_sim_" + _digest(idempotency_key)
    try:
        refund = stripe_client().v1.refunds.create(
            {"payment_intent": payment_intent_id, "amount": amount_fen},
            {"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as error:
        logger.exception("Stripe refused refund %s: %s", idempotency_key, error)
        raise PaymentError() from error
    return refund.id


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    # Stripe's refund status: "succeeded", "pending", "requires_action", "failed", "canceled".
    status: str


def refund_send(
    *, payment_intent_id: str, amount_fen: int, idempotency_key: str, metadata: dict[str, str]
) -> RefundResult:
    """Ask Stripe to refund `amount_fen` of a payment; returns the refund's id and status.

    Tells the two failures apart, because they need different retries: RefundUnreachableError
    when no answer came (the refund may exist: retry with the same key, and Stripe returns
    it), RefundRefusedError when Stripe answered with an error (Stripe keeps that answer
    under the key, so the next try needs a new one). Simulated mode refunds at once.
    """
    if amount_fen <= 0:
        raise ValueError("A refund must be positive.")
    if is_simulated():
        return RefundResult("re_sim_" + _digest(idempotency_key), "succeeded")
    try:
        refund = stripe_client().v1.refunds.create(
            {"payment_intent": payment_intent_id, "amount": amount_fen, "metadata": metadata},
            {"idempotency_key": idempotency_key},
        )
    except stripe.APIConnectionError as error:
        logger.warning("Stripe unreachable for refund %s: %s", idempotency_key, error)
        raise RefundUnreachableError(str(error.user_message or error)) from error
    except stripe.StripeError as error:
        logger.warning("Stripe refused refund %s: %s", idempotency_key, error)
        raise RefundRefusedError(str(error.user_message or error)) from error
    return RefundResult(refund.id, refund.status or "pending")


def webhook_event_construct(payload: bytes, signature: str) -> dict[str, Any]:
    """Verify a webhook body against its Stripe-Signature header; return the event as a dict.

    Refused (a WebhookInvalidError subclass): a missing header, a body changed after signing,
    a signature made with another secret, a timestamp older than five minutes, a body that is
    not a JSON event with an id, a type and data.object.
    """
    if not signature:
        raise WebhookSignatureMissingError()
    secret = webhook_secret()
    if not secret:
        logger.error("A Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not set.")
        raise WebhookSignatureInvalidError()
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as error:
        raise WebhookSignatureInvalidError() from error
    except ValueError as error:  # not UTF-8
        raise WebhookPayloadInvalidError() from error
    try:
        event = json.loads(payload)
    except ValueError as error:
        raise WebhookPayloadInvalidError() from error
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and isinstance(event.get("type"), str)
        and isinstance(event.get("data"), dict)
        and isinstance(event["data"].get("object"), dict)
    ):
        raise WebhookPayloadInvalidError()
    return event


def simulated_checkout_event(
    *,
    event_type: str,
    session_id: str,
    amount_fen: int,
    metadata: dict[str, str],
) -> tuple[bytes, str]:
    """A webhook body shaped like Stripe's, and its Stripe-Signature header (simulated mode).

    `checkout.session.completed` carries payment_status "paid" and a payment intent;
    `checkout.session.expired` carries "unpaid" and none, as Stripe's do.
    """
    if not is_simulated():
        raise PaymentError(_("Simulated payments are switched off."))
    paid = event_type == "checkout.session.completed"
    event = {
        "id": f"evt_sim_{uuid.uuid4().hex}",
        "object": "event",
        "api_version": stripe.api_version,
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "mode": "payment",
                "status": "complete" if paid else "expired",
                "payment_status": "paid" if paid else "unpaid",
                "payment_intent": f"pi_sim_{uuid.uuid4().hex[:24]}" if paid else None,
                "amount_total": amount_fen,
                "currency": CURRENCY,
                "metadata": metadata,
            }
        },
    }
    payload = json.dumps(event, ensure_ascii=False)
    header = stripe.WebhookSignature.generate_signature_header(payload, webhook_secret())
    return payload.encode(), header


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]
