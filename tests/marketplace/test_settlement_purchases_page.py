"""The enterprise's "My purchases" pages (marketplace.views.purchases): only its own, what is
due, online payment or bank details, and the simulated checkout end to end."""

from decimal import Decimal

import pytest

from accounts.choices import Role
from marketplace.models import Settlement
from marketplace.models.settlement import SettlementStatus
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

    assert "Deposit refunds" in content
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
