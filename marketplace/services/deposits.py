"""Lot deposits (保证金): paid online through Stripe Checkout, or by bank transfer staff confirm.

A deposit becomes paid in exactly two ways: the signed Stripe webhook saying its checkout was
paid (stripe_event_handle), or union staff confirming a bank transfer
(deposit_bank_transfer_confirm). Either posts one ledger transaction per deposit: debit
platform clearing (the money came in), credit the enterprise's deposits-held account (we owe
it back or will apply it to the price).

An enterprise has at most one active (pending, paid or applied) deposit per lot; the database
enforces it, so two members paying at the same moment cannot both start one.
"""

import logging
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise, User
from accounts.services.roles import is_union_staff
from innovations.uploads import EXTENSIONS_BY_KIND, validate_attachment_upload
from marketplace.choices import (
    CheckoutStatus,
    DepositStatus,
    LotStatus,
    PaymentMethod,
    SessionStatus,
)
from marketplace.exceptions import DepositError, EnterpriseNotVerifiedError
from marketplace.models import CheckoutSession, Deposit, Lot, StripeEvent
from marketplace.models.deposit import ACTIVE_DEPOSIT_STATUSES
from marketplace.money import STRIPE_MAX_FEN, fen_to_yuan, yuan_to_fen
from marketplace.services import payments
from marketplace.services.ledger import (
    PLATFORM_CLEARING,
    Posting,
    enterprise_deposits_account,
    ledger_post,
    platform_account,
)
from marketplace.services.refunds import REFUND_EVENT_TYPES, refund_event_handle
from marketplace.services.settlement import (
    is_settlement_checkout_event,
    lot_enterprise_is_barred,
    settlement_checkout_event_handle,
)

logger = logging.getLogger(__name__)

SESSION_STATUSES_TAKING_DEPOSITS = {SessionStatus.PUBLISHED, SessionStatus.OPEN}
# Written into the Stripe checkout's metadata, so an event says what it pays for.
CHECKOUT_PURPOSE_DEPOSITS = "deposits"


# --- Checks shared by online payment and bank transfer ----------------------------------------


def _bidding_enterprise(user: User) -> Enterprise:
    enterprise = user.enterprise
    if enterprise is None:
        raise EnterpriseNotVerifiedError(
            _(
                "Only members of a verified enterprise can pay deposits, and your account does "
                "not act for an enterprise."
            )
        )
    if not enterprise.is_verified:
        raise EnterpriseNotVerifiedError()
    return enterprise


def _lot_check_takes_deposits(lot: Lot, *, now) -> None:
    if lot.status != LotStatus.PUBLISHED:
        raise DepositError(
            _("Lot %(number)s (%(title)s) is not in the catalogue, so it takes no deposit."),
            **_named(lot),
        )
    if lot.session.status not in SESSION_STATUSES_TAKING_DEPOSITS:
        raise DepositError(
            _("The auction session of lot %(number)s (%(title)s) is not taking deposits."),
            **_named(lot),
        )
    if now >= lot.closes_at:
        raise DepositError(
            _("Lot %(number)s (%(title)s) has closed; it takes no more deposits."), **_named(lot)
        )
    if lot.deposit_amount <= 0:
        raise DepositError(_("Lot %(number)s (%(title)s) needs no deposit."), **_named(lot))


def _check_not_barred(enterprise: Enterprise, lot: Lot) -> None:
    """An enterprise that defaulted (悔拍) on a lot pays no deposit for it, or for the lot it
    is re-listed as; without a deposit it cannot bid, so bid_place needs no check of its own."""
    if lot_enterprise_is_barred(lot.pk, enterprise.pk):
        raise DepositError(
            _(
                "%(enterprise)s did not pay for lot %(number)s (%(title)s) after winning it, "
                "and may not bid on it again."
            ),
            enterprise=enterprise.name,
            **_named(lot),
        )


def _active_deposit(enterprise: Enterprise, lot_ids: Iterable[int]) -> Deposit | None:
    return (
        Deposit.objects.filter(
            enterprise=enterprise, lot_id__in=list(lot_ids), status__in=ACTIVE_DEPOSIT_STATUSES
        )
        .select_related("lot")
        .order_by("lot_id")
        .first()
    )


def _already_has_deposit(deposit: Deposit) -> DepositError:
    return DepositError(
        _(
            "Your enterprise already has a deposit for lot %(number)s (%(title)s): %(status)s. "
            "See it under “My deposits”."
        ),
        status=deposit.get_status_display(),
        **_named(deposit.lot),
    )


def _named(lot: Lot) -> dict[str, object]:
    return {"number": lot.number, "title": lot.title}


def _yuan_text(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


# --- Online payment through Stripe Checkout ---------------------------------------------------


def deposit_checkout_start(*, user: User, lots: Iterable[Lot]) -> CheckoutSession:
    """Start paying the deposits of `lots` for the user's enterprise; returns the checkout.

    Preconditions: the user acts for a verified enterprise; every lot is in the catalogue, its
    session is in preview or bidding, it has not closed, and the enterprise has no active
    deposit for it; the total fits in one Stripe payment (STRIPE_MAX_FEN), otherwise the
    deposits are paid by bank transfer.

    Order, so that a crash and a retry never make a second checkout: (1) one transaction
    writes the CheckoutSession with a fresh idempotency key and a pending Deposit per lot, and
    commits; (2) Stripe is called with that key; (3) the Stripe id and URL are saved and the
    checkout becomes "open". If step 2 fails the rows stay (status "created") and PaymentError
    is raised; deposit_checkout_resume() calls Stripe again with the same key, and Stripe
    returns the checkout it may already have made instead of a second one.

    Call it outside any transaction (no ATOMIC_REQUESTS), or step 1 would not be committed
    before Stripe is called. Lot rows are not locked: the one-active-deposit constraint
    settles a race between two members, and bidders keep the lot row to themselves.
    """
    enterprise = _bidding_enterprise(user)
    lot_ids = sorted({lot.pk for lot in lots})
    if not lot_ids:
        raise DepositError(_("Choose at least one lot."))
    now = timezone.now()
    fresh_lots = list(Lot.objects.select_related("session").filter(pk__in=lot_ids).order_by("pk"))
    for lot in fresh_lots:
        _lot_check_takes_deposits(lot, now=now)
        _check_not_barred(enterprise, lot)
    active = _active_deposit(enterprise, lot_ids)
    if active is not None:
        raise _already_has_deposit(active)
    amount_fen = sum(yuan_to_fen(lot.deposit_amount) for lot in fresh_lots)
    if amount_fen > STRIPE_MAX_FEN:
        raise DepositError(
            _(
                "These deposits add up to %(total)s, more than one online payment can take "
                "(%(limit)s). Choose fewer lots, or pay by bank transfer: transfer each deposit "
                "to the platform's deposit account given in the auction terms, quoting your "
                "unified social credit code and the lot number, then send the bank receipt to "
                "union staff, who confirm the deposit."
            ),
            total=_yuan_text(fen_to_yuan(amount_fen)),
            limit=_yuan_text(fen_to_yuan(STRIPE_MAX_FEN)),
        )
    try:
        with transaction.atomic():
            checkout = CheckoutSession.objects.create(
                enterprise=enterprise,
                created_by=user,
                idempotency_key=f"deposit-checkout:{uuid.uuid4().hex}",
                amount_fen=amount_fen,
            )
            Deposit.objects.bulk_create(
                Deposit(
                    lot=lot,
                    enterprise=enterprise,
                    amount=lot.deposit_amount,
                    status=DepositStatus.PENDING,
                    method=PaymentMethod.STRIPE,
                    checkout=checkout,
                    created_by=user,
                )
                for lot in fresh_lots
            )
    except IntegrityError:
        # Another member of the enterprise started one for the same lot a moment ago.
        active = _active_deposit(enterprise, lot_ids)
        if active is None:
            raise
        raise _already_has_deposit(active) from None
    return _checkout_send(checkout)


def deposit_checkout_resume(checkout: CheckoutSession) -> CheckoutSession:
    """Call Stripe again for a checkout whose first call failed, with the same idempotency key.

    An open checkout is returned as it is (its URL still works). A created one whose lots no
    longer take deposits is expired here and its deposits cancelled: nobody ever received a
    payment URL for it, so nothing can be paid through it. Raises DepositError for a checkout
    that is completed or expired, PaymentError if Stripe fails again.
    """
    if checkout.status == CheckoutStatus.OPEN:
        return checkout
    if checkout.status != CheckoutStatus.CREATED:
        raise DepositError(_("This payment is finished; start a new one if you still need to."))
    now = timezone.now()
    deposits = checkout.deposits.select_related("lot__session").order_by("pk")
    try:
        for deposit in deposits:
            _lot_check_takes_deposits(deposit.lot, now=now)
    except DepositError:
        with transaction.atomic():
            locked = CheckoutSession.objects.select_for_update().get(pk=checkout.pk)
            if locked.status == CheckoutStatus.CREATED:
                _checkout_expire(locked)
        raise
    return _checkout_send(checkout)


def _checkout_send(checkout: CheckoutSession) -> CheckoutSession:
    """Steps 2 and 3 of deposit_checkout_start. Everything sent is derived from stored rows,
    so a resume sends exactly the same request (Stripe refuses a reused key otherwise)."""
    deposits = list(checkout.deposits.select_related("lot__session").order_by("pk"))
    line_items = [
        payments.LineItem(
            name=f"保证金 Deposit · {deposit.lot.session.name} · {deposit.lot}",
            amount_fen=yuan_to_fen(deposit.amount),
        )
        for deposit in deposits
    ]
    # The default language's address: the request must not depend on who resumes it, or in
    # which language.
    with translation.override(settings.LANGUAGE_CODE):
        return_path = reverse("marketplace:my_deposits")
    return_url = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{return_path}"
    stripe_session_id, url = payments.checkout_session_create(
        line_items=line_items,
        amount_fen=checkout.amount_fen,
        idempotency_key=checkout.idempotency_key,
        success_url=f"{return_url}?checkout={checkout.pk}&result=paid",
        cancel_url=f"{return_url}?checkout={checkout.pk}&result=cancelled",
        metadata=checkout_metadata(checkout),
    )
    with transaction.atomic():
        locked = CheckoutSession.objects.select_for_update().get(pk=checkout.pk)
        # A webhook may have got here first (a crash between Stripe's answer and this save).
        if locked.status == CheckoutStatus.CREATED:
            locked.stripe_session_id = stripe_session_id
            locked.url = url
            locked.status = CheckoutStatus.OPEN
            locked.save(update_fields=["stripe_session_id", "url", "status"])
    return locked


def checkout_metadata(checkout: CheckoutSession) -> dict[str, str]:
    """What the Stripe checkout carries back in its events: what it pays and for whom."""
    deposit_ids = checkout.deposits.order_by("pk").values_list("pk", flat=True)
    return {
        "purpose": CHECKOUT_PURPOSE_DEPOSITS,
        "checkout_id": str(checkout.pk),
        "enterprise_id": str(checkout.enterprise_id),
        "deposit_ids": ",".join(str(pk) for pk in deposit_ids),
    }


# --- Stripe webhook events --------------------------------------------------------------------


def stripe_event_handle(event: Mapping[str, Any]) -> None:
    """Apply one verified Stripe event (see payments.webhook_event_construct) exactly once.

    The event is recorded by its unique id in the same transaction as the change it makes, so
    a redelivery (Stripe delivers at least once, sometimes concurrently) finds it and does
    nothing, and a failure rolls back both and lets Stripe deliver it again. Event types we
    do not act on are recorded and ignored.

    Locks: the CheckoutSession row, then its deposits by primary key. Balance checkouts
    (metadata purpose "settlement") and refund events go to marketplace.services.settlement
    and .refunds, inside the same transaction.
    """
    with transaction.atomic():
        recorded, created = StripeEvent.objects.get_or_create(
            event_id=event["id"], defaults={"type": event["type"][:100], "payload": event}
        )
        if not created:
            return
        handler = EVENT_HANDLERS.get(event["type"])
        if is_settlement_checkout_event(event):
            settlement_checkout_event_handle(event)
        elif event["type"] in REFUND_EVENT_TYPES:
            refund_event_handle(event)
        elif handler is not None:
            handler(event["data"]["object"])
        recorded.processed_at = timezone.now()
        recorded.save(update_fields=["processed_at"])


def _checkout_for_event(session: Mapping[str, Any]) -> CheckoutSession | None:
    """Our checkout for a Stripe Checkout Session object, locked; None if it is not ours."""
    metadata = session.get("metadata") or {}
    if metadata.get("purpose") != CHECKOUT_PURPOSE_DEPOSITS:
        logger.info("Stripe checkout %s is not a deposit payment; ignored.", session.get("id"))
        return None
    locked = CheckoutSession.objects.select_for_update()
    checkout = locked.filter(stripe_session_id=session.get("id")).first()
    if checkout is None and str(metadata.get("checkout_id", "")).isdigit():
        checkout = locked.filter(pk=int(metadata["checkout_id"])).first()
        if checkout is not None and checkout.stripe_session_id:
            # Another Stripe session than the one we gave the payer: not this checkout's.
            logger.warning(
                "Stripe checkout %s names checkout %s, which is %s; ignored.",
                session.get("id"),
                checkout.pk,
                checkout.stripe_session_id,
            )
            return None
    if checkout is None:
        logger.warning("Stripe checkout %s matches no checkout of ours.", session.get("id"))
        return None
    if not checkout.stripe_session_id:
        # We crashed between Stripe's answer and saving it; the event tells us the id.
        checkout.stripe_session_id = session["id"]
    return checkout


def _checkout_completed(session: Mapping[str, Any]) -> None:
    """The payer paid: the checkout is completed and each of its deposits paid and posted.

    Only payment_status "paid" counts; a delayed payment method reports
    checkout.session.async_payment_succeeded later, handled the same way.

    A "completed" after an "expired" cannot come from Stripe (a session ends one way), but if
    one did the money has been taken, and money received must be recorded: the checkout is
    completed and its cancelled deposits become paid again. Where the enterprise has meanwhile
    started another deposit for the same lot, that deposit stays as it is, the money is still
    posted to the enterprise's deposits held, and an error is logged so staff refund it.
    """
    if session.get("payment_status") != "paid":
        return
    checkout = _checkout_for_event(session)
    if checkout is None or checkout.status == CheckoutStatus.COMPLETED:
        return
    if session.get("amount_total") != checkout.amount_fen or session.get("currency") != "cny":
        logger.error(
            "Stripe checkout %s paid %s %s, but checkout %s is for %s fen; not applied.",
            session.get("id"),
            session.get("amount_total"),
            session.get("currency"),
            checkout.pk,
            checkout.amount_fen,
        )
        return
    now = timezone.now()
    checkout.status = CheckoutStatus.COMPLETED
    checkout.completed_at = now
    checkout.payment_intent_id = session.get("payment_intent") or ""
    checkout.save(
        update_fields=["status", "completed_at", "payment_intent_id", "stripe_session_id"]
    )
    clearing = platform_account(PLATFORM_CLEARING)
    held = enterprise_deposits_account(checkout.enterprise)
    deposits = (
        checkout.deposits.select_for_update()
        .filter(status__in=[DepositStatus.PENDING, DepositStatus.CANCELLED])
        .select_related("lot")
        .order_by("pk")
    )
    for deposit in deposits:
        if deposit.status == DepositStatus.CANCELLED and _active_deposit(
            checkout.enterprise, [deposit.lot_id]
        ):
            logger.error(
                "Deposit %s was paid after its checkout %s expired, and the enterprise has "
                "another active deposit for lot %s: refund one of them.",
                deposit.pk,
                checkout.pk,
                deposit.lot_id,
            )
        else:
            deposit.status = DepositStatus.PAID
            deposit.paid_at = now
            deposit.save(update_fields=["status", "paid_at"])
        _deposit_post_received(deposit, clearing=clearing, held=held, via="Stripe")


def _checkout_expired(session: Mapping[str, Any]) -> None:
    """The payer never paid: the checkout expires and its pending deposits are cancelled, so
    the enterprise can start again. An expiry after completion changes nothing."""
    checkout = _checkout_for_event(session)
    if checkout is None or checkout.status in (CheckoutStatus.COMPLETED, CheckoutStatus.EXPIRED):
        return
    _checkout_expire(checkout)


def _checkout_expire(checkout: CheckoutSession) -> None:
    checkout.status = CheckoutStatus.EXPIRED
    checkout.save(update_fields=["status", "stripe_session_id"])
    checkout.deposits.filter(status=DepositStatus.PENDING).update(status=DepositStatus.CANCELLED)


EVENT_HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "checkout.session.async_payment_succeeded": _checkout_completed,
    "checkout.session.expired": _checkout_expired,
    "checkout.session.async_payment_failed": _checkout_expired,
}


def _deposit_post_received(deposit: Deposit, *, clearing, held, via: str) -> None:
    amount_fen = yuan_to_fen(deposit.amount)
    ledger_post(
        idempotency_key=f"deposit:{deposit.pk}:paid",
        description=f"保证金 Deposit received ({via}) · {deposit.enterprise_id} · {deposit.lot}",
        postings=[Posting(clearing, amount_fen), Posting(held, -amount_fen)],
    )


# --- Bank transfer, confirmed by union staff --------------------------------------------------


def deposit_bank_transfer_confirm(
    *,
    staff_user: User,
    lot: Lot,
    enterprise: Enterprise,
    amount: Decimal,
    bank_reference: str,
    receipt_file: File | None = None,
) -> Deposit:
    """Record a deposit paid by bank transfer, which staff saw arrive; returns it, paid.

    For deposits a single online payment cannot take. Preconditions: `staff_user` is union
    staff (or a superuser); the enterprise is verified; the lot takes deposits (as for online
    payment) and the enterprise has no active deposit for it; `amount` is exactly the lot's
    deposit; the bank's reference is given; a receipt, if given, is a PDF or an image.

    Side effects: one paid Deposit (method bank transfer, confirmed by `staff_user`) and its
    ledger transaction, in one database transaction. The receipt is stored under a random
    name before that transaction (a refusal after that leaves an unreferenced file).
    """
    if not is_union_staff(staff_user):
        raise DepositError(_("Only union staff can confirm a bank transfer."))
    if not enterprise.is_verified:
        raise EnterpriseNotVerifiedError(
            _("%(enterprise)s has not been verified yet; verify it before confirming a deposit."),
            enterprise=enterprise.name,
        )
    reference = (bank_reference or "").strip()
    if not reference:
        raise DepositError(_("Enter the bank's reference for the transfer."))
    if len(reference) > Deposit._meta.get_field("bank_reference").max_length:
        raise DepositError(_("The bank reference is too long (at most 100 characters)."))
    lot = Lot.objects.select_related("session").get(pk=lot.pk)
    _lot_check_takes_deposits(lot, now=timezone.now())
    _check_not_barred(enterprise, lot)
    if not isinstance(amount, Decimal) or amount != lot.deposit_amount:
        raise DepositError(
            _(
                "The deposit for lot %(number)s (%(title)s) is %(deposit)s; confirm exactly that "
                "amount."
            ),
            deposit=_yuan_text(lot.deposit_amount),
            **_named(lot),
        )
    active = _active_deposit(enterprise, [lot.pk])
    if active is not None:
        raise DepositError(
            _("%(enterprise)s already has a deposit for lot %(number)s (%(title)s): %(status)s."),
            enterprise=enterprise.name,
            status=active.get_status_display(),
            **_named(lot),
        )
    deposit = Deposit(
        lot=lot,
        enterprise=enterprise,
        amount=lot.deposit_amount,
        status=DepositStatus.PAID,
        method=PaymentMethod.BANK_TRANSFER,
        bank_reference=reference,
        confirmed_by=staff_user,
        created_by=staff_user,
        paid_at=timezone.now(),
    )
    if receipt_file:
        try:
            kind = validate_attachment_upload(receipt_file)
        except ValidationError as error:
            raise DepositError(" ".join(error.messages)) from error
        extension = EXTENSIONS_BY_KIND[kind][0]
        deposit.receipt.save(f"{uuid.uuid4().hex}{extension}", receipt_file, save=False)
    try:
        with transaction.atomic():
            deposit.save()
            _deposit_post_received(
                deposit,
                clearing=platform_account(PLATFORM_CLEARING),
                held=enterprise_deposits_account(enterprise),
                via=f"bank {reference}",
            )
    except IntegrityError:
        active = _active_deposit(enterprise, [lot.pk])
        if active is None:
            raise
        raise DepositError(
            _("%(enterprise)s already has a deposit for lot %(number)s (%(title)s): %(status)s."),
            enterprise=enterprise.name,
            status=active.get_status_display(),
            **_named(lot),
        ) from None
    return deposit
