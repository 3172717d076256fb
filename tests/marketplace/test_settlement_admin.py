"""The "Settlement" menu of the Wagtail admin (marketplace.admin.settlements, .refunds):
union staff only, and every action goes through its service."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.choices import Role
from marketplace.choices import LotStatus, SessionStatus
from marketplace.models import DepositRefund, Lot, Settlement
from marketplace.models.settlement import (
    DefaultResolution,
    RefundStatus,
    SettlementKind,
    SettlementStatus,
)
from marketplace.services.bidding import bid_place
from marketplace.services.defaults import settlements_default_overdue
from marketplace.services.settlement import settlement_bank_payment_confirm
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import AuctionSessionFactory
from tests.marketplace import settlement_scenarios as scenarios
from tests.marketplace.settlement_scenarios import bidder, close, open_lot, sold_lot

fake_stripe = scenarios.fake_stripe
simulated_stripe = scenarios.simulated_stripe
pytestmark = pytest.mark.django_db

INDEX = "/admin/settlement/purchases/"
REFUNDS = "/admin/settlement/refunds/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sale(simulated_stripe, django_capture_on_commit_callbacks):
    lot, winner, others = sold_lot(django_capture_on_commit_callbacks)
    return Settlement.objects.get(lot=lot), winner, others


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.mark.parametrize("role", [Role.WORKER, Role.ENTERPRISE_MEMBER])
def test_only_union_staff_reach_the_settlement_screens(client, sale, role):
    settlement, _winner, _others = sale
    refund = DepositRefund.objects.get()
    client.force_login(UserFactory(role=role))

    for url in (
        INDEX,
        f"{INDEX}inspect/{settlement.pk}/",
        f"{INDEX}bank-transfer/{settlement.pk}/",
        f"{INDEX}negotiated/",
        REFUNDS,
        f"{REFUNDS}inspect/{refund.pk}/",
    ):
        assert client.get(url).status_code in (302, 403), url
    response = client.post(
        f"{INDEX}bank-transfer/{settlement.pk}/",
        {"amount": "100.00", "bank_reference": "X"},
    )
    assert response.status_code in (302, 403)
    assert Settlement.objects.get(pk=settlement.pk).amount_received == Decimal("10000.00")


def test_staff_list_and_inspect_settlements(staff_client, sale):
    settlement, _winner, _others = sale

    listing = staff_client.get(INDEX)
    page = staff_client.get(f"{INDEX}inspect/{settlement.pk}/")

    assert listing.status_code == 200
    assert settlement.lot.title in listing.content.decode()
    assert page.status_code == 200
    assert "¥130,000.00" in page.content.decode()


def test_staff_record_a_partial_bank_transfer(staff_client, sale, union_staff):
    settlement, _winner, _others = sale

    response = staff_client.post(
        f"{INDEX}bank-transfer/{settlement.pk}/",
        {"amount": "20000.00", "bank_reference": "ICBC-9"},
    )

    assert response.status_code == 302
    settlement.refresh_from_db()
    assert settlement.amount_received == Decimal("30000.00")
    assert settlement.receipts.get(reference="ICBC-9").recorded_by == union_staff


def test_staff_download_a_bank_receipt_and_nobody_else_can(client, staff_client, sale):
    settlement, winner, _others = sale
    staff_client.post(
        f"{INDEX}bank-transfer/{settlement.pk}/",
        {
            "amount": "20000.00",
            "bank_reference": "ICBC-9",
            "receipt": SimpleUploadedFile("回单.pdf", b"%PDF-1.4 receipt", "application/pdf"),
        },
    )
    receipt = settlement.receipts.get(reference="ICBC-9")
    url = f"{INDEX}receipts/{settlement.pk}/{receipt.pk}/"

    page = staff_client.get(f"{INDEX}inspect/{settlement.pk}/").content.decode()
    response = staff_client.get(url)

    assert url in page
    assert b"".join(response.streaming_content) == b"%PDF-1.4 receipt"
    staff_client.force_login(winner)
    assert staff_client.get(url).status_code in (302, 403)


def test_an_overpayment_shows_on_the_form_and_records_nothing(staff_client, sale):
    settlement, _winner, _others = sale

    response = staff_client.post(
        f"{INDEX}bank-transfer/{settlement.pk}/",
        {"amount": "999999.00", "bank_reference": "ICBC-9"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    # The admin speaks the staff member's own language (Chinese unless they chose English).
    assert "超过尚需支付的尾款" in response.content.decode()
    assert settlement.receipts.count() == 1


def test_staff_offer_a_defaulted_lot_to_the_runner_up(staff_client, sale):
    settlement, _winner, [second] = sale
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))

    page = staff_client.get(f"{INDEX}inspect/{settlement.pk}/").content.decode()
    assert second.enterprise.name in page
    response = staff_client.post(f"{INDEX}runner-up/{settlement.pk}/")

    assert response.status_code == 302
    offer = Settlement.objects.get(kind=SettlementKind.RUNNER_UP)
    assert offer.buyer == second.enterprise
    # Each settlement's page links to the lot's other buyers.
    page = staff_client.get(f"{INDEX}inspect/{settlement.pk}/")
    assert f"{INDEX}inspect/{offer.pk}/" in page.content.decode()


def test_staff_relist_a_defaulted_lot(staff_client, sale):
    settlement, _winner, _others = sale
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))
    later = AuctionSessionFactory(
        status=SessionStatus.DRAFT,
        preview_start=timezone.now() + timedelta(days=30),
        bidding_start=timezone.now() + timedelta(days=32),
        first_lot_closes_at=timezone.now() + timedelta(days=33),
    )

    response = staff_client.post(f"{INDEX}relist/{settlement.pk}/", {"session": later.pk})

    assert response.status_code == 302
    settlement.refresh_from_db()
    assert settlement.resolution == DefaultResolution.RELISTED
    assert Lot.objects.get(session=later).status == LotStatus.DRAFT


def test_staff_record_a_negotiated_deal(staff_client, simulated_stripe, capture_passed):
    lot = capture_passed

    response = staff_client.post(f"{INDEX}negotiated/", {"lot": lot.pk, "price": "380000.00"})

    assert response.status_code == 302
    settlement = Settlement.objects.get(lot=lot)
    assert (settlement.kind, settlement.amount_due) == (
        SettlementKind.NEGOTIATED,
        Decimal("380000.00"),
    )
    assert settlement.status == SettlementStatus.AWAITING_PAYMENT


@pytest.fixture
def capture_passed(simulated_stripe, django_capture_on_commit_callbacks):
    lot = open_lot(reserve="500000.00")
    member = bidder(lot, "上海甲公司")
    bid_place(user=member, lot_id=lot.pk, max_amount="300000.00")
    return close(lot, django_capture_on_commit_callbacks)


def test_staff_see_a_failed_refund_with_its_error_and_retry_it(
    staff_client, fake_stripe, django_capture_on_commit_callbacks
):
    fake_stripe.fail_next(500)
    lot, _winner, _others = sold_lot(django_capture_on_commit_callbacks)
    refund = DepositRefund.objects.get(deposit__lot=lot)

    listing = staff_client.get(f"{REFUNDS}?status=failed").content.decode()
    assert "bad day" in listing
    response = staff_client.post(f"{REFUNDS}retry/{refund.pk}/")

    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED


def test_staff_confirm_a_bank_transfer_refund(
    staff_client, simulated_stripe, union_staff, django_capture_on_commit_callbacks
):
    lot = open_lot()
    by_bank = bidder(lot, "上海乙公司", bank_transfer_by=union_staff)
    winner = bidder(lot, "上海甲公司")
    bid_place(user=by_bank, lot_id=lot.pk, max_amount="120000.00")
    bid_place(user=winner, lot_id=lot.pk, max_amount="150000.00")
    close(lot, django_capture_on_commit_callbacks)
    refund = DepositRefund.objects.get(deposit__enterprise=by_bank.enterprise)

    assert staff_client.get(f"{REFUNDS}confirm/{refund.pk}/").status_code == 200
    response = staff_client.post(f"{REFUNDS}confirm/{refund.pk}/", {"bank_reference": "R-1"})

    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED


def test_staff_refund_a_defaulted_buyers_bank_payment(staff_client, sale, union_staff):
    # Given: ¥50,000 paid by bank transfer, then a default: that payment is owed back.
    settlement, winner, _others = sale
    settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="50000.00", bank_reference="A-1"
    )
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))
    refund = DepositRefund.objects.get(payment__settlement=settlement)

    listing = staff_client.get(f"{REFUNDS}?status=bank_transfer_due").content.decode()
    confirm_page = staff_client.get(f"{REFUNDS}confirm/{refund.pk}/").content.decode()
    inspect_page = staff_client.get(f"{REFUNDS}inspect/{refund.pk}/")
    response = staff_client.post(f"{REFUNDS}confirm/{refund.pk}/", {"bank_reference": "R-2"})

    assert f"{REFUNDS}inspect/{refund.pk}/" in listing
    assert "A-1" in listing  # the payment, named by its bank reference
    assert "¥50,000.00" in confirm_page and winner.enterprise.name in confirm_page
    assert inspect_page.status_code == 200
    assert response.status_code == 302
    refund.refresh_from_db()
    assert (refund.status, refund.bank_reference) == (RefundStatus.SUCCEEDED, "R-2")
