"""The JSON API and Stripe's webhook, fed the corpus: a JSON refusal with a 4xx status, never a
server error, and no bid, idempotency record, payment or ledger entry written."""

import json
import time

import pytest
import stripe
from django.test import Client

from api.models import IdempotencyRecord
from marketplace.models import Bid, CheckoutSession, Deposit, LedgerTransaction, StripeEvent
from marketplace.services import deposits
from marketplace.services.payments import SIMULATED_WEBHOOK_SECRET
from tests.security import bad_inputs
from tests.security.submitting import attempt

pytestmark = pytest.mark.django_db


def _written(*models):
    return lambda: tuple(model.objects.count() for model in models)


BID_STATE = _written(Bid, IdempotencyRecord)

AMOUNTS = [
    *(nasty.value for nasty in bad_inputs.TEXT_VALUES if isinstance(nasty.value, str)),
    *(nasty.value for nasty in bad_inputs.NUMBER_VALUES),
    "\ud800",  # a lone surrogate, as JSON's "\\ud800" escape
    12345,
    12345.5,
    1e308,
    -1,
    0,
    None,
    True,
    ["200000.00"],
    {"amount": "200000.00"},
    "200000.001",
    "２０００００",
    "200000.00\n",
]
BODIES = [
    b"",
    b"{",
    b"[]",
    b"null",
    b'"200000.00"',
    b'{"max_amount": "200000.00"',
    b"\xff\xfe",
    b'{"max_amount": "\xed\xa0\x80"}',
    b"[" * 10_000 + b"]" * 10_000,
    b'{"max_amount": "200000.00", "max_amount": []}',
    json.dumps({"max_amount": "1" * 10_000}).encode(),
    json.dumps({"other": "200000.00"}).encode(),
]
IDEMPOTENCY_KEYS = ["", " ", "k" * 10_000, "\u202ekey", "👷key", "key\u200d", "' OR 1=1 --"]


def _client(world) -> Client:
    return Client(
        headers={"Authorization": f"Bearer {world.member_token_raw}"},
        raise_request_exception=False,
    )


def _refused_as_json(response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return 400 <= response.status_code < 500 and isinstance(body.get("code"), str)


def _judge(problems, outcome, label):
    if outcome.problem:
        problems.append(outcome.problem)
    elif not _refused_as_json(outcome.response):
        problems.append(f"{label}: {outcome.status} {outcome.response.content[:120]!r}")


def test_a_bid_with_a_bad_amount_is_a_json_refusal_and_places_nothing(world):
    client, url, problems = _client(world), f"/api/v1/lots/{world.lot.pk}/bids", []
    for amount in AMOUNTS:
        outcome = attempt(
            lambda amount=amount: client.post(
                url, json.dumps({"max_amount": amount}), content_type="application/json"
            ),
            BID_STATE,
            must_refuse=True,
            label=f"max_amount={str(amount)[:30]!r}",
        )
        _judge(problems, outcome, f"max_amount={str(amount)[:30]!r}")

    assert not problems, "\n".join(problems)


def test_a_malformed_body_or_content_type_is_a_json_refusal(world):
    client, url, problems = _client(world), f"/api/v1/lots/{world.lot.pk}/bids", []
    sends = [(body, "application/json") for body in BODIES] + [
        (b"max_amount=200000.00", "application/x-www-form-urlencoded"),
        (b'{"max_amount": "200000.00"}', "text/plain"),
        (b'{"max_amount": "200000.00"}', "application/xml"),
    ]
    for body, content_type in sends:
        outcome = attempt(
            lambda body=body, content_type=content_type: client.generic(
                "POST", url, body, content_type=content_type
            ),
            BID_STATE,
            must_refuse=True,
            label=f"body {body[:30]!r} as {content_type}",
        )
        _judge(problems, outcome, f"body {body[:30]!r}")

    assert not problems, "\n".join(problems)


def test_a_bad_idempotency_key_or_lot_id_is_a_json_refusal(world):
    client, problems = _client(world), []
    body = json.dumps({"max_amount": "1.00"})  # below the minimum: refused, never placed
    requests = [
        (f"/api/v1/lots/{world.lot.pk}/bids", {"Idempotency-Key": key}) for key in IDEMPOTENCY_KEYS
    ] + [
        (f"/api/v1/lots/{lot_id}/bids", {})
        for lot_id in ("abc", "-1", "0", "99999999999999999999", "1e309", "1.5", "%00", "NaN")
    ]
    for url, headers in requests:
        outcome = attempt(
            lambda url=url, headers=headers: client.post(
                url, body, content_type="application/json", headers=headers
            ),
            _written(Bid),
            must_refuse=True,
            label=f"{url} {str(headers)[:40]}",
        )
        _judge(problems, outcome, f"{url} {str(headers)[:40]}")

    assert not problems, "\n".join(problems)


GET_PATHS = ["/api/v1/lots", "/api/v1/lots/{lot}/bids", "/api/v1/goal"]
GET_PARAMETERS = [
    "session",
    "category",
    "technical_field",
    "industry",
    "right_type",
    "price_min",
    "price_max",
    "status",
    "has_granted_patent",
    "ordering",
    "limit",
    "offset",
]


def test_reads_answer_bad_parameters_with_200_or_a_json_refusal(world):
    client, problems = Client(raise_request_exception=False), []
    paths = [path.format(lot=world.lot.pk) for path in GET_PATHS] + [
        f"/api/v1/lots/{lot_id}" for lot_id in ("abc", "-1", "0", "99999999999999999999", "1e309")
    ]
    for path in paths:
        for parameter in GET_PARAMETERS:
            for nasty in bad_inputs.TEXT_VALUES + bad_inputs.NUMBER_VALUES:
                query = bad_inputs.form_query({parameter: nasty.value})
                outcome = attempt(
                    lambda path=path, query=query: client.get(f"{path}?{query}"),
                    lambda: 0,
                    must_refuse=False,
                    label=f"GET {path}?{parameter}={nasty.name}",
                )
                response = outcome.response
                if outcome.problem:
                    problems.append(outcome.problem)
                elif response.status_code != 200 and not _refused_as_json(response):
                    problems.append(f"GET {path}?{parameter}={nasty.name}: not JSON")

    assert not problems, "\n".join(problems)


# --- Stripe's webhook: forged, stale and replayed events ------------------------------------------


def _event(world, event_id="evt_security_1"):
    checkout = world.checkout
    return {
        "id": event_id,
        "object": "event",
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": checkout.stripe_session_id,
                "object": "checkout.session",
                "mode": "payment",
                "payment_status": "paid",
                "payment_intent": "pi_security",
                "amount_total": checkout.amount_fen,
                "currency": "cny",
                "metadata": deposits.checkout_metadata(checkout),
            }
        },
    }


def _deliver(payload: str | bytes, signature: str | None):
    headers = {} if signature is None else {"Stripe-Signature": signature}
    return Client(raise_request_exception=False).post(
        "/stripe/webhook/", payload, content_type="application/json", headers=headers
    )


def _sign(payload: str, *, secret=SIMULATED_WEBHOOK_SECRET, timestamp=None) -> str:
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)


PAYMENT_STATE = _written(StripeEvent, LedgerTransaction, Deposit, CheckoutSession)


def test_forged_and_stale_webhooks_are_400_and_pay_nothing(world):
    payload = json.dumps(_event(world))
    forgeries = {
        "no signature": (payload, None),
        "empty signature": (payload, ""),
        "another secret": (payload, _sign(payload, secret="whsec_attacker")),
        "ten minutes old": (payload, _sign(payload, timestamp=int(time.time()) - 600)),
        "body changed after signing": (payload.replace("paid", "PAID"), _sign(payload)),
        "garbage header": (payload, "t=abc,v1=" + "0" * 64),
        "10,000-character header": (payload, "v1=" + "a" * 10_000),
        "signed but not JSON": ("{not json", _sign("{not json")),
        "signed but not an event": ("[]", _sign("[]")),
        "signed, not UTF-8": (b"\xff\xfe", _sign("\ufffd")),
    }
    problems = []
    for label, (body, signature) in forgeries.items():
        outcome = attempt(
            lambda body=body, signature=signature: _deliver(body, signature),
            PAYMENT_STATE,
            must_refuse=True,
            label=f"webhook {label}",
        )
        if outcome.problem:
            problems.append(outcome.problem)
        elif outcome.status != 400:
            problems.append(f"webhook {label}: {outcome.status}")

    assert not problems, "\n".join(problems)
    world.checkout.refresh_from_db()
    assert world.checkout.status == "open"


def test_a_replayed_event_changes_nothing_the_second_time(world):
    payload = json.dumps(_event(world, "evt_security_replay"))
    assert _deliver(payload, _sign(payload)).status_code == 200
    after_first = PAYMENT_STATE()

    # The same event again, freshly signed (as Stripe redelivers), and an old copy.
    outcome = attempt(
        lambda: _deliver(payload, _sign(payload)),
        PAYMENT_STATE,
        must_refuse=True,
        label="replayed event",
    )

    assert outcome.problem is None and outcome.status == 200
    assert PAYMENT_STATE() == after_first
    assert StripeEvent.objects.filter(event_id="evt_security_replay").count() == 1
