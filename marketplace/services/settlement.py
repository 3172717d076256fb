"""Settling a sale: what the buyer owes, the deposit applied, and the balance paid.

Amount due = price + buyer's premium (the session's rate, rounded to the fen, half up). The
winner's deposit is applied at once, up to what is due (the rest of it is refunded); the
balance is due at 23:59:59, Shanghai time, of the SETTLEMENT_DUE_DAYS-th calendar day after
the sale — for an auction, after the lot's closing time (when the hammer fell, whenever the
close pass ran), so the winner's closing email can state it without reading the settlement.
The buyer pays it by Stripe Checkout while it is within SETTLEMENT_CARD_LIMIT_FEN, otherwise
by bank transfer that union staff confirm with the bank's reference and receipt.
Payments may be partial; the settlement is paid when its receipts add up to what is due, and a
receipt that would take it past that is refused.

Every receipt goes through settlement_receipt_post, the one place that credits
platform:proceeds-to-share for a sale (the hook for profit-sharing), and every receipt taken
back (a forfeited deposit) goes through settlement_receipt_withdraw.

Locks: lot, then settlement, then deposit (by primary key), then ledger accounts.
"""

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise, User
from accounts.services.roles import is_union_staff
from innovations.templatetags.money import yuan
from innovations.uploads import EXTENSIONS_BY_KIND, validate_attachment_upload
from licensing.services.agreements import agreement_create_for_sale
from licensing.services.profit_sharing import proceeds_share
from marketplace.choices import CheckoutStatus, DepositStatus, PaymentMethod
from marketplace.exceptions import (
    SettlementAmountInvalidError,
    SettlementCardLimitError,
    SettlementError,
    SettlementNotPayableError,
    SettlementOverpaymentError,
)
from marketplace.models import (
    BalanceCheckout,
    Deposit,
    DepositRefund,
    LedgerAccount,
    Lot,
    Sale,
    Settlement,
    SettlementReceipt,
)
from marketplace.models.settlement import (
    ReceiptSource,
    RefundStatus,
    SettlementKind,
    SettlementStatus,
)
from marketplace.money import STRIPE_MAX_FEN, fen_to_yuan, quantize_yuan, yuan_to_fen
from marketplace.services import payments
from marketplace.services.goal_deals import goal_deal_sync_settlement
from marketplace.services.ledger import (
    PLATFORM_CLEARING,
    PLATFORM_FEES,
    PROCEEDS_TO_SHARE,
    REFUNDS_PAYABLE,
    Posting,
    enterprise_deposits_account,
    ledger_post,
    platform_account,
)

logger = logging.getLogger(__name__)

# Written into a balance checkout's Stripe metadata; deposits.stripe_event_handle reads it.
CHECKOUT_PURPOSE_SETTLEMENT = "settlement"
# An online receipt's reference: this prefix and its balance checkout's id.
STRIPE_RECEIPT_PREFIX = "checkout-"
MAX_AMOUNT = Decimal("10000000000.00")
# The last instant of a due day: "by 23:59:59" includes that whole second.
END_OF_DAY = time(23, 59, 59, 999999)


# --- Reading a settlement ---------------------------------------------------------------------


def settlement_due_at(sold_at: datetime, *, days: int | None = None) -> datetime:
    """The end (23:59:59, Shanghai time) of the `days`-th calendar day after `sold_at`."""
    days = settings.SETTLEMENT_DUE_DAYS if days is None else days
    local = timezone.localtime(sold_at)
    last_day = local.date() + timedelta(days=days)
    return datetime.combine(last_day, END_OF_DAY, tzinfo=local.tzinfo)


def card_limit_fen() -> int:
    """What one online payment may be: the setting, never above what Stripe takes."""
    return min(settings.SETTLEMENT_CARD_LIMIT_FEN, STRIPE_MAX_FEN)


def settlement_pays_online(settlement: Settlement) -> bool:
    """Whether the balance can go through Stripe Checkout (else: bank transfer)."""
    balance_fen = yuan_to_fen(settlement.balance)
    return 0 < balance_fen <= card_limit_fen()


def lot_enterprise_is_barred(lot_id: int, enterprise_id: int) -> bool:
    """True when the enterprise defaulted (悔拍) on this lot, or on a lot it re-lists.

    For bid_place (the lead's) to refuse such an enterprise; a re-listed lot is a new Lot,
    so the chain of re-listings is followed back to the lot first sold.
    """
    seen: set[int] = set()
    current: int | None = lot_id
    while current is not None and current not in seen:
        seen.add(current)
        if Settlement.objects.filter(
            lot_id=current, buyer_id=enterprise_id, status=SettlementStatus.DEFAULTED
        ).exists():
            return True
        current = (
            Settlement.objects.filter(relisted_as_id=current)
            .values_list("lot_id", flat=True)
            .first()
        )
    return False


@dataclass(frozen=True)
class AmountDue:
    premium: Decimal
    total: Decimal
    due_at: datetime


def amount_due_for(*, price: Decimal, rate: Decimal, since: datetime) -> AmountDue:
    """What a buyer owes for `price` at premium `rate`, and by when, counted from `since`."""
    premium = quantize_yuan(price * rate)
    return AmountDue(premium=premium, total=price + premium, due_at=settlement_due_at(since))


def auction_amount_due(lot: Lot, sale: Sale) -> AmountDue:
    """An auction winner's terms; the sale happened at the lot's (final) closing time."""
    return amount_due_for(
        price=sale.hammer_price, rate=lot.session.buyers_premium_rate, since=lot.closes_at
    )


def deposit_applicable(deposit_amount: Decimal, amount_due: Decimal) -> Decimal:
    """How much of a winner's deposit counts toward the price; the rest is refunded."""
    return min(deposit_amount, amount_due)


def _lock(settlement: Settlement) -> Settlement:
    return (
        Settlement.objects.select_for_update(of=("self",))
        .select_related("lot", "buyer")
        .get(pk=settlement.pk)
    )


# --- Opening a settlement ---------------------------------------------------------------------


def settlement_create(
    *,
    sale: Sale,
    lot: Lot,
    buyer_id: int,
    kind: str,
    price: Decimal,
    now: datetime,
    created_by: User | None = None,
) -> Settlement:
    """Write the obligation to pay `price` + premium for `lot`. No deposit is applied here.

    Call inside a transaction that holds the lot's row lock. The database refuses a second
    live (not defaulted) settlement for the lot.
    """
    rate = lot.session.buyers_premium_rate
    due = amount_due_for(price=price, rate=rate, since=now)
    settlement = Settlement.objects.create(
        sale=sale,
        lot=lot,
        buyer_id=buyer_id,
        kind=kind,
        price=price,
        premium_rate=rate,
        premium=due.premium,
        amount_due=due.total,
        due_at=due.due_at,
        created_by=created_by,
    )
    # A new deal: the goal report's summary row, in the same transaction.
    goal_deal_sync_settlement(settlement.pk)
    return settlement


def settlement_open_for_sale(*, sale: Sale, lot: Lot) -> Settlement:
    """The settlement of an auction sale, with the winner's deposit applied.

    Called by closing._close_locked right after the Sale is created, in its transaction and
    under its lot lock; a few statements. The deposit applied is the winner's paid deposit up
    to the amount due (ledger: Dr deposits held / Cr proceeds-to-share); any part of it above
    that is queued for refund, and the refund itself is sent after commit. The balance is
    due counting from the lot's closing time (auction_amount_due), not from when the closing
    pass ran.
    """
    settlement = settlement_create(
        sale=sale,
        lot=lot,
        buyer_id=sale.winner_id,
        kind=SettlementKind.AUCTION,
        price=sale.hammer_price,
        now=lot.closes_at,
    )
    deposit = (
        Deposit.objects.select_for_update()
        .filter(lot=lot, enterprise_id=sale.winner_id, status=DepositStatus.PAID)
        .order_by("pk")
        .first()
    )
    if deposit is not None:
        _deposit_apply(settlement, deposit)
    return settlement


def _deposit_apply(settlement: Settlement, deposit: Deposit) -> None:
    applied = deposit_applicable(deposit.amount, settlement.amount_due)
    deposit.status = DepositStatus.APPLIED
    deposit.save(update_fields=["status"])
    settlement.deposit = deposit
    settlement.deposit_applied = applied
    settlement.save(update_fields=["deposit", "deposit_applied", "updated_at"])
    settlement_receipt_post(
        settlement=settlement,
        source=ReceiptSource.DEPOSIT,
        amount=applied,
        reference=f"deposit-{deposit.pk}",
        debit_account=enterprise_deposits_account(settlement.buyer),
        description=f"保证金抵扣价款 Deposit applied · {settlement.lot}",
    )
    excess = deposit.amount - applied
    if excess > 0:
        # Refunded like an underbidder's deposit; the ledger moves it when the refund is asked.
        DepositRefund.objects.create(
            deposit=deposit,
            amount=excess,
            method=deposit.method,
            status=RefundStatus.QUEUED,
            next_attempt_at=timezone.now(),
        )


# --- Receipts: the one way into and out of proceeds-to-share ----------------------------------


def settlement_receipt_post(
    *,
    settlement: Settlement,
    source: str,
    amount: Decimal,
    reference: str,
    debit_account: LedgerAccount,
    description: str,
    recorded_by: User | None = None,
    receipt_file_name: str = "",
) -> SettlementReceipt:
    """Count `amount` toward `settlement`: Dr `debit_account` / Cr platform:proceeds-to-share.

    Every credit to proceeds-to-share for a sale goes through here (the profit-sharing hook).
    Preconditions: the caller holds the settlement's row lock in its transaction; the
    settlement awaits payment; 0 < amount <= balance (else SettlementOverpaymentError).
    Idempotent: the same (source, reference) returns the receipt recorded first. Side
    effects: the receipt, its ledger transaction (key settlement:{id}:{source}:{reference}),
    amount_received, and the move to "paid" when nothing is left to pay.
    """
    existing = SettlementReceipt.objects.filter(
        settlement=settlement, source=source, reference=reference
    ).first()
    if existing is not None:
        return existing
    if settlement.status != SettlementStatus.AWAITING_PAYMENT:
        raise SettlementNotPayableError(status=settlement.get_status_display())
    if amount <= 0:
        raise SettlementAmountInvalidError()
    if amount > settlement.balance:
        raise SettlementOverpaymentError(amount=yuan(amount), balance=yuan(settlement.balance))
    amount_fen = yuan_to_fen(amount)
    posted = ledger_post(
        idempotency_key=f"settlement:{settlement.pk}:{source}:{reference}",
        description=f"{description} · {settlement.buyer_id}",
        postings=[
            Posting(debit_account, amount_fen),
            Posting(platform_account(PROCEEDS_TO_SHARE), -amount_fen),
        ],
    )
    receipt = SettlementReceipt.objects.create(
        settlement=settlement,
        source=source,
        amount=amount,
        reference=reference,
        receipt=receipt_file_name,
        recorded_by=recorded_by,
        ledger_transaction=posted,
    )
    settlement.amount_received += amount
    fields = ["amount_received", "updated_at"]
    if settlement.amount_received == settlement.amount_due:
        settlement.status = SettlementStatus.PAID
        settlement.paid_at = timezone.now()
        fields += ["status", "paid_at"]
    settlement.save(update_fields=fields)
    if settlement.status == SettlementStatus.PAID:
        _paid_in_full(settlement)
    return receipt


def _paid_in_full(settlement: Settlement) -> None:
    """The buyer has paid everything: the price is shared with the innovation's people, the
    buyer's premium is the platform's fee, and a draft agreement is opened.

    Sale money is shared when the settlement is complete, not receipt by receipt: until then
    a default can take the applied deposit back as a forfeit (settlement_receipt_withdraw),
    and shares already paid out to workers could not be. Agreement income (royalties) is
    shared as it arrives (licensing.services.income).
    """
    if settlement.premium:
        premium_fen = yuan_to_fen(settlement.premium)
        ledger_post(
            idempotency_key=f"settlement:{settlement.pk}:premium",
            description=f"买方佣金 Buyer's premium · {settlement.buyer_id}",
            postings=[
                Posting(platform_account(PROCEEDS_TO_SHARE), premium_fen),
                Posting(platform_account(PLATFORM_FEES), -premium_fen),
            ],
        )
    sale = settlement.sale
    proceeds_share(
        innovations=list(settlement.lot.innovations.all()),
        amount=settlement.price,
        source_label=f"拍品成交 Lot sold · {settlement.lot}",
        idempotency_key=f"settlement:{settlement.pk}:share",
        sale=sale,
    )
    agreement_create_for_sale(sale=sale, licensee=settlement.buyer, price=settlement.price)


def settlement_receipt_withdraw(
    *, receipt: SettlementReceipt, credit_account: LedgerAccount, description: str
) -> None:
    """Take a receipt back out of proceeds-to-share: Dr proceeds-to-share / Cr `credit_account`.

    Used for a defaulting winner's applied deposit, which becomes a forfeit rather than part
    of a price. The one place that debits proceeds-to-share for a sale: profit-sharing must
    reverse what it shared of this receipt here. Idempotent (key
    settlement:{id}:withdraw:{receipt id}). The caller holds the settlement's lock.
    """
    amount_fen = yuan_to_fen(receipt.amount)
    ledger_post(
        idempotency_key=f"settlement:{receipt.settlement_id}:withdraw:{receipt.pk}",
        description=description,
        postings=[
            Posting(platform_account(PROCEEDS_TO_SHARE), amount_fen),
            Posting(credit_account, -amount_fen),
        ],
    )


def receipt_payment_intent(receipt: SettlementReceipt) -> str:
    """The Stripe payment behind an online receipt, to refund it; "" for any other receipt."""
    checkout_id = receipt.reference.removeprefix(STRIPE_RECEIPT_PREFIX)
    if receipt.source != ReceiptSource.STRIPE or not checkout_id.isdigit():
        return ""
    return (
        BalanceCheckout.objects.filter(pk=int(checkout_id), settlement_id=receipt.settlement_id)
        .values_list("payment_intent_id", flat=True)
        .first()
        or ""
    )


# --- Bank transfer, confirmed by union staff --------------------------------------------------


def parse_amount(raw) -> Decimal:
    """Yuan with at most two places, above zero and at most ¥10,000,000,000."""
    if isinstance(raw, (float, bool)):
        raise SettlementAmountInvalidError()
    try:
        amount = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise SettlementAmountInvalidError() from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise SettlementAmountInvalidError()
    if quantize_yuan(amount) != amount:
        raise SettlementAmountInvalidError()
    return quantize_yuan(amount)


def _stored_receipt(receipt_file: File | None) -> str:
    """Check an uploaded receipt as deposits' are, store it under a random name; its path."""
    if not receipt_file:
        return ""
    try:
        kind = validate_attachment_upload(receipt_file)
    except ValidationError as error:
        raise SettlementError(" ".join(error.messages)) from error
    field = SettlementReceipt._meta.get_field("receipt")
    name = f"{uuid.uuid4().hex}{EXTENSIONS_BY_KIND[kind][0]}"
    return field.storage.save(field.generate_filename(None, name), receipt_file)


def settlement_bank_payment_confirm(
    *,
    staff_user: User,
    settlement: Settlement,
    amount,
    bank_reference: str,
    receipt_file: File | None = None,
) -> SettlementReceipt:
    """Record a bank transfer toward a settlement, which staff saw arrive; returns the receipt.

    Preconditions: union staff; the settlement awaits payment; a bank reference not used for
    this settlement before; 0 < amount <= balance (partial payments are fine, overpayment is
    refused); a receipt, if given, is a PDF or an image (stored before the transaction, so a
    refusal after that leaves an unreferenced file).
    Side effects: Dr platform:clearing / Cr proceeds-to-share, in one transaction with the
    receipt; the settlement becomes paid when nothing is left. Locks the settlement row.
    """
    if not is_union_staff(staff_user):
        raise SettlementError(_("Only union staff can confirm a bank transfer."))
    amount = parse_amount(amount)
    reference = (bank_reference or "").strip()
    if not reference:
        raise SettlementError(_("Enter the bank's reference for the transfer."))
    if len(reference) > SettlementReceipt._meta.get_field("reference").max_length:
        raise SettlementError(_("The bank reference is too long (at most 100 characters)."))
    _check_payable(settlement, amount)
    receipt_name = _stored_receipt(receipt_file)
    with transaction.atomic():
        locked = _lock(settlement)
        if SettlementReceipt.objects.filter(
            settlement=locked, source=ReceiptSource.BANK_TRANSFER, reference=reference
        ).exists():
            raise SettlementError(
                _("A transfer with the bank reference %(reference)s is already recorded."),
                reference=reference,
            )
        return settlement_receipt_post(
            settlement=locked,
            source=ReceiptSource.BANK_TRANSFER,
            amount=amount,
            reference=reference,
            debit_account=platform_account(PLATFORM_CLEARING),
            description=f"尾款银行转账 Balance by bank transfer {reference} · {locked.lot}",
            recorded_by=staff_user,
            receipt_file_name=receipt_name,
        )


def _check_payable(settlement: Settlement, amount: Decimal) -> None:
    """The checks of settlement_receipt_post, before anything is stored (a clearer refusal)."""
    if settlement.status != SettlementStatus.AWAITING_PAYMENT:
        raise SettlementNotPayableError(status=settlement.get_status_display())
    if amount > settlement.balance:
        raise SettlementOverpaymentError(amount=yuan(amount), balance=yuan(settlement.balance))


# --- Online payment of the balance through Stripe Checkout ------------------------------------


def _require_buyer(user: User, settlement: Settlement) -> Enterprise:
    if user.enterprise_id is None or user.enterprise_id != settlement.buyer_id:
        raise SettlementError(_("Only the buyer's members can pay for this purchase."))
    return settlement.buyer


def settlement_checkout_start(*, user: User, settlement: Settlement) -> BalanceCheckout:
    """Start paying the whole balance online; returns the checkout (its `url` is Stripe's page).

    Preconditions: the user is a member of the buyer; the settlement awaits payment; the
    balance is within card_limit_fen() (else SettlementCardLimitError, which says to pay by
    bank transfer). An open checkout for the same amount is reused. As for deposits, the
    checkout row and its idempotency key are committed before Stripe is called; a failed call
    raises PaymentError and the next start retries with the same key. Call it outside a
    transaction.
    """
    _require_buyer(user, settlement)
    settlement = Settlement.objects.select_related("lot__session").get(pk=settlement.pk)
    if settlement.status != SettlementStatus.AWAITING_PAYMENT:
        raise SettlementNotPayableError(status=settlement.get_status_display())
    balance_fen = yuan_to_fen(settlement.balance)
    if not settlement_pays_online(settlement):
        raise SettlementCardLimitError(
            balance=yuan(settlement.balance), limit=yuan(fen_to_yuan(card_limit_fen()))
        )
    checkout = (
        settlement.checkouts.filter(
            amount_fen=balance_fen, status__in=[CheckoutStatus.CREATED, CheckoutStatus.OPEN]
        )
        .order_by("-pk")
        .first()
    )
    if checkout is not None and checkout.status == CheckoutStatus.OPEN:
        return checkout
    if checkout is None:
        checkout = BalanceCheckout.objects.create(
            settlement=settlement,
            created_by=user,
            idempotency_key=f"balance-checkout:{uuid.uuid4().hex}",
            amount_fen=balance_fen,
        )
    with translation.override(settings.LANGUAGE_CODE):
        return_path = reverse("marketplace:purchase_detail", args=(settlement.pk,))
    return_url = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{return_path}"
    stripe_session_id, url = payments.checkout_session_create(
        line_items=[
            payments.LineItem(
                name=f"成交价款 Balance · {settlement.lot.session.name} · {settlement.lot}",
                amount_fen=checkout.amount_fen,
            )
        ],
        amount_fen=checkout.amount_fen,
        idempotency_key=checkout.idempotency_key,
        success_url=f"{return_url}?result=paid",
        cancel_url=f"{return_url}?result=cancelled",
        metadata=balance_checkout_metadata(checkout),
    )
    if payments.is_simulated():
        # The simulated page for a balance, not the deposits' one payments.py points to.
        url = reverse(
            "marketplace:simulated_balance_checkout", kwargs={"checkout_id": stripe_session_id}
        )
    with transaction.atomic():
        locked = BalanceCheckout.objects.select_for_update().get(pk=checkout.pk)
        if locked.status == CheckoutStatus.CREATED:
            locked.stripe_session_id = stripe_session_id
            locked.url = url
            locked.status = CheckoutStatus.OPEN
            locked.save(update_fields=["stripe_session_id", "url", "status"])
    return locked


def balance_checkout_metadata(checkout: BalanceCheckout) -> dict[str, str]:
    return {
        "purpose": CHECKOUT_PURPOSE_SETTLEMENT,
        "balance_checkout_id": str(checkout.pk),
        "settlement_id": str(checkout.settlement_id),
    }


def is_settlement_checkout_event(event: Mapping[str, Any]) -> bool:
    """A checkout.session.* event whose metadata says it pays a settlement's balance."""
    obj = event["data"]["object"]
    return (
        event["type"].startswith("checkout.session.")
        and (obj.get("metadata") or {}).get("purpose") == CHECKOUT_PURPOSE_SETTLEMENT
    )


def settlement_checkout_event_handle(event: Mapping[str, Any]) -> None:
    """Apply a verified balance-checkout event; called by deposits.stripe_event_handle inside
    its transaction, after the event id was recorded (so a redelivery never gets here).

    Completed and paid: the checkout is completed and its amount posted as a receipt (Dr
    clearing / Cr proceeds-to-share). If the settlement no longer takes that much (staff
    recorded a bank transfer meanwhile, or it defaulted), the money has still been taken: it
    is posted Dr clearing / Cr refunds-payable and a Stripe refund of it is queued, which the
    close_lots pass sends (services.refunds; visible to staff with the deposit refunds).
    Expired or failed: the checkout expires. Locks the checkout, then the settlement.
    """
    session = event["data"]["object"]
    metadata = session.get("metadata") or {}
    raw_id = str(metadata.get("balance_checkout_id", ""))
    checkout = (
        BalanceCheckout.objects.select_for_update()
        .filter(pk=int(raw_id) if raw_id.isdigit() else 0)
        .first()
    )
    if checkout is None or (
        checkout.stripe_session_id and checkout.stripe_session_id != session.get("id")
    ):
        logger.warning("Stripe checkout %s matches no balance checkout.", session.get("id"))
        return
    if checkout.status in (CheckoutStatus.COMPLETED, CheckoutStatus.EXPIRED):
        return
    checkout.stripe_session_id = session.get("id")
    if event["type"] in ("checkout.session.expired", "checkout.session.async_payment_failed"):
        checkout.status = CheckoutStatus.EXPIRED
        checkout.save(update_fields=["status", "stripe_session_id"])
        return
    if session.get("payment_status") != "paid":
        return
    if session.get("amount_total") != checkout.amount_fen or session.get("currency") != "cny":
        logger.error(
            "Stripe checkout %s paid %s %s, but balance checkout %s is for %s fen; not applied.",
            session.get("id"),
            session.get("amount_total"),
            session.get("currency"),
            checkout.pk,
            checkout.amount_fen,
        )
        return
    checkout.status = CheckoutStatus.COMPLETED
    checkout.completed_at = timezone.now()
    checkout.payment_intent_id = session.get("payment_intent") or ""
    checkout.save(
        update_fields=["status", "completed_at", "payment_intent_id", "stripe_session_id"]
    )
    settlement = _lock(checkout.settlement)
    amount = fen_to_yuan(checkout.amount_fen)
    clearing = platform_account(PLATFORM_CLEARING)
    if settlement.status == SettlementStatus.AWAITING_PAYMENT and amount <= settlement.balance:
        settlement_receipt_post(
            settlement=settlement,
            source=ReceiptSource.STRIPE,
            amount=amount,
            reference=f"{STRIPE_RECEIPT_PREFIX}{checkout.pk}",
            debit_account=clearing,
            description=f"尾款在线支付 Balance paid online · {settlement.lot}",
        )
        return
    logger.warning(
        "Balance checkout %s paid %s fen but settlement %s (%s) owes %s; refunding it.",
        checkout.pk,
        checkout.amount_fen,
        settlement.pk,
        settlement.status,
        settlement.balance,
    )
    ledger_post(
        idempotency_key=f"balance-checkout:{checkout.pk}:unapplied",
        description=f"多付尾款待退 Balance paid that is not due · {settlement.lot}",
        postings=[
            Posting(clearing, checkout.amount_fen),
            Posting(platform_account(REFUNDS_PAYABLE), -checkout.amount_fen),
        ],
    )
    DepositRefund.objects.get_or_create(
        balance_checkout=checkout,
        defaults={
            "amount": amount,
            "method": PaymentMethod.STRIPE,
            "status": RefundStatus.QUEUED,
            "next_attempt_at": timezone.now(),
        },
    )
