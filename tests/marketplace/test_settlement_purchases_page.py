"""The enterprise's "My purchases" pages (marketplace.views.purchases): only its own, what is
due, online payment or bank details, and the simulated checkout end to end."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import Role
from marketplace.choices import CheckoutStatus, PaymentMethod
from marketplace.models import BalanceCheckout, DepositRefund, Settlement
from marketplace.models.settlement import RefundStatus, SettlementStatus
from marketplace.services.defaults import settlements_default_overdue
from marketplace.services.settlement import settlement_bank_payment_confirm
from tests.factories.accounts import UserFactory
from tests.marketplace import settlement_scenarios as scenarios
from tests.marketplace.settlement_scenarios import (
    sold_lot,
)

simulated_stripe = scenarios.simulated_stripe
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_stripe")]


@pytest.fixture
def sale(django_capture_on_commit_callbacks):
    lot, winner, [underbidder] = sold_lot(django_capture_on_commit_callbacks)
    return Settlement.objects.get(lot=lot), winner, underbidder


def test_the_buyer_sees_the_purchase_and_what_is_left_to_pay(client, sale):
    settlement, winner, _underbidder = sale
    client.force_login(winner)

    listing = client.get("/en/purchases/").content.decode()
    detail = client.get(f"/en/purchases/{settlement.pk}/").content.decode()

    assert settlement.lot.title in listing
    assert "¥120,000.00" in listing
    assert "¥130,000.00" in detail and "¥10,000.00" in detail
    assert "Pay ¥120,000.00 online" in detail
    assert "Account number" in detail


def test_the_page_renders_in_chinese_by_default(client, sale):
    settlement, winner, _underbidder = sale
    client.force_login(winner)

    response = client.get(f"/purchases/{settlement.pk}/")

    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_another_enterprise_gets_a_404(client, sale):
    settlement, _winner, underbidder = sale
    client.force_login(underbidder)

    assert client.get(f"/en/purchases/{settlement.pk}/").status_code == 404
    assert client.post(f"/en/purchases/{settlement.pk}/pay/").status_code == 404
    assert f"/purchases/{settlement.pk}/" not in client.get("/en/purchases/").content.decode()


def test_a_worker_without_an_enterprise_gets_a_404_and_anonymous_users_log_in(client, sale):
    settlement, _winner, _underbidder = sale

    assert client.get(f"/en/purchases/{settlement.pk}/").status_code == 302
    client.force_login(UserFactory(role=Role.WORKER))
    assert client.get(f"/en/purchases/{settlement.pk}/").status_code == 404


def test_the_underbidder_sees_its_deposit_refund(client, sale):
    _settlement, _winner, underbidder = sale
    client.force_login(underbidder)

    content = client.get("/en/purchases/").content.decode()

    assert "Refunds" in content
    assert "Deposit" in content
    assert "Refunded" in content


def test_above_the_card_limit_only_the_bank_details_are_offered(client, settings, sale):
    settlement, winner, _underbidder = sale
    settings.SETTLEMENT_CARD_LIMIT_FEN = 1_000_000
    client.force_login(winner)

    detail = client.get(f"/en/purchases/{settlement.pk}/").content.decode()

    assert "online</button>" not in detail
    assert "more than one online payment can take (¥10,000.00)" in detail
    response = client.post(f"/en/purchases/{settlement.pk}/pay/", follow=True)
    assert "Pay it by bank transfer" in response.content.decode()


def test_paying_through_the_simulated_checkout_settles_the_purchase(client, sale):
    settlement, winner, _underbidder = sale
    client.force_login(winner)

    response = client.post(f"/en/purchases/{settlement.pk}/pay/")
    assert response.status_code == 303
    page = client.get(response["Location"])
    assert "¥120,000.00" in page.content.decode()
    client.post(response["Location"], {"action": "pay"})

    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.PAID
    assert settlement.amount_received == Decimal("130000.00")


def test_the_site_header_links_enterprise_members_to_their_purchases(client, sale):
    _settlement, winner, _underbidder = sale
    client.force_login(winner)

    content = client.get("/en/auctions/").content.decode()

    assert 'href="/en/purchases/"' in content


def test_the_site_header_has_no_purchases_link_for_a_worker(client, sale):
    client.force_login(UserFactory(role=Role.WORKER))

    content = client.get("/en/auctions/").content.decode()

    assert "/purchases/" not in content


# --- Refunds of balance payments, not only deposits ------------------------------------------


def _unapplied_online_payment(settlement, member, amount="5000.00") -> DepositRefund:
    """An online balance payment the settlement no longer took, as the webhook leaves it."""
    tag = uuid.uuid4().hex[:12]
    checkout = BalanceCheckout.objects.create(
        settlement=settlement,
        created_by=member,
        idempotency_key=f"balance-checkout:{tag}",
        stripe_session_id=f"cs_test_{tag}",
        amount_fen=int(Decimal(amount) * 100),
        status=CheckoutStatus.COMPLETED,
        payment_intent_id=f"pi_test_{tag}",
    )
    return DepositRefund.objects.create(
        balance_checkout=checkout, amount=Decimal(amount), method=PaymentMethod.STRIPE
    )


def _refunds_section(content: str) -> str:
    return content.split('id="refunds-title"', 1)[1]


def test_a_defaulted_buyer_sees_its_balance_payment_refund_naming_the_lot(
    client, sale, union_staff
):
    settlement, winner, _underbidder = sale
    settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="50000.00", bank_reference="A"
    )
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))
    refund = DepositRefund.objects.get(payment__settlement=settlement)
    assert refund.status == RefundStatus.BANK_TRANSFER_DUE
    client.force_login(winner)

    refunds = _refunds_section(client.get("/en/purchases/").content.decode())

    assert "Balance payment" in refunds
    assert settlement.lot.title in refunds
    assert "¥50,000.00" in refunds
    assert "To refund by bank transfer" in refunds


def test_an_unapplied_online_payment_refund_is_listed_for_the_buyer(client, sale):
    settlement, winner, _underbidder = sale
    _unapplied_online_payment(settlement, winner, amount="7000.00")
    client.force_login(winner)

    refunds = _refunds_section(client.get("/en/purchases/").content.decode())

    assert "Online payment not applied" in refunds
    assert settlement.lot.title in refunds
    assert "¥7,000.00" in refunds


def test_another_enterprise_does_not_see_the_buyers_payment_refunds(client, sale):
    settlement, winner, underbidder = sale
    _unapplied_online_payment(settlement, winner, amount="7000.00")
    client.force_login(underbidder)

    refunds = _refunds_section(client.get("/en/purchases/").content.decode())

    assert ">Deposit</td>" in refunds  # its own deposit refund
    assert "Online payment not applied" not in refunds
    assert "¥7,000.00" not in refunds


def test_the_page_takes_as_many_queries_for_many_refunds_as_for_one(client, sale):
    settlement, winner, _underbidder = sale
    client.force_login(winner)
    _unapplied_online_payment(settlement, winner)
    client.get("/en/purchases/")  # warm the cached header menu and the site look-ups
    with CaptureQueriesContext(connection) as one:
        client.get("/en/purchases/")

    for _ in range(3):
        _unapplied_online_payment(settlement, winner)
    with CaptureQueriesContext(connection) as four:
        content = client.get("/en/purchases/").content.decode()

    assert _refunds_section(content).count("Online payment not applied") == 4
    assert len(four) == len(one)
