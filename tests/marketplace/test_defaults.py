"""Default (悔拍) and what follows (marketplace.services.defaults, .negotiated_sales): the
forfeit on the Shanghai due-date boundary, the bar, the runner-up offer, re-listing, and a
passed lot sold afterwards at a negotiated price."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from marketplace.choices import (
    CheckoutStatus,
    DepositStatus,
    LotStatus,
    PaymentMethod,
    SessionStatus,
)
from marketplace.exceptions import DepositError, SettlementDefaultError, SettlementError
from marketplace.models import (
    BalanceCheckout,
    DepositRefund,
    Lot,
    LotDocument,
    Sale,
    Settlement,
)
from marketplace.models.settlement import (
    DefaultResolution,
    RefundStatus,
    SettlementKind,
    SettlementStatus,
)
from marketplace.services.bidding import bid_place
from marketplace.services.defaults import (
    settlement_offer_to_runner_up,
    settlement_relist,
    settlements_default_overdue,
)
from marketplace.services.deposits import deposit_checkout_start, stripe_event_handle
from marketplace.services.negotiated_sales import lot_negotiated_sale_record
from marketplace.services.refunds import refund_bank_transfer_confirm, refunds_retry_due
from marketplace.services.settlement import (
    balance_checkout_metadata,
    lot_enterprise_is_barred,
    settlement_bank_payment_confirm,
)
from tests.factories.marketplace import AuctionSessionFactory
from tests.marketplace import settlement_scenarios as scenarios
from tests.marketplace.settlement_scenarios import (
    bidder,
    close,
    held,
    ledger_sums_to_zero,
    open_lot,
    platform_balances,
    sold_lot,
)

simulated_stripe = scenarios.simulated_stripe
fake_stripe = scenarios.fake_stripe
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_stripe")]

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def sale(django_capture_on_commit_callbacks):
    """Sold at ¥130,000 to the winner over two underbidders (maxima 120,000 and 110,000)."""
    lot, winner, others = sold_lot(
        django_capture_on_commit_callbacks, others=("120000.00", "110000.00")
    )
    return Settlement.objects.get(lot=lot), winner, others


def last_second(settlement) -> datetime:
    local = settlement.due_at.astimezone(SHANGHAI)
    return local.replace(microsecond=0)


def test_unpaid_at_235959_of_the_due_day_is_not_yet_a_default(sale):
    settlement, _winner, _others = sale
    due = last_second(settlement)
    assert (due.hour, due.minute, due.second) == (23, 59, 59)

    assert settlements_default_overdue(now=due + timedelta(microseconds=999_999)) == 0

    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.AWAITING_PAYMENT


def test_unpaid_at_midnight_after_the_due_day_defaults_and_forfeits_the_deposit(sale):
    settlement, winner, _others = sale
    midnight = last_second(settlement) + timedelta(seconds=1)
    assert (midnight.hour, midnight.minute, midnight.second) == (0, 0, 0)
    before = platform_balances()

    assert settlements_default_overdue(now=midnight) == 1
    assert settlements_default_overdue(now=midnight + timedelta(days=1)) == 0

    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.DEFAULTED
    assert settlement.defaulted_at == midnight
    settlement.deposit.refresh_from_db()
    assert settlement.deposit.status == DepositStatus.FORFEITED
    # The applied ¥10,000 leaves proceeds-to-share for forfeited deposits; cash unchanged.
    after = platform_balances()
    assert after["proceeds"] - before["proceeds"] == 1_000_000
    assert after["forfeited"] == -1_000_000
    assert after["clearing"] == before["clearing"]
    assert held(winner.enterprise) == 0
    assert ledger_sums_to_zero()
    assert not Settlement.objects.counting_toward_goal().filter(pk=settlement.pk).exists()
    assert lot_enterprise_is_barred(settlement.lot_id, winner.enterprise_id)


def test_a_buyer_who_paid_in_full_never_defaults(sale, union_staff):
    settlement, _winner, _others = sale
    settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="120000.00", bank_reference="A"
    )

    assert settlements_default_overdue(now=settlement.due_at + timedelta(days=30)) == 0


def test_a_partial_payer_defaults_and_keeps_the_payment_on_record(sale, union_staff):
    settlement, _winner, _others = sale
    settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="50000.00", bank_reference="A"
    )

    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))

    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.DEFAULTED
    assert settlement.receipts.count() == 2
    assert ledger_sums_to_zero()


def test_the_runner_up_is_offered_the_lot_at_their_maximum(sale, union_staff):
    settlement, winner, [second, _third] = sale
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))
    settlement.refresh_from_db()

    offer = settlement_offer_to_runner_up(staff_user=union_staff, settlement=settlement)

    assert offer.kind == SettlementKind.RUNNER_UP
    assert offer.buyer_id == second.enterprise_id
    assert offer.sale_id == settlement.sale_id
    assert (offer.price, offer.amount_due, offer.deposit_applied) == (
        Decimal("120000.00"),
        Decimal("120000.00"),
        Decimal("0.00"),
    )
    assert offer.due_at > timezone.now()
    settlement.refresh_from_db()
    assert settlement.resolution == DefaultResolution.RUNNER_UP
    assert settlement.resolved_by == union_staff
    with pytest.raises(SettlementDefaultError):
        settlement_offer_to_runner_up(staff_user=union_staff, settlement=settlement)


def test_if_the_runner_up_defaults_too_the_next_bidder_is_offered(sale, union_staff):
    settlement, winner, [second, third] = sale
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))
    offer = settlement_offer_to_runner_up(staff_user=union_staff, settlement=settlement)
    settlements_default_overdue(now=offer.due_at + timedelta(seconds=1))
    offer.refresh_from_db()

    next_offer = settlement_offer_to_runner_up(staff_user=union_staff, settlement=offer)

    assert next_offer.buyer_id == third.enterprise_id
    assert next_offer.price == Decimal("110000.00")
    assert lot_enterprise_is_barred(settlement.lot_id, second.enterprise_id)


def test_an_undefaulted_settlement_cannot_be_offered_again(sale, union_staff):
    settlement, _winner, _others = sale

    with pytest.raises(SettlementDefaultError):
        settlement_offer_to_runner_up(staff_user=union_staff, settlement=settlement)


def test_only_staff_decide_after_a_default(sale):
    settlement, winner, _others = sale
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))

    with pytest.raises(SettlementDefaultError):
        settlement_offer_to_runner_up(staff_user=winner, settlement=settlement)


def test_a_defaulted_lot_is_relisted_as_a_draft_in_a_later_session(sale, union_staff):
    settlement, winner, _others = sale
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))
    later = AuctionSessionFactory(
        status=SessionStatus.DRAFT,
        preview_start=timezone.now() + timedelta(days=30),
        bidding_start=timezone.now() + timedelta(days=32),
        first_lot_closes_at=timezone.now() + timedelta(days=33),
    )

    new_lot = settlement_relist(staff_user=union_staff, settlement=settlement, session=later)

    old_lot = Lot.objects.get(pk=settlement.lot_id)
    assert old_lot.status == LotStatus.PASSED
    assert new_lot.session == later
    assert new_lot.status == LotStatus.DRAFT
    assert new_lot.title == old_lot.title
    assert new_lot.starting_price == old_lot.starting_price
    assert new_lot.patents_legal_status == old_lot.patents_legal_status
    assert list(new_lot.innovations.all()) == list(old_lot.innovations.all())
    settlement.refresh_from_db()
    assert (settlement.resolution, settlement.relisted_as) == (DefaultResolution.RELISTED, new_lot)
    # The defaulter stays barred on the re-listed lot; others are not.
    assert lot_enterprise_is_barred(new_lot.pk, winner.enterprise_id)
    assert not lot_enterprise_is_barred(new_lot.pk, _others[0].enterprise_id)


def test_relisting_copies_the_confidential_documents_each_to_its_own_file(
    sale, union_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settlement, _winner, _others = sale
    original = LotDocument(
        lot=settlement.lot,
        title="工艺图纸",
        original_name="drawings.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    original.file.save("drawings.pdf", ContentFile(PDF), save=True)
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))

    new_lot = settlement_relist(
        staff_user=union_staff, settlement=settlement, session=later_session()
    )

    [copy] = new_lot.documents.all()
    assert (copy.title, copy.original_name, copy.content_type, copy.size) == (
        "工艺图纸",
        "drawings.pdf",
        "application/pdf",
        len(PDF),
    )
    assert copy.file.name != original.file.name
    with copy.file.open("rb") as stored:
        assert stored.read() == PDF
    # The old lot keeps its own.
    assert list(settlement.lot.documents.all()) == [original]


def test_relisting_into_a_session_that_has_opened_is_refused(sale, union_staff):
    settlement, _winner, _others = sale
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))

    with pytest.raises(SettlementError):
        settlement_relist(
            staff_user=union_staff, settlement=settlement, session=settlement.lot.session
        )

    assert Lot.objects.get(pk=settlement.lot_id).status == LotStatus.SOLD


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def later_session():
    return AuctionSessionFactory(
        status=SessionStatus.DRAFT,
        preview_start=timezone.now() + timedelta(days=30),
        bidding_start=timezone.now() + timedelta(days=32),
        first_lot_closes_at=timezone.now() + timedelta(days=33),
    )


# --- Negotiated after a passed auction ------------------------------------------------------


@pytest.fixture
def passed_lot(django_capture_on_commit_callbacks):
    lot = open_lot(reserve="500000.00")
    highest = bidder(lot, "上海甲公司")
    bid_place(user=highest, lot_id=lot.pk, max_amount="400000.00")
    return close(lot, django_capture_on_commit_callbacks), highest


def test_a_passed_lot_is_sold_to_its_highest_bidder_at_the_negotiated_price(
    passed_lot, union_staff
):
    lot, highest = passed_lot
    assert lot.status == LotStatus.PASSED

    settlement = lot_negotiated_sale_record(staff_user=union_staff, lot=lot, price="450000.00")

    assert settlement.kind == SettlementKind.NEGOTIATED
    assert settlement.buyer_id == highest.enterprise_id
    assert settlement.amount_due == Decimal("450000.00")
    assert settlement.deposit_applied == Decimal("0.00")
    assert Sale.objects.get(lot=lot).hammer_price == Decimal("450000.00")
    assert Settlement.objects.counting_toward_goal().filter(pk=settlement.pk).exists()
    with pytest.raises(SettlementError):
        lot_negotiated_sale_record(staff_user=union_staff, lot=lot, price="450000.00")


@pytest.mark.parametrize("price", ["0", "0.001", "-1", "abc"])
def test_a_negotiated_price_must_be_at_least_one_fen(passed_lot, union_staff, price):
    lot, _highest = passed_lot

    with pytest.raises(SettlementError):
        lot_negotiated_sale_record(staff_user=union_staff, lot=lot, price=price)

    assert not Sale.objects.filter(lot=lot).exists()


def test_a_sold_lot_or_one_without_bids_cannot_be_negotiated(
    sale, union_staff, django_capture_on_commit_callbacks
):
    settlement, _winner, _others = sale
    with pytest.raises(SettlementError):
        lot_negotiated_sale_record(staff_user=union_staff, lot=settlement.lot, price="1.00")
    unbid = close(open_lot(), django_capture_on_commit_callbacks)
    with pytest.raises(SettlementError):
        lot_negotiated_sale_record(staff_user=union_staff, lot=unbid, price="1.00")


def test_the_close_lots_pass_defaults_overdue_buyers_and_retries_refunds(sale):
    from io import StringIO

    from django.core.management import call_command

    from marketplace.models import DepositRefund
    from marketplace.models.settlement import RefundStatus

    settlement, _winner, _others = sale
    Settlement.objects.filter(pk=settlement.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    refund = DepositRefund.objects.filter(deposit__lot=settlement.lot).first()
    DepositRefund.objects.filter(pk=refund.pk).update(
        status=RefundStatus.FAILED, next_attempt_at=timezone.now() - timedelta(seconds=1)
    )

    call_command("close_lots", stdout=StringIO())

    settlement.refresh_from_db()
    refund.refresh_from_db()
    assert settlement.status == SettlementStatus.DEFAULTED
    assert refund.status == RefundStatus.SUCCEEDED


def test_the_buyer_is_emailed_when_it_defaults_and_the_runner_up_when_offered(
    sale, union_staff, django_capture_on_commit_callbacks, mailoutbox
):
    settlement, winner, [second, _third] = sale
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))
    settlement.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        offer = settlement_offer_to_runner_up(staff_user=union_staff, settlement=settlement)

    cancelled, offered = mailoutbox
    assert cancelled.to == [winner.email]
    assert "forfeited" in cancelled.body
    assert offered.to == [second.email]
    assert "¥120,000.00" in offered.body
    assert f"/purchases/{offer.pk}/" in offered.body


def test_the_defaulter_pays_no_deposit_for_the_relisted_lot_so_cannot_bid(sale, union_staff):
    settlement, winner, others = sale
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))
    later = AuctionSessionFactory(
        status=SessionStatus.DRAFT,
        preview_start=timezone.now() - timedelta(days=1),
        bidding_start=timezone.now() + timedelta(days=2),
        first_lot_closes_at=timezone.now() + timedelta(days=3),
    )
    new_lot = settlement_relist(staff_user=union_staff, settlement=settlement, session=later)
    # Published as staff would, once its disclosure is reviewed.
    Lot.objects.filter(pk=new_lot.pk).update(status=LotStatus.PUBLISHED)
    type(later).objects.filter(pk=later.pk).update(status=SessionStatus.PUBLISHED)

    with translation.override("en"), pytest.raises(DepositError, match="may not bid on it"):
        deposit_checkout_start(user=winner, lots=[new_lot])

    checkout = deposit_checkout_start(user=others[0], lots=[new_lot])
    assert checkout.deposits.get().enterprise_id == others[0].enterprise_id


# --- What a defaulting buyer paid beyond the deposit is owed back -----------------------------


def test_a_bank_paid_part_is_owed_back_on_default_and_refunded_when_staff_confirm(
    sale, union_staff
):
    # Given: ¥10,000 deposit applied, then ¥50,000 paid by bank transfer; ¥70,000 never came.
    settlement, winner, _others = sale
    settlement_bank_payment_confirm(
        staff_user=union_staff, settlement=settlement, amount="50000.00", bank_reference="A"
    )
    before = platform_balances()

    # When: the buyer defaults.
    settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))

    # Then: the deposit is forfeited and the ¥50,000 is a bank refund waiting for staff.
    [refund] = DepositRefund.objects.filter(payment__settlement=settlement)
    assert refund.payment.reference == "A"
    assert (refund.amount, refund.method, refund.status) == (
        Decimal("50000.00"),
        PaymentMethod.BANK_TRANSFER,
        RefundStatus.BANK_TRANSFER_DUE,
    )
    assert refund.enterprise == winner.enterprise
    after = platform_balances()
    assert after["proceeds"] == 0  # neither the deposit nor the payment is a price any more
    assert after["forfeited"] - before["forfeited"] == -1_000_000
    assert after["refunds_payable"] - before["refunds_payable"] == -5_000_000
    assert after["clearing"] == before["clearing"]  # no money has moved yet

    refund_bank_transfer_confirm(staff_user=union_staff, refund=refund, bank_reference="R-9")

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    final = platform_balances()
    assert final["refunds_payable"] == before["refunds_payable"]
    assert final["clearing"] - before["clearing"] == -5_000_000
    assert ledger_sums_to_zero()


def pay_part_online(settlement) -> None:
    """¥30,000 of the balance paid through a Stripe checkout for that part, as the signed
    webhook reports it (checkouts the buyer starts are for the whole balance; a part stands
    for any online receipt that leaves something to pay)."""
    checkout = BalanceCheckout.objects.create(
        settlement=settlement,
        created_by=settlement.buyer.members.first(),
        idempotency_key="balance-checkout:part",
        stripe_session_id="cs_test_part",
        amount_fen=3_000_000,
        status=CheckoutStatus.OPEN,
    )
    stripe_event_handle(
        {
            "id": "evt_part",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": "cs_test_part",
                    "payment_status": "paid",
                    "payment_intent": "pi_test_part",
                    "amount_total": 3_000_000,
                    "currency": "cny",
                    "metadata": balance_checkout_metadata(checkout),
                }
            },
        }
    )


def test_an_online_payment_is_refunded_through_stripe_on_default(
    sale, fake_stripe, django_capture_on_commit_callbacks
):
    # Given: ¥30,000 of the balance paid online (a checkout for part of it).
    settlement, _winner, _others = sale
    pay_part_online(settlement)
    settlement.refresh_from_db()
    assert settlement.amount_received == Decimal("40000.00")
    before = platform_balances()

    # When: the buyer defaults; the refund goes to Stripe after the default commits.
    with django_capture_on_commit_callbacks(execute=True):
        settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))

    # Then: Stripe was asked to refund that payment, and it did.
    [request] = [r for r in fake_stripe.refund_requests if r["params"]["amount"] == "3000000"]
    assert request["params"]["payment_intent"] == "pi_test_part"
    [refund] = DepositRefund.objects.filter(payment__settlement=settlement)
    assert request["headers"]["Idempotency-Key"] == refund.stripe_idempotency_key
    assert (refund.method, refund.status) == (PaymentMethod.STRIPE, RefundStatus.SUCCEEDED)
    after = platform_balances()
    assert after["proceeds"] == 0
    assert after["refunds_payable"] == before["refunds_payable"]
    assert after["clearing"] - before["clearing"] == -3_000_000
    assert ledger_sums_to_zero()


def test_a_failed_stripe_refund_of_a_payment_stays_owed_and_is_retried(
    sale, fake_stripe, django_capture_on_commit_callbacks
):
    settlement, _winner, _others = sale
    pay_part_online(settlement)
    fake_stripe.fail_next(500)

    with django_capture_on_commit_callbacks(execute=True):
        settlements_default_overdue(now=settlement.due_at + timedelta(seconds=1))

    [refund] = DepositRefund.objects.filter(payment__settlement=settlement)
    assert (refund.status, refund.attempts) == (RefundStatus.FAILED, 1)
    assert platform_balances()["refunds_payable"] == -3_000_000  # still owed

    refunds_retry_due(now=refund.next_attempt_at)

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert platform_balances()["refunds_payable"] == 0
    assert ledger_sums_to_zero()


def test_the_close_lots_pass_reminds_a_buyer_whose_balance_is_due_tomorrow(sale):
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command

    settlement, winner, _others = sale
    Settlement.objects.filter(pk=settlement.pk).update(due_at=timezone.now() + timedelta(hours=20))
    mail.outbox.clear()

    call_command("close_lots", stdout=StringIO())
    call_command("close_lots", stdout=StringIO())

    reminders = [email for email in mail.outbox if winner.email in email.to]
    assert len(reminders) == 1
    assert settlement.reminders.get().days_before == 1
