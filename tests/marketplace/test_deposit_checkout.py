"""Paying deposits: Stripe Checkout (faked at its HTTP edge), the simulated checkout, and bank
transfers that staff confirm (marketplace.services.deposits, marketplace.views.payments)."""

import functools
import io
import json
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
import stripe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from accounts.choices import Role, VerificationStatus
from marketplace.choices import (
    CheckoutStatus,
    DepositStatus,
    LotStatus,
    PaymentMethod,
    SessionStatus,
)
from marketplace.exceptions import DepositError, EnterpriseNotVerifiedError, PaymentError
from marketplace.models import CheckoutSession, Deposit, LedgerTransaction, StripeEvent
from marketplace.services import deposits, payments
from marketplace.services.ledger import (
    PLATFORM_CLEARING,
    account_balance_fen,
    enterprise_deposits_account,
    platform_account,
)
from tests.factories.accounts import EnterpriseFactory, UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)

pytestmark = pytest.mark.django_db


def in_english():
    """Refusals are checked by their English wording; the suite runs in Chinese otherwise."""
    return translation.override("en")


class FakeStripe(stripe.HTTPClient):
    """Stripe's HTTP API, in memory: records every request and answers like Stripe.

    The same Idempotency-Key gets the same checkout back, as at Stripe. `fail_next(status)`
    makes the next request fail with that HTTP status.
    """

    name = "fake"

    def __init__(self):
        super().__init__()
        self.requests: list[dict] = []
        self._failures: list[int] = []
        self._sessions_by_key: dict[str, dict] = {}

    def fail_next(self, status: int = 500) -> None:
        self._failures.append(status)

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        params = {key: values[0] for key, values in parse_qs(post_data or "").items()}
        self.requests.append(
            {"method": method, "url": url, "headers": dict(headers), "params": params}
        )
        if self._failures:
            status = self._failures.pop(0)
            error = {"error": {"type": "api_error", "message": "Stripe is having a bad day."}}
            return json.dumps(error), status, {"Request-Id": "req_fake_error"}
        key = headers.get("Idempotency-Key")
        if key not in self._sessions_by_key:
            session_id = f"cs_test_{len(self._sessions_by_key) + 1:04d}"
            self._sessions_by_key[key] = {
                "id": session_id,
                "object": "checkout.session",
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            }
        return json.dumps(self._sessions_by_key[key]), 200, {"Request-Id": "req_fake"}

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
def simulated(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""


@pytest.fixture
def enterprise():
    return VerifiedEnterpriseFactory()


@pytest.fixture
def member(enterprise):
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


# --- Starting a checkout -----------------------------------------------------------------------


def test_two_lots_make_one_checkout_in_cny_fen_with_the_stored_idempotency_key(
    fake_stripe, member, enterprise
):
    session = AuctionSessionFactory()
    first = LotFactory(session=session, deposit_amount=Decimal("10000.00"))
    second = LotFactory(session=session, deposit_amount=Decimal("2500.50"))

    checkout = deposits.deposit_checkout_start(user=member, lots=[first, second])

    # ¥10,000.00 + ¥2,500.50 = 1,250,050 fen.
    assert checkout.amount_fen == 1_250_050
    assert checkout.status == CheckoutStatus.OPEN
    assert checkout.stripe_session_id == "cs_test_0001"
    assert checkout.url == "https://checkout.stripe.com/c/pay/cs_test_0001"
    [sent] = fake_stripe.requests
    assert sent["method"] == "post"
    assert sent["url"].endswith("/v1/checkout/sessions")
    assert sent["headers"]["Idempotency-Key"] == checkout.idempotency_key
    params = sent["params"]
    assert params["mode"] == "payment"
    assert params["currency"] == "cny"
    assert [params[f"payment_method_types[{i}]"] for i in range(3)] == [
        "card",
        "alipay",
        "wechat_pay",
    ]
    assert params["payment_method_options[wechat_pay][client]"] == "web"
    assert params["line_items[0][price_data][currency]"] == "cny"
    assert params["line_items[0][price_data][unit_amount]"] == "1000000"
    assert params["line_items[1][price_data][unit_amount]"] == "250050"
    assert params["line_items[0][quantity]"] == "1"
    assert first.title in params["line_items[0][price_data][product_data][name]"]
    assert params["metadata[checkout_id]"] == str(checkout.pk)
    assert params["metadata[purpose]"] == "deposits"
    assert params["success_url"].startswith("http://testserver/deposits/?checkout=")
    assert params["cancel_url"].startswith("http://testserver/deposits/?checkout=")
    created = Deposit.objects.filter(checkout=checkout).order_by("lot__number")
    assert [(d.lot, d.amount, d.status, d.method) for d in created] == [
        (first, Decimal("10000.00"), DepositStatus.PENDING, PaymentMethod.STRIPE),
        (second, Decimal("2500.50"), DepositStatus.PENDING, PaymentMethod.STRIPE),
    ]
    assert all(d.enterprise == enterprise and d.created_by == member for d in created)


def test_the_request_sent_to_stripe_does_not_depend_on_the_language(fake_stripe, member):
    lot = LotFactory()
    checkout = deposits.deposit_checkout_start(user=member, lots=[lot])
    CheckoutSession.objects.filter(pk=checkout.pk).update(status=CheckoutStatus.CREATED)
    checkout.refresh_from_db()

    with translation.override("en"):
        deposits.deposit_checkout_resume(checkout)

    first, again = fake_stripe.requests
    assert first["params"] == again["params"]
    assert first["headers"]["Idempotency-Key"] == again["headers"]["Idempotency-Key"]


@pytest.mark.parametrize(
    "verification", [VerificationStatus.UNVERIFIED, VerificationStatus.PENDING, "rejected"]
)
def test_an_enterprise_that_is_not_verified_cannot_pay(fake_stripe, verification):
    user = UserFactory(enterprise=EnterpriseFactory(verification_status=verification))

    with pytest.raises(EnterpriseNotVerifiedError):
        deposits.deposit_checkout_start(user=user, lots=[LotFactory()])

    assert not CheckoutSession.objects.exists()
    assert not Deposit.objects.exists()
    assert fake_stripe.requests == []


def test_a_user_who_acts_for_no_enterprise_cannot_pay(fake_stripe):
    with (
        in_english(),
        pytest.raises(EnterpriseNotVerifiedError, match="does not act for an enterprise"),
    ):
        deposits.deposit_checkout_start(user=UserFactory(), lots=[LotFactory()])

    assert fake_stripe.requests == []


@pytest.mark.parametrize(
    ("lot_fields", "session_fields", "reason"),
    [
        ({"status": LotStatus.DRAFT}, {}, "not in the catalogue"),
        ({"status": LotStatus.WITHDRAWN}, {}, "not in the catalogue"),
        ({"status": LotStatus.SOLD}, {}, "not in the catalogue"),
        ({}, {"status": SessionStatus.CLOSED}, "not taking deposits"),
        ({}, {"status": SessionStatus.DRAFT}, "not taking deposits"),
        ({"closes_at": timezone.now() - timedelta(minutes=1)}, {}, "has closed"),
    ],
)
def test_a_lot_that_takes_no_deposit_is_refused_by_name(
    fake_stripe, member, lot_fields, session_fields, reason
):
    open_lot = LotFactory()
    refused = LotFactory(session=AuctionSessionFactory(**session_fields), **lot_fields)

    with in_english(), pytest.raises(DepositError, match=reason) as refusal:
        deposits.deposit_checkout_start(user=member, lots=[open_lot, refused])

    assert refused.title in str(refusal.value)
    assert not Deposit.objects.exists()
    assert fake_stripe.requests == []


def test_bidding_open_still_takes_deposits(fake_stripe, member):
    now = timezone.now()
    session = AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=3),
        bidding_start=now - timedelta(days=1),
        first_lot_closes_at=now + timedelta(hours=2),
    )

    checkout = deposits.deposit_checkout_start(user=member, lots=[LotFactory(session=session)])

    assert checkout.status == CheckoutStatus.OPEN


@pytest.mark.parametrize("status", [DepositStatus.PENDING, DepositStatus.PAID])
def test_a_lot_with_an_active_deposit_is_refused_by_name(fake_stripe, member, enterprise, status):
    lot = LotFactory(title="焊缝自动打磨小车")
    DepositFactory(lot=lot, enterprise=enterprise, status=status)

    with in_english(), pytest.raises(DepositError, match="already has a deposit") as refusal:
        deposits.deposit_checkout_start(user=member, lots=[LotFactory(), lot])

    assert "焊缝自动打磨小车" in str(refusal.value)
    assert Deposit.objects.count() == 1
    assert fake_stripe.requests == []


def test_another_enterprises_deposit_does_not_block(fake_stripe, member):
    lot = LotFactory()
    DepositFactory(lot=lot)

    checkout = deposits.deposit_checkout_start(user=member, lots=[lot])

    assert checkout.deposits.get().lot == lot


def test_two_members_racing_for_the_same_lot_make_one_deposit(
    fake_stripe, member, enterprise, monkeypatch
):
    # The other member's pending deposit commits between our check and our insert; the
    # database's one-active-deposit constraint refuses ours.
    lot = LotFactory()
    DepositFactory(lot=lot, enterprise=enterprise, status=DepositStatus.PENDING)
    real_active_deposit = deposits._active_deposit
    calls = []

    def check_that_misses_the_race(enterprise, lot_ids):
        calls.append(lot_ids)
        return None if len(calls) == 1 else real_active_deposit(enterprise, lot_ids)

    monkeypatch.setattr(deposits, "_active_deposit", check_that_misses_the_race)

    with in_english(), pytest.raises(DepositError, match="already has a deposit"):
        deposits.deposit_checkout_start(user=member, lots=[lot])

    assert Deposit.objects.count() == 1
    assert not CheckoutSession.objects.exists()
    assert fake_stripe.requests == []


def test_deposits_above_one_online_payment_are_refused_with_the_bank_transfer_way(
    fake_stripe, member
):
    session = AuctionSessionFactory()
    # ¥600,000.00 + ¥400,000.00 = ¥1,000,000.00, one fen more than ¥999,999.99.
    lots = [
        LotFactory(session=session, deposit_amount=Decimal("600000.00")),
        LotFactory(session=session, deposit_amount=Decimal("400000.00")),
    ]

    with pytest.raises(DepositError) as refusal:
        deposits.deposit_checkout_start(user=member, lots=lots)

    with in_english():
        message = str(refusal.value)
    assert "¥1,000,000.00" in message
    assert "¥999,999.99" in message
    assert "bank transfer" in message
    assert "credit code" in message
    assert not Deposit.objects.exists()
    assert fake_stripe.requests == []


def test_exactly_the_largest_online_payment_is_accepted(fake_stripe, member):
    lot = LotFactory(deposit_amount=Decimal("999999.99"))

    checkout = deposits.deposit_checkout_start(user=member, lots=[lot])

    assert checkout.amount_fen == 99_999_999
    assert fake_stripe.requests[0]["params"]["line_items[0][price_data][unit_amount]"] == (
        "99999999"
    )


# --- Stripe failing, and resuming with the same key --------------------------------------------


@pytest.mark.parametrize("status", [500, 429, 400])
def test_when_stripe_fails_the_rows_stay_and_resume_reuses_the_key(
    fake_stripe, member, enterprise, status
):
    lot = LotFactory()
    fake_stripe.fail_next(status)

    with pytest.raises(PaymentError):
        deposits.deposit_checkout_start(user=member, lots=[lot])

    checkout = CheckoutSession.objects.get()
    assert checkout.status == CheckoutStatus.CREATED
    assert checkout.stripe_session_id is None
    assert checkout.deposits.get().status == DepositStatus.PENDING

    # A second start for the same lot is refused: the pending deposit is still there.
    with in_english(), pytest.raises(DepositError, match="already has a deposit"):
        deposits.deposit_checkout_start(user=member, lots=[lot])

    resumed = deposits.deposit_checkout_resume(checkout)

    first_try, second_try = fake_stripe.requests
    assert first_try["headers"]["Idempotency-Key"] == checkout.idempotency_key
    assert second_try["headers"]["Idempotency-Key"] == checkout.idempotency_key
    assert second_try["params"] == first_try["params"]
    assert resumed.status == CheckoutStatus.OPEN
    assert resumed.url.startswith("https://checkout.stripe.com/")
    assert CheckoutSession.objects.count() == 1


def test_resuming_an_open_checkout_does_not_call_stripe_again(fake_stripe, member):
    checkout = deposits.deposit_checkout_start(user=member, lots=[LotFactory()])

    assert deposits.deposit_checkout_resume(checkout).url == checkout.url
    assert len(fake_stripe.requests) == 1


def test_resuming_after_the_lot_closed_cancels_the_unsent_checkout(fake_stripe, member):
    lot = LotFactory()
    fake_stripe.fail_next()
    with pytest.raises(PaymentError):
        deposits.deposit_checkout_start(user=member, lots=[lot])
    lot.closes_at = timezone.now() - timedelta(seconds=1)
    lot.save()
    checkout = CheckoutSession.objects.get()

    with in_english(), pytest.raises(DepositError, match="has closed"):
        deposits.deposit_checkout_resume(checkout)

    checkout.refresh_from_db()
    assert checkout.status == CheckoutStatus.EXPIRED
    assert checkout.deposits.get().status == DepositStatus.CANCELLED
    assert len(fake_stripe.requests) == 1


def test_a_finished_checkout_cannot_be_resumed(fake_stripe, member):
    checkout = deposits.deposit_checkout_start(user=member, lots=[LotFactory()])
    CheckoutSession.objects.filter(pk=checkout.pk).update(status=CheckoutStatus.EXPIRED)
    checkout.refresh_from_db()

    with in_english(), pytest.raises(DepositError, match="finished"):
        deposits.deposit_checkout_resume(checkout)


# --- The checkout view -------------------------------------------------------------------------


def test_posting_lots_redirects_to_stripe_with_303(fake_stripe, member_client):
    lots = [LotFactory(), LotFactory()]

    response = member_client.post(
        reverse("marketplace:deposit_checkout"), {"lot": [lot.pk for lot in lots]}
    )

    checkout = CheckoutSession.objects.get()
    assert response.status_code == 303
    assert response["Location"] == checkout.url
    assert checkout.deposits.count() == 2


def test_a_refusal_goes_back_to_a_local_next_page_with_the_message(fake_stripe, member_client):
    lot = LotFactory(status=LotStatus.WITHDRAWN)

    response = member_client.post(
        "/en/deposits/checkout/", {"lot": lot.pk, "next": "/en/lots/7/"}, follow=False
    )

    assert response.status_code == 303
    assert response["Location"] == "/en/lots/7/"
    page = member_client.get("/en/deposits/")
    assert f"Lot {lot.number} ({lot.title}) is not in the catalogue" in page.content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_a_refusal_never_redirects_off_the_site(fake_stripe, member_client, next_url):
    lot = LotFactory(status=LotStatus.DRAFT)

    response = member_client.post(
        reverse("marketplace:deposit_checkout"), {"lot": lot.pk, "next": next_url}
    )

    assert response.status_code == 303
    assert response["Location"] == reverse("marketplace:my_deposits")


@pytest.mark.parametrize("lots", [[], ["abc"], ["999999"]])
def test_bad_lot_input_is_a_message_not_an_error(fake_stripe, member_client, lots):
    response = member_client.post(reverse("marketplace:deposit_checkout"), {"lot": lots})

    assert response.status_code == 303
    assert not CheckoutSession.objects.exists()


def test_the_checkout_view_needs_a_login_and_a_post(client, member):
    url = reverse("marketplace:deposit_checkout")

    anonymous = client.post(url, {"lot": 1})
    client.force_login(member)

    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert client.get(url).status_code == 405


def test_the_view_resumes_only_the_enterprises_own_checkout(fake_stripe, member_client, member):
    fake_stripe.fail_next()
    with pytest.raises(PaymentError):
        deposits.deposit_checkout_start(user=member, lots=[LotFactory()])
    checkout = CheckoutSession.objects.get()
    stranger = UserFactory(enterprise=VerifiedEnterpriseFactory())
    url = reverse("marketplace:deposit_checkout")

    member_client.force_login(stranger)
    assert member_client.post(url, {"checkout": checkout.pk}).status_code == 404

    member_client.force_login(member)
    response = member_client.post(url, {"checkout": checkout.pk})
    checkout.refresh_from_db()
    assert response.status_code == 303
    assert response["Location"] == checkout.url
    assert checkout.status == CheckoutStatus.OPEN


# --- The simulated checkout (no Stripe key) -----------------------------------------------------


@pytest.mark.parametrize(("prefix", "language"), [("", "zh-hans"), ("/en", "en")])
def test_simulated_payment_pays_the_deposits_through_the_webhook(
    simulated, member_client, enterprise, prefix, language
):
    lot = LotFactory(deposit_amount=Decimal("12345.60"))

    response = member_client.post(f"{prefix}/deposits/checkout/", {"lot": lot.pk})

    checkout = CheckoutSession.objects.get()
    assert checkout.stripe_session_id.startswith("cs_sim_")
    assert response.status_code == 303
    assert (
        response["Location"]
        == f"{prefix}/deposits/checkout/simulated/{checkout.stripe_session_id}/"
    )

    page = member_client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<html lang="{language}">' in html
    assert "¥12,345.60" in html
    assert lot.title in html
    assert 'value="pay"' in html
    assert 'value="cancel"' in html

    paid = member_client.post(response["Location"], {"action": "pay"})

    assert paid.status_code == 303
    assert paid["Location"] == f"{prefix}/deposits/"
    deposit = Deposit.objects.get()
    checkout.refresh_from_db()
    assert deposit.status == DepositStatus.PAID
    assert deposit.paid_at is not None
    assert checkout.status == CheckoutStatus.COMPLETED
    assert checkout.payment_intent_id.startswith("pi_sim_")
    event = StripeEvent.objects.get()
    assert event.event_id.startswith("evt_sim_")
    assert event.type == "checkout.session.completed"
    assert account_balance_fen(enterprise_deposits_account(enterprise)) == -1_234_560
    assert account_balance_fen(platform_account(PLATFORM_CLEARING)) == 1_234_560
    my_page = member_client.get(paid["Location"]).content.decode()
    assert f'<html lang="{language}">' in my_page
    assert "messages__item--success" in my_page
    if language == "en":
        assert "Simulated payment received" in my_page


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_simulated_cancel_expires_the_checkout_and_frees_the_lot(simulated, member_client, prefix):
    lot = LotFactory()
    start = member_client.post(f"{prefix}/deposits/checkout/", {"lot": lot.pk})

    cancelled = member_client.post(start["Location"], {"action": "cancel"})

    assert cancelled.status_code == 303
    checkout = CheckoutSession.objects.get()
    assert checkout.status == CheckoutStatus.EXPIRED
    assert checkout.deposits.get().status == DepositStatus.CANCELLED
    assert not LedgerTransaction.objects.exists()
    again = member_client.post(f"{prefix}/deposits/checkout/", {"lot": lot.pk})
    assert again.status_code == 303
    assert CheckoutSession.objects.count() == 2
    assert Deposit.objects.filter(status=DepositStatus.PENDING).count() == 1


def test_a_finished_simulated_checkout_cannot_be_paid_again(simulated, member_client):
    start = member_client.post("/deposits/checkout/", {"lot": LotFactory().pk})
    member_client.post(start["Location"], {"action": "pay"})

    again = member_client.post(start["Location"], {"action": "pay"})

    assert again.status_code == 303
    assert StripeEvent.objects.count() == 1
    assert LedgerTransaction.objects.count() == 1


def test_the_simulated_checkout_is_the_enterprises_own(simulated, member_client):
    start = member_client.post("/deposits/checkout/", {"lot": LotFactory().pk})
    member_client.force_login(UserFactory(enterprise=VerifiedEnterpriseFactory()))

    assert member_client.get(start["Location"]).status_code == 404
    assert member_client.post(start["Location"], {"action": "pay"}).status_code == 404
    assert Deposit.objects.get().status == DepositStatus.PENDING


def test_the_simulated_checkout_does_not_exist_with_a_stripe_key(settings, member_client):
    settings.STRIPE_SECRET_KEY = ""
    start = member_client.post("/deposits/checkout/", {"lot": LotFactory().pk})
    settings.STRIPE_SECRET_KEY = "sk_live_real"

    assert member_client.get(start["Location"]).status_code == 404
    assert member_client.post(start["Location"], {"action": "pay"}).status_code == 404
    assert Deposit.objects.get().status == DepositStatus.PENDING


def test_simulated_events_are_refused_once_a_real_webhook_secret_is_set(settings, member):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    checkout = deposits.deposit_checkout_start(user=member, lots=[LotFactory()])
    payload, signature = payments.simulated_checkout_event(
        event_type="checkout.session.completed",
        session_id=checkout.stripe_session_id,
        amount_fen=checkout.amount_fen,
        metadata=deposits.checkout_metadata(checkout),
    )
    settings.STRIPE_SECRET_KEY = "sk_live_real"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_real"

    with pytest.raises(payments.WebhookSignatureInvalidError):
        payments.webhook_event_construct(payload, signature)


# --- Bank transfer, confirmed by union staff --------------------------------------------------


def pdf_receipt() -> SimpleUploadedFile:
    return SimpleUploadedFile("回单.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")


def png_receipt() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("receipt.png", buffer.getvalue())


@pytest.fixture
def staff():
    return UserFactory(role=Role.UNION_STAFF)


@pytest.fixture
def big_lot():
    # ¥1,500,000.00: more than one online payment can take.
    return LotFactory(deposit_amount=Decimal("1500000.00"))


@pytest.mark.parametrize("receipt", [pdf_receipt, png_receipt, lambda: None])
def test_staff_confirm_a_bank_transfer_and_the_ledger_holds_it(
    settings, tmp_path, staff, enterprise, big_lot, receipt
):
    settings.MEDIA_ROOT = tmp_path

    deposit = deposits.deposit_bank_transfer_confirm(
        staff_user=staff,
        lot=big_lot,
        enterprise=enterprise,
        amount=Decimal("1500000.00"),
        bank_reference="  ICBC 20260301-889  ",
        receipt_file=receipt(),
    )

    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.PAID
    assert deposit.method == PaymentMethod.BANK_TRANSFER
    assert deposit.bank_reference == "ICBC 20260301-889"
    assert deposit.confirmed_by == staff
    assert deposit.created_by == staff
    assert deposit.paid_at is not None
    assert deposit.checkout is None
    if receipt() is None:
        assert not deposit.receipt
    else:
        assert deposit.receipt.name.startswith("receipts/")
        assert not deposit.receipt.name.endswith(("回单.pdf", "receipt.png"))
    assert account_balance_fen(enterprise_deposits_account(enterprise)) == -150_000_000
    assert account_balance_fen(platform_account(PLATFORM_CLEARING)) == 150_000_000
    transaction = LedgerTransaction.objects.get()
    assert transaction.idempotency_key == f"deposit:{deposit.pk}:paid"
    assert sum(entry.amount_fen for entry in transaction.entries.all()) == 0


def test_a_superuser_may_confirm_a_bank_transfer(enterprise, big_lot):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    deposit = deposits.deposit_bank_transfer_confirm(
        staff_user=superuser,
        lot=big_lot,
        enterprise=enterprise,
        amount=Decimal("1500000.00"),
        bank_reference="BOC-1",
    )

    assert deposit.status == DepositStatus.PAID


@pytest.mark.parametrize("role", [Role.ENTERPRISE_MEMBER, Role.WORKER, None])
def test_only_staff_confirm_a_bank_transfer(enterprise, big_lot, role):
    someone = UserFactory(role=role, enterprise=enterprise, is_staff=True)

    with in_english(), pytest.raises(DepositError, match="Only union staff"):
        deposits.deposit_bank_transfer_confirm(
            staff_user=someone,
            lot=big_lot,
            enterprise=enterprise,
            amount=Decimal("1500000.00"),
            bank_reference="ICBC-1",
        )

    assert not Deposit.objects.exists()
    assert not LedgerTransaction.objects.exists()


@pytest.mark.parametrize("reference", ["", "   ", None, "长" * 101])
def test_a_bank_transfer_needs_a_reference(staff, enterprise, big_lot, reference):
    with in_english(), pytest.raises(DepositError, match="reference"):
        deposits.deposit_bank_transfer_confirm(
            staff_user=staff,
            lot=big_lot,
            enterprise=enterprise,
            amount=Decimal("1500000.00"),
            bank_reference=reference,
        )

    assert not Deposit.objects.exists()


@pytest.mark.parametrize(
    "receipt",
    [
        lambda: SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 this is a program"),
        lambda: SimpleUploadedFile("receipt.pdf", png_receipt().read()),
        lambda: SimpleUploadedFile("receipt.png", b"\x89PNG\r\n\x1a\n broken"),
    ],
)
def test_a_receipt_must_be_a_sound_pdf_or_image(
    settings, tmp_path, staff, enterprise, big_lot, receipt
):
    settings.MEDIA_ROOT = tmp_path

    with pytest.raises(DepositError):
        deposits.deposit_bank_transfer_confirm(
            staff_user=staff,
            lot=big_lot,
            enterprise=enterprise,
            amount=Decimal("1500000.00"),
            bank_reference="ICBC-1",
            receipt_file=receipt(),
        )

    assert not Deposit.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


@pytest.mark.parametrize("amount", [Decimal("1499999.99"), Decimal("1500000.001"), "1500000"])
def test_a_bank_transfer_must_be_exactly_the_lots_deposit(staff, enterprise, big_lot, amount):
    with pytest.raises(DepositError, match="¥1,500,000.00"):
        deposits.deposit_bank_transfer_confirm(
            staff_user=staff,
            lot=big_lot,
            enterprise=enterprise,
            amount=amount,
            bank_reference="ICBC-1",
        )


def test_a_bank_transfer_is_refused_for_an_unverified_enterprise_or_a_second_deposit(
    staff, enterprise, big_lot
):
    arguments = {"staff_user": staff, "lot": big_lot, "amount": Decimal("1500000.00")}
    with pytest.raises(EnterpriseNotVerifiedError):
        deposits.deposit_bank_transfer_confirm(
            enterprise=EnterpriseFactory(), bank_reference="ICBC-1", **arguments
        )
    deposits.deposit_bank_transfer_confirm(
        enterprise=enterprise, bank_reference="ICBC-2", **arguments
    )

    with in_english(), pytest.raises(DepositError, match="already has a deposit"):
        deposits.deposit_bank_transfer_confirm(
            enterprise=enterprise, bank_reference="ICBC-3", **arguments
        )

    assert Deposit.objects.count() == 1
    assert LedgerTransaction.objects.count() == 1
