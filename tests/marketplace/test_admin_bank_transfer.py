"""Staff record a deposit paid by bank transfer from the lot's admin page."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from accounts.choices import Role
from marketplace.choices import DepositStatus, PaymentMethod
from marketplace.models import Deposit
from marketplace.money import yuan_to_fen
from marketplace.services.ledger import account_balance_fen, enterprise_deposits_account
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import LotFactory, VerifiedEnterpriseFactory

pytestmark = pytest.mark.django_db


def transfer_url(lot) -> str:
    return f"/admin/auctions/lots/deposit/{lot.pk}/"


def receipt_png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("回单.png", buffer.getvalue(), "image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_staff_record_a_transfer_and_the_ledger_holds_it(client, union_staff, media):
    lot = LotFactory()
    enterprise = VerifiedEnterpriseFactory()
    client.force_login(union_staff)

    response = client.post(
        transfer_url(lot),
        {
            "enterprise": enterprise.pk,
            "amount": str(lot.deposit_amount),
            "bank_reference": "ICBC20261123-0001",
            "receipt": receipt_png(),
        },
    )

    assert response.status_code == 302
    deposit = Deposit.objects.get()
    assert (deposit.status, deposit.method, deposit.bank_reference) == (
        DepositStatus.PAID,
        PaymentMethod.BANK_TRANSFER,
        "ICBC20261123-0001",
    )
    assert deposit.confirmed_by == union_staff
    held = enterprise_deposits_account(enterprise)
    assert account_balance_fen(held) == -yuan_to_fen(lot.deposit_amount)


def test_the_form_offers_the_lots_deposit_and_is_chinese(client, union_staff):
    lot = LotFactory()
    client.force_login(union_staff)

    content = client.get(transfer_url(lot)).content.decode()

    assert '<html lang="zh-hans"' in content
    assert f'value="{lot.deposit_amount}"' in content


def test_a_wrong_amount_is_refused_and_nothing_is_recorded(client, union_staff):
    lot = LotFactory()
    client.force_login(union_staff)

    response = client.post(
        transfer_url(lot),
        {
            "enterprise": VerifiedEnterpriseFactory().pk,
            "amount": str(lot.deposit_amount - Decimal("1")),
            "bank_reference": "ICBC-1",
        },
    )

    assert response.status_code == 200
    with translation.override("zh-hans"):
        assert response.context["form"].non_field_errors()
    assert not Deposit.objects.exists()


def test_a_missing_reference_is_refused(client, union_staff):
    lot = LotFactory()
    client.force_login(union_staff)

    response = client.post(
        transfer_url(lot),
        {"enterprise": VerifiedEnterpriseFactory().pk, "amount": str(lot.deposit_amount)},
    )

    assert response.status_code == 200
    assert not Deposit.objects.exists()


def test_a_worker_cannot_record_deposits(client):
    lot = LotFactory()
    client.force_login(UserFactory(role=Role.WORKER))

    response = client.post(
        transfer_url(lot),
        {
            "enterprise": VerifiedEnterpriseFactory().pk,
            "amount": str(lot.deposit_amount),
            "bank_reference": "X",
        },
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not Deposit.objects.exists()
