"""Giving deposits back once a lot is sold or passed: within 24 hours, as the rules require.

Every paid deposit on a closed lot except the winner's (which is applied to the price; any
part of it above the amount due is refunded the same way) gets one DepositRefund:

- Paid online: refunded through the Stripe Refunds API. closing queues the lot's refunds after
  its transaction commits and sends them at once (never inside the lot lock); the close_lots
  pass retries failures with backoff, re-sends a send that a crash interrupted, and queues
  any refund that a crash kept from being queued at all.
- Paid by bank transfer: Stripe cannot return it; it waits in the admin for staff to transfer
  it back and confirm with the bank's reference.

Ledger (fen): when the refund is asked (Stripe accepted it, or it is queued for staff),
Dr the enterprise's deposits held / Cr platform:refunds-payable, and a paid deposit becomes
"refunded"; when Stripe confirms it succeeded (or staff confirm the transfer),
Dr refunds-payable / Cr platform:clearing and the deposit's refunded_at is set. A refund that
Stripe reports failed after accepting it is reversed and retried with a new idempotency key.

An online balance payment that its settlement no longer took (paid after a default, or after a
bank transfer settled it) is refunded the same way; settlement_checkout_event_handle queues it
with its "asked" step (Dr clearing / Cr refunds-payable) and the close_lots pass sends it.

A buyer who defaults (services.defaults) is owed back what it paid beyond its forfeited
deposit: each such payment gets a refund through the same machinery (payment_refund_queue) —
a Stripe-paid one sent to the Stripe Refunds API against its balance checkout's payment, a
bank-paid one waiting for staff. Its "asked" step is posted when it is queued, taking the
payment back out of proceeds-to-share (Dr proceeds-to-share / Cr refunds-payable, through
settlement_receipt_withdraw); a Stripe failure then only retries, the money stays owed.
"""

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services.roles import is_union_staff
from marketplace.choices import DepositStatus, LotStatus, PaymentMethod
from marketplace.exceptions import RefundError, RefundRefusedError, RefundUnreachableError
from marketplace.models import Deposit, DepositRefund, Lot, SettlementReceipt
from marketplace.models.settlement import ReceiptSource, RefundStatus
from marketplace.money import yuan_to_fen
from marketplace.services import payments
from marketplace.services.ledger import (
    PLATFORM_CLEARING,
    REFUNDS_PAYABLE,
    Posting,
    enterprise_deposits_account,
    ledger_post,
    platform_account,
)
from marketplace.services.settlement import receipt_payment_intent, settlement_receipt_withdraw

logger = logging.getLogger(__name__)
# Stripe's side of a refund, which the ledger's own "wie.money" records do not show.
money_logger = logging.getLogger("wie.money")

# Wait before retry n (1-based); the last one repeats. Well inside the 24-hour limit.
RETRY_BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
]
# A send still "sending" after this was interrupted (a crash); send it again with its key.
STALE_SENDING = timedelta(minutes=10)
SENDABLE = [RefundStatus.QUEUED, RefundStatus.FAILED]
CLOSED_LOT_STATUSES = [LotStatus.SOLD, LotStatus.PASSED]


def retry_delay(attempts: int) -> timedelta:
    return RETRY_BACKOFF[min(max(attempts, 1), len(RETRY_BACKOFF)) - 1]


# --- Queueing ---------------------------------------------------------------------------------


def lot_refunds_queue(*, lot_id: int, now: datetime | None = None) -> list[int]:
    """Queue a refund for every paid deposit of a closed lot that has none; their ids.

    Idempotent (one refund per deposit, unique in the database). A bank-transfer deposit's
    refund is asked of staff at once (ledger step posted, deposit "refunded"). Locks the
    deposits by primary key.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not Lot.objects.filter(pk=lot_id, status__in=CLOSED_LOT_STATUSES).exists():
            return []
        deposits = list(
            Deposit.objects.select_for_update()
            .filter(lot_id=lot_id, status=DepositStatus.PAID)
            .exclude(Exists(DepositRefund.objects.filter(deposit=OuterRef("pk"))))
            .select_related("enterprise", "lot")
            .order_by("pk")
        )
        queued = []
        for deposit in deposits:
            bank = deposit.method == PaymentMethod.BANK_TRANSFER
            refund = DepositRefund.objects.create(
                deposit=deposit,
                amount=deposit.amount,
                method=deposit.method,
                status=RefundStatus.BANK_TRANSFER_DUE if bank else RefundStatus.QUEUED,
                next_attempt_at=None if bank else now,
            )
            if bank:
                _post_asked(refund, deposit)
            queued.append(refund.pk)
    return queued


def lot_refunds_start(*, lot_id: int) -> int:
    """Queue the lot's refunds and send the online ones now; the number sent.

    What closing calls after a lot's transaction commits. A failure is left for the
    close_lots pass to retry; nothing here raises.
    """
    try:
        lot_refunds_queue(lot_id=lot_id)
    except Exception:
        logger.exception("Refunds of lot %s could not be queued; the next pass will.", lot_id)
        return 0
    due = (
        DepositRefund.objects.filter(deposit__lot_id=lot_id, status__in=SENDABLE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(refund_send(refund_id=refund_id) == RefundStatus.SENT for refund_id in list(due))


# --- Sending to Stripe ------------------------------------------------------------------------


def _claim(refund_id: int, now: datetime, *, stale: bool) -> bool:
    """Mark the refund "sending" if it is due; False if another process has it or it is not
    due. One UPDATE, so two passes at once never both send it."""
    due = Q(status__in=SENDABLE) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if stale:
        due |= Q(status=RefundStatus.SENDING, updated_at__lte=now - STALE_SENDING)
    return bool(
        DepositRefund.objects.filter(due, pk=refund_id).update(
            status=RefundStatus.SENDING, updated_at=now
        )
    )


def refund_send(*, refund_id: int, now: datetime | None = None, stale: bool = False) -> str | None:
    """Send one due online refund to Stripe; its new status, or None if it was not due.

    Runs outside any transaction: the Stripe call holds no lock. Stripe accepted → "sent"
    (and "succeeded" at once when Stripe says so), with the ledger step. Stripe unreachable →
    "failed", retried later with the same idempotency key. Stripe said no → "failed", retried
    later with the next key. `stale` also re-sends a refund a crash left "sending".
    """
    now = now or timezone.now()
    if not _claim(refund_id, now, stale=stale):
        return None
    refund = DepositRefund.objects.select_related(
        "deposit__checkout", "payment", "balance_checkout"
    ).get(pk=refund_id)
    payment_intent = _payment_intent(refund)
    if refund.method != PaymentMethod.STRIPE or not payment_intent:
        return _record_failure(refund_id, str(_no_stripe_payment(refund)), new_key=False)
    try:
        result = payments.refund_send(
            payment_intent_id=payment_intent,
            amount_fen=yuan_to_fen(refund.amount),
            idempotency_key=refund.stripe_idempotency_key,
            metadata=_stripe_metadata(refund),
        )
    except RefundUnreachableError as error:
        return _record_failure(refund_id, str(error), new_key=False)
    except RefundRefusedError as error:
        return _record_failure(refund_id, str(error), new_key=True)
    if result.status in ("failed", "canceled"):
        return _record_failure(refund_id, f"Stripe: {result.status}", new_key=True)
    with transaction.atomic():
        refund = _lock_refund(refund_id)
        if refund.status != RefundStatus.SENDING:
            # A webhook recorded the outcome while we waited for Stripe's answer.
            return refund.status
        _record_sent(refund, result.refund_id)
        if result.status == "succeeded":
            _confirm(refund)
        _log_stripe_refund_sent(refund, stripe_status=result.status)
    return refund.status


def _refund_refs(refund: DepositRefund) -> dict[str, int | None]:
    """The ids a refund's money log records carry; the lot and enterprise only when the
    deposit is already loaded (every caller here has it), so logging costs no query."""
    refs = {
        "refund_id": refund.pk,
        "deposit_id": refund.deposit_id,
        "settlement_receipt_id": refund.payment_id,
        "balance_checkout_id": refund.balance_checkout_id,
    }
    if refund.deposit_id is not None and DepositRefund.deposit.is_cached(refund):
        refs["lot_id"] = refund.deposit.lot_id
        refs["enterprise_id"] = refund.deposit.enterprise_id
    return refs


def _log_stripe_refund_sent(refund: DepositRefund, *, stripe_status: str) -> None:
    """Stripe accepted a refund: logged after commit, like the ledger's records. A payment's
    refund posts nothing to the ledger at this point (its "asked" step was posted when it was
    queued), so without this line the Stripe call would leave no trace in the money log."""
    fields = {
        "event": "stripe_refund_sent",
        "stripe_refund_id": refund.stripe_refund_id,
        "stripe_status": stripe_status,
        "amount": str(refund.amount),
        **{name: value for name, value in _refund_refs(refund).items() if value is not None},
    }
    transaction.on_commit(
        lambda: money_logger.info(
            "Stripe accepted refund %s (%s, %s).",
            fields["refund_id"],
            stripe_status,
            fields["amount"],
            extra=fields,
        ),
        robust=True,
    )


def _payment_intent(refund: DepositRefund) -> str:
    if refund.payment_id is not None:
        return receipt_payment_intent(refund.payment)
    if refund.balance_checkout_id is not None:
        return refund.balance_checkout.payment_intent_id
    checkout = refund.deposit.checkout
    return checkout.payment_intent_id if checkout is not None else ""


def _no_stripe_payment(refund: DepositRefund):
    if refund.deposit_id is None:
        return _("The payment has no Stripe payment to refund.")
    return _("The deposit has no Stripe payment to refund.")


def _stripe_metadata(refund: DepositRefund) -> dict[str, str]:
    if refund.balance_checkout_id is not None:
        return {
            "deposit_refund_id": str(refund.pk),
            "balance_checkout_id": str(refund.balance_checkout_id),
        }
    if refund.payment_id is not None:
        return {
            "deposit_refund_id": str(refund.pk),
            "settlement_receipt_id": str(refund.payment_id),
        }
    return {"deposit_refund_id": str(refund.pk), "deposit_id": str(refund.deposit_id)}


def _lock_refund(refund_id: int) -> DepositRefund:
    # of=self: a refund's deposit is a nullable join, which PostgreSQL will not lock.
    return (
        DepositRefund.objects.select_for_update(of=("self",))
        .select_related("deposit")
        .get(pk=refund_id)
    )


def _record_failure(refund_id: int, error: str, *, new_key: bool) -> str:
    with transaction.atomic():
        refund = _lock_refund(refund_id)
        refund.attempts += 1
        refund.status = RefundStatus.FAILED
        refund.last_error = error[:2000]
        refund.next_attempt_at = timezone.now() + retry_delay(refund.attempts)
        if new_key:
            refund.stripe_attempt += 1
        refund.save()
    logger.warning("Refund %s failed (attempt %s): %s", refund_id, refund.attempts, error)
    return refund.status


def _record_sent(refund: DepositRefund, stripe_refund_id: str) -> None:
    """Stripe accepted the refund. A deposit's "asked" step is posted now; a payment's was
    posted when it was queued."""
    deposit = None
    if refund.deposit_id is not None:
        deposit = (
            Deposit.objects.select_for_update()
            .select_related("enterprise")
            .get(pk=refund.deposit_id)
        )
    refund.status = RefundStatus.SENT
    refund.stripe_refund_id = stripe_refund_id
    refund.sent_at = timezone.now()
    refund.next_attempt_at = None
    refund.save()
    if deposit is not None:
        _post_asked(refund, deposit)


def _post_asked(refund: DepositRefund, deposit: Deposit) -> None:
    """Dr deposits held / Cr refunds payable; a paid deposit is no longer held."""
    amount_fen = yuan_to_fen(refund.amount)
    ledger_post(
        idempotency_key=f"deposit-refund:{refund.pk}:{refund.stripe_attempt}:asked",
        description=f"保证金退还 Deposit refund asked · {deposit.enterprise_id} · {deposit.lot_id}",
        postings=[
            Posting(enterprise_deposits_account(deposit.enterprise), amount_fen),
            Posting(platform_account(REFUNDS_PAYABLE), -amount_fen),
        ],
        refs={**_refund_refs(refund), "lot_id": deposit.lot_id},
    )
    if deposit.status == DepositStatus.PAID:
        deposit.status = DepositStatus.REFUNDED
        deposit.save(update_fields=["status"])


def _confirm(refund: DepositRefund) -> None:
    """The money has gone back: Dr refunds payable / Cr clearing."""
    amount_fen = yuan_to_fen(refund.amount)
    if refund.deposit_id is None:
        description = f"已付款项已退还 Payment refunded · {refund.pk}"
    else:
        description = f"保证金已退还 Deposit refunded · {refund.deposit_id}"
    ledger_post(
        idempotency_key=f"deposit-refund:{refund.pk}:succeeded",
        description=description,
        postings=[
            Posting(platform_account(REFUNDS_PAYABLE), amount_fen),
            Posting(platform_account(PLATFORM_CLEARING), -amount_fen),
        ],
        refs=_refund_refs(refund),
    )
    now = timezone.now()
    refund.status = RefundStatus.SUCCEEDED
    refund.succeeded_at = now
    refund.last_error = ""
    refund.save()
    if refund.deposit_id is not None:
        Deposit.objects.filter(pk=refund.deposit_id).update(refunded_at=now)


def _reverse_asked(refund: DepositRefund, reason: str) -> None:
    """Stripe failed a refund it had accepted: retried with a new key (Stripe keeps the failed
    refund under the old one). A deposit is held again until then; a payment stays owed."""
    if refund.deposit_id is not None:
        _reverse_deposit_asked(refund)
    refund.attempts += 1
    refund.status = RefundStatus.FAILED
    refund.stripe_attempt += 1
    refund.stripe_refund_id = None
    refund.last_error = reason[:2000]
    refund.next_attempt_at = timezone.now() + retry_delay(refund.attempts)
    refund.save()


def _reverse_deposit_asked(refund: DepositRefund) -> None:
    deposit = (
        Deposit.objects.select_for_update().select_related("enterprise").get(pk=refund.deposit_id)
    )
    amount_fen = yuan_to_fen(refund.amount)
    ledger_post(
        idempotency_key=f"deposit-refund:{refund.pk}:{refund.stripe_attempt}:failed",
        description=f"保证金退还失败 Deposit refund failed · {deposit.enterprise_id}",
        postings=[
            Posting(platform_account(REFUNDS_PAYABLE), amount_fen),
            Posting(enterprise_deposits_account(deposit.enterprise), -amount_fen),
        ],
        refs={**_refund_refs(refund), "lot_id": deposit.lot_id},
    )
    if deposit.status == DepositStatus.REFUNDED:
        deposit.status = DepositStatus.PAID
        deposit.save(update_fields=["status"])


# --- A defaulting buyer's payments --------------------------------------------------------------


def payment_refund_queue(
    *, payment: SettlementReceipt, now: datetime | None = None
) -> DepositRefund:
    """Owe a settlement payment (online or bank, never the deposit) back to its buyer.

    For services.defaults, inside its transaction, holding the settlement's lock. Idempotent
    (one refund per payment). Posts the "asked" step at once — Dr proceeds-to-share / Cr
    refunds-payable, through settlement_receipt_withdraw — so the payment is no longer part of
    any price; an online one is then sent by refund_send (after commit, or by the close_lots
    pass), a bank one waits for staff's refund_bank_transfer_confirm.
    """
    if payment.source == ReceiptSource.DEPOSIT:
        raise ValueError("A forfeited deposit is not refunded.")
    existing = DepositRefund.objects.filter(payment=payment).first()
    if existing is not None:
        return existing
    online = payment.source == ReceiptSource.STRIPE
    refund = DepositRefund.objects.create(
        payment=payment,
        amount=payment.amount,
        method=PaymentMethod.STRIPE if online else PaymentMethod.BANK_TRANSFER,
        status=RefundStatus.QUEUED if online else RefundStatus.BANK_TRANSFER_DUE,
        # Real time, not the caller's: the refund is due as soon as this commits.
        next_attempt_at=timezone.now() if online else None,
    )
    settlement_receipt_withdraw(
        receipt=payment,
        credit_account=platform_account(REFUNDS_PAYABLE),
        description=f"悔拍退还已付款项 Payment owed back on default · {payment.reference}",
    )
    return refund


# --- The close_lots pass ----------------------------------------------------------------------


def refunds_queue_missing(*, now: datetime | None = None, limit: int = 200) -> int:
    """Queue the refunds a crash kept closing from queueing; the number of lots caught up."""
    lot_ids = list(
        Deposit.objects.filter(
            status=DepositStatus.PAID, lot__status__in=CLOSED_LOT_STATUSES, refund__isnull=True
        )
        .order_by("lot_id")
        .values_list("lot_id", flat=True)
        .distinct()[:limit]
    )
    for lot_id in lot_ids:
        lot_refunds_queue(lot_id=lot_id, now=now)
    return len(lot_ids)


def refunds_retry_due(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """One pass: queue missing refunds, then send every due one; counts by outcome."""
    now = now or timezone.now()
    refunds_queue_missing(now=now, limit=limit)
    due = list(
        DepositRefund.objects.filter(
            Q(status__in=SENDABLE, next_attempt_at__lte=now)
            | Q(status=RefundStatus.SENDING, updated_at__lte=now - STALE_SENDING)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "failed": 0}
    for refund_id in due:
        status = refund_send(refund_id=refund_id, now=now, stale=True)
        if status in (RefundStatus.SENT, RefundStatus.SUCCEEDED):
            counts["sent"] += 1
        elif status == RefundStatus.FAILED:
            counts["failed"] += 1
    return counts


# --- Stripe webhook events for refunds --------------------------------------------------------

REFUND_EVENT_TYPES = {"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"}


def refund_event_handle(event: Mapping[str, Any]) -> None:
    """Apply a verified refund event; called by deposits.stripe_event_handle in its
    transaction after recording the event id (a redelivery never gets here).

    "succeeded" confirms a sent refund; "failed" or "canceled" reverses it for a retry. An
    event for a refund that is already final, or not ours, changes nothing.
    """
    obj = event["data"]["object"]
    refund = (
        DepositRefund.objects.select_for_update(of=("self",))
        .select_related("deposit")
        .filter(stripe_refund_id=obj.get("id"))
        .first()
    )
    if refund is None:
        raw_id = str((obj.get("metadata") or {}).get("deposit_refund_id", ""))
        refund = (
            DepositRefund.objects.select_for_update(of=("self",))
            .select_related("deposit")
            .filter(pk=int(raw_id) if raw_id.isdigit() else 0, status=RefundStatus.SENDING)
            .first()
        )
        if refund is None:
            logger.info("Stripe refund %s is not one of ours in flight; ignored.", obj.get("id"))
            return
        # Stripe's event overtook its own answer to us: record the send first.
        _record_sent(refund, obj["id"])
    if refund.status != RefundStatus.SENT:
        return
    status = obj.get("status")
    if status == "succeeded":
        _confirm(refund)
    elif status in ("failed", "canceled"):
        _reverse_asked(refund, f"Stripe: {obj.get('failure_reason') or status}")


# --- Bank transfers, refunded by hand ---------------------------------------------------------


def refund_bank_transfer_confirm(
    *, staff_user: User, refund: DepositRefund, bank_reference: str
) -> DepositRefund:
    """Staff transferred a bank-transfer deposit back: record it with the bank's reference.

    Dr refunds payable / Cr clearing; the deposit's refunded_at. Locks the refund row.
    """
    if not is_union_staff(staff_user):
        raise RefundError(_("Only union staff can confirm a refund."))
    reference = (bank_reference or "").strip()
    if not reference:
        raise RefundError(_("Enter the bank's reference for the transfer."))
    if len(reference) > DepositRefund._meta.get_field("bank_reference").max_length:
        raise RefundError(_("The bank reference is too long (at most 100 characters)."))
    with transaction.atomic():
        locked = _lock_refund(refund.pk)
        if locked.status != RefundStatus.BANK_TRANSFER_DUE:
            raise RefundError(
                _("This refund is “%(status)s”; there is nothing to confirm."),
                status=locked.get_status_display(),
            )
        locked.bank_reference = reference
        locked.confirmed_by = staff_user
        _confirm(locked)
    return locked


def refund_retry_now(*, staff_user: User, refund: DepositRefund) -> str | None:
    """Staff send a failed refund again without waiting for its next attempt."""
    if not is_union_staff(staff_user):
        raise RefundError(_("Only union staff can retry a refund."))
    updated = DepositRefund.objects.filter(pk=refund.pk, status=RefundStatus.FAILED).update(
        next_attempt_at=timezone.now()
    )
    if not updated:
        raise RefundError(_("Only a failed refund can be retried."))
    return refund_send(refund_id=refund.pk)
