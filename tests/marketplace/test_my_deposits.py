"""The "my deposits" page: an enterprise sees its own deposits and unfinished payments only."""

import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.choices import Role
from marketplace.choices import CheckoutStatus, DepositStatus, PaymentMethod
from marketplace.models import CheckoutSession
from marketplace.selectors import deposits_of_enterprise
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)

pytestmark = pytest.mark.django_db

# The login session, the user, their enterprise, the unfinished checkouts with their deposits
# and lots (three), the user's permissions for the Wagtail user bar (two) and the deposits with
# their lots and sessions. A query per row would show up between 2 and 12 deposits.
PAGE_QUERIES = 9


@pytest.fixture
def enterprise():
    return VerifiedEnterpriseFactory(name="上海申江精密机械有限公司")


@pytest.fixture
def member(enterprise):
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_a_member_sees_the_enterprises_deposits_and_no_one_elses(member_client, enterprise):
    session = AuctionSessionFactory(name="2030年春季职工创新成果拍卖会")
    ours = DepositFactory(
        enterprise=enterprise,
        lot=LotFactory(session=session, number=7, title="焊缝自动打磨小车"),
        amount=Decimal("12345.60"),
    )
    DepositFactory(lot=LotFactory(session=session, title="别家企业的拍品"))

    response = member_client.get(reverse("marketplace:my_deposits"))

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["deposits"]) == [ours]
    assert "焊缝自动打磨小车" in html
    assert "2030年春季职工创新成果拍卖会" in html
    assert "¥12,345.60" in html
    assert ours.paid_at.astimezone().strftime("%Y") in html
    assert "别家企业的拍品" not in html


def test_the_selector_returns_only_the_enterprises_deposits(enterprise):
    ours = DepositFactory(enterprise=enterprise)
    DepositFactory()

    assert list(deposits_of_enterprise(enterprise)) == [ours]


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [("/deposits/", "zh-hans", "状态"), ("/en/deposits/", "en", "Status")],
)
def test_the_page_renders_in_both_languages(member_client, enterprise, path, language, heading):
    DepositFactory(enterprise=enterprise, lot=LotFactory(title="焊缝自动打磨小车"))

    response = member_client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert html_lang(response) == language
    assert f">{heading}</th>" in html
    assert "焊缝自动打磨小车" in html


def test_statuses_methods_and_dates_are_shown(member_client, enterprise):
    DepositFactory(
        enterprise=enterprise,
        lot=LotFactory(title="已退还"),
        status=DepositStatus.REFUNDED,
        method=PaymentMethod.BANK_TRANSFER,
        bank_reference="ICBC-1",
    )

    html = member_client.get("/en/deposits/").content.decode()

    assert "Refunded" in html
    assert "Bank transfer" in html
    assert "status--deposit-refunded" in html


def test_the_page_needs_a_login(client):
    response = client.get(reverse("marketplace:my_deposits"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_user_without_an_enterprise_is_told_why_there_is_nothing(client):
    client.force_login(UserFactory(role=Role.WORKER))
    DepositFactory()

    response = client.get("/en/deposits/")

    assert response.status_code == 200
    assert list(response.context["deposits"]) == []
    assert "does not act for an enterprise" in response.content.decode()


def test_unfinished_payments_offer_to_continue(member_client, member, enterprise):
    lot = LotFactory(title="待付款拍品")
    open_one = CheckoutSession.objects.create(
        enterprise=enterprise,
        created_by=member,
        idempotency_key="deposit-checkout:open",
        stripe_session_id="cs_test_open",
        url="https://checkout.stripe.com/c/pay/cs_test_open",
        amount_fen=1_000_000,
        status=CheckoutStatus.OPEN,
    )
    DepositFactory(
        lot=lot,
        enterprise=enterprise,
        status=DepositStatus.PENDING,
        checkout=open_one,
    )
    unsent = CheckoutSession.objects.create(
        enterprise=enterprise,
        created_by=member,
        idempotency_key="deposit-checkout:unsent",
        amount_fen=500_000,
    )
    DepositFactory(
        lot=LotFactory(deposit_amount=Decimal("5000.00")),
        enterprise=enterprise,
        status=DepositStatus.PENDING,
        checkout=unsent,
    )
    other_enterprise = VerifiedEnterpriseFactory()
    CheckoutSession.objects.create(
        enterprise=other_enterprise,
        created_by=UserFactory(enterprise=other_enterprise),
        idempotency_key="deposit-checkout:theirs",
        amount_fen=700_000,
    )

    html = member_client.get("/en/deposits/").content.decode()

    assert 'href="https://checkout.stripe.com/c/pay/cs_test_open"' in html
    assert "¥10,000.00" in html
    assert f'name="checkout" value="{unsent.pk}"' in html
    assert "¥5,000.00" in html
    assert "¥7,000.00" not in html


def test_coming_back_from_stripe_says_the_payment_is_being_confirmed(member_client):
    html = member_client.get("/en/deposits/?checkout=1&result=paid").content.decode()

    assert "as soon as the payment service confirms the payment" in html


def test_the_page_makes_the_same_number_of_queries_for_few_and_many_deposits(
    member_client, member, enterprise, django_assert_max_num_queries
):
    def add_rows(count):
        checkout = CheckoutSession.objects.create(
            enterprise=enterprise,
            created_by=member,
            idempotency_key=f"deposit-checkout:{count}",
            amount_fen=1_000_000 * count,
            status=CheckoutStatus.CREATED,
        )
        for _ in range(count):
            DepositFactory(enterprise=enterprise)
            DepositFactory(enterprise=enterprise, status=DepositStatus.PENDING, checkout=checkout)

    add_rows(1)
    # Warm the cached header menu and the site look-ups.
    member_client.get(reverse("marketplace:my_deposits"))
    with django_assert_max_num_queries(PAGE_QUERIES):
        few = member_client.get(reverse("marketplace:my_deposits"))
    add_rows(5)
    with django_assert_max_num_queries(PAGE_QUERIES):
        many = member_client.get(reverse("marketplace:my_deposits"))

    assert len(few.context["deposits"]) == 2
    assert len(many.context["deposits"]) == 12


# --- Receipts ----------------------------------------------------------------------------------


@pytest.fixture
def deposit_with_receipt(settings, tmp_path, enterprise):
    settings.MEDIA_ROOT = tmp_path
    deposit = DepositFactory(
        enterprise=enterprise, method=PaymentMethod.BANK_TRANSFER, bank_reference="ICBC-1"
    )
    deposit.receipt.save("r.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return deposit


def test_the_enterprise_downloads_its_receipt(member_client, deposit_with_receipt):
    url = reverse("marketplace:deposit_receipt", kwargs={"pk": deposit_with_receipt.pk})

    page = member_client.get(reverse("marketplace:my_deposits")).content.decode()
    response = member_client.get(url)

    assert f'href="{url}"' in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_no_one_else_downloads_a_receipt_but_staff(client, deposit_with_receipt):
    url = reverse("marketplace:deposit_receipt", kwargs={"pk": deposit_with_receipt.pk})

    client.force_login(UserFactory(enterprise=VerifiedEnterpriseFactory()))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role=Role.WORKER))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role=Role.UNION_STAFF))
    assert client.get(url).status_code == 200


def test_a_deposit_without_a_receipt_has_no_download(member_client, enterprise):
    deposit = DepositFactory(enterprise=enterprise)

    response = member_client.get(reverse("marketplace:deposit_receipt", kwargs={"pk": deposit.pk}))

    assert response.status_code == 404
