"""A buyer who has not paid in full by the due date defaults (悔拍), and what staff do next.

Default: the settlement is marked defaulted (it stops counting toward the goal), the applied
deposit is forfeited — its receipt is taken back out of proceeds-to-share into
platform:forfeited-deposits (one transaction: Dr proceeds-to-share / Cr forfeited-deposits,
which nets "reverse the application" and "Dr deposits held / Cr forfeited") — and the
enterprise is barred from the lot (settlement.lot_enterprise_is_barred). Every payment it
made beyond the deposit is owed back to it (refunds.payment_refund_queue): a Stripe-paid one
is refunded through Stripe after commit (retried by the close_lots pass), a bank-paid one is
listed for staff to transfer back and confirm.

Then staff choose one of:
- offer the lot to the runner-up (the highest other bidder not barred) at that bidder's
  maximum: a new settlement on the same Sale, due SETTLEMENT_DUE_DAYS from the offer. Every
  underbidder's deposit was refunded when the lot closed, so there is no deposit to apply;
  the runner-up pays the whole amount. If the runner-up defaults too, the next one can be
  offered the lot.
- re-list it: the lot becomes passed and a draft copy (terms, disclosure and a copy of each
  confidential document) is added to a session that has not opened yet.

Locks: session, then lot, then settlement, then deposit.
"""

import logging
from datetime import datetime

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services.roles import is_union_staff
from marketplace.choices import DepositStatus, LotStatus
from marketplace.exceptions import SettlementDefaultError
from marketplace.locks import lock_lot, lock_session
from marketplace.models import (
    AuctionSession,
    Bid,
    Deposit,
    Lot,
    LotDocument,
    Settlement,
    SettlementReceipt,
)
from marketplace.models.settlement import (
    DefaultResolution,
    ReceiptSource,
    RefundStatus,
    SettlementKind,
    SettlementStatus,
)
from marketplace.services import auctions
from marketplace.services.goal_deals import goal_deal_sync_settlement
from marketplace.services.ledger import FORFEITED_DEPOSITS, platform_account
from marketplace.services.refunds import payment_refund_queue, refund_send
from marketplace.services.settlement import settlement_create, settlement_receipt_withdraw
from marketplace.services.settlement_emails import settlement_notify

logger = logging.getLogger(__name__)


def settlement_default(*, settlement_id: int, now: datetime | None = None) -> bool:
    """Default one settlement if it is still unpaid after its due time; True if it did.

    Idempotent: a paid or already defaulted settlement, or one not yet overdue (checked under
    its lock, so a payment recorded at the last second wins), is left alone.
    """
    now = now or timezone.now()
    with transaction.atomic():
        settlement = (
            Settlement.objects.select_for_update(of=("self",))
            .select_related("lot")
            .filter(pk=settlement_id)
            .first()
        )
        if (
            settlement is None
            or settlement.status != SettlementStatus.AWAITING_PAYMENT
            or now <= settlement.due_at
        ):
            return False
        settlement.status = SettlementStatus.DEFAULTED
        settlement.defaulted_at = now
        settlement.save(update_fields=["status", "defaulted_at", "updated_at"])
        goal_deal_sync_settlement(settlement.pk)
        if settlement.deposit_id is not None:
            Deposit.objects.select_for_update().filter(pk=settlement.deposit_id).update(
                status=DepositStatus.FORFEITED
            )
        receipt = SettlementReceipt.objects.filter(
            settlement=settlement, source=ReceiptSource.DEPOSIT
        ).first()
        if receipt is not None:
            settlement_receipt_withdraw(
                receipt=receipt,
                credit_account=platform_account(FORFEITED_DEPOSITS),
                description=f"悔拍没收保证金 Deposit forfeited on default · {settlement.lot}",
            )
        refunds = [
            payment_refund_queue(payment=payment)
            for payment in SettlementReceipt.objects.filter(settlement=settlement)
            .exclude(source=ReceiptSource.DEPOSIT)
            .order_by("pk")
        ]
        online = [refund.pk for refund in refunds if refund.status == RefundStatus.QUEUED]
        transaction.on_commit(lambda: settlement_notify(settlement_id=settlement_id), robust=True)
        # Stripe is called after commit, never under the settlement's lock.
        transaction.on_commit(lambda: _send_refunds(online), robust=True)
    logger.info("Settlement %s defaulted (lot %s).", settlement_id, settlement.lot_id)
    return True


def _send_refunds(refund_ids: list[int]) -> None:
    for refund_id in refund_ids:
        refund_send(refund_id=refund_id)


def settlements_default_overdue(*, now: datetime | None = None, limit: int = 200) -> int:
    """Default every settlement unpaid past its due time; the number defaulted."""
    now = now or timezone.now()
    overdue = list(
        Settlement.objects.filter(status=SettlementStatus.AWAITING_PAYMENT, due_at__lt=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(settlement_default(settlement_id=pk, now=now) for pk in overdue)


def _require_staff(user: User) -> None:
    if not is_union_staff(user):
        raise SettlementDefaultError(_("Only union staff decide what happens after a default."))


def _require_unresolved(settlement: Settlement) -> None:
    if settlement.status != SettlementStatus.DEFAULTED:
        raise SettlementDefaultError(_("Only a defaulted purchase can be offered again."))
    if settlement.resolution:
        raise SettlementDefaultError(
            _("Staff already chose: %(resolution)s."),
            resolution=settlement.get_resolution_display(),
        )


def _lock_settlement(settlement: Settlement) -> Settlement:
    return Settlement.objects.select_for_update(of=("self",)).get(pk=settlement.pk)


def runner_up_bid(lot: Lot) -> Bid | None:
    """The highest bid by an enterprise that has not defaulted on the lot; earliest on ties."""
    barred = Settlement.objects.filter(lot=lot, status=SettlementStatus.DEFAULTED).values(
        "buyer_id"
    )
    return (
        Bid.objects.filter(lot=lot)
        .exclude(registration__enterprise_id__in=barred)
        .select_related("registration__enterprise")
        .order_by("-max_amount", "sequence")
        .first()
    )


def settlement_offer_to_runner_up(*, staff_user: User, settlement: Settlement) -> Settlement:
    """Offer a defaulted lot to the runner-up at their maximum; returns their settlement.

    Staff record this once the runner-up has accepted. Refused when the settlement is not
    defaulted, staff already chose, or no other bidder is left.
    """
    _require_staff(staff_user)
    now = timezone.now()
    with transaction.atomic():
        lot = lock_lot(settlement.lot)
        locked = _lock_settlement(settlement)
        _require_unresolved(locked)
        if lot.status != LotStatus.SOLD:
            raise SettlementDefaultError(_("This lot is no longer sold; it cannot be offered."))
        bid = runner_up_bid(lot)
        if bid is None:
            raise SettlementDefaultError(_("No other bidder is left to offer this lot to."))
        offer = settlement_create(
            sale=locked.sale,
            lot=lot,
            buyer_id=bid.registration.enterprise_id,
            kind=SettlementKind.RUNNER_UP,
            price=bid.max_amount,
            now=now,
            created_by=staff_user,
        )
        _resolve(locked, DefaultResolution.RUNNER_UP, staff_user, now)
        transaction.on_commit(lambda: settlement_notify(settlement_id=offer.pk), robust=True)
    return offer


def settlement_relist(*, staff_user: User, settlement: Settlement, session: AuctionSession) -> Lot:
    """Re-list a defaulted lot as a draft in `session` (not yet open); returns the new lot.

    The old lot becomes passed, so its innovations can be offered again. Its confidential
    documents are copied to the new lot, each to a file of its own (removing one from either
    lot must not take it from the other); if the transaction fails after the copies were
    stored, those files stay behind unreferenced, as an upload's would.
    """
    _require_staff(staff_user)
    now = timezone.now()
    with transaction.atomic():
        target = lock_session(session)
        lot = lock_lot(settlement.lot)
        locked = _lock_settlement(settlement)
        _require_unresolved(locked)
        if target.pk == lot.session_id:
            raise SettlementDefaultError(_("Choose a later auction session."))
        auctions.require_before_bidding(target)
        lot.status = LotStatus.PASSED
        lot.version += 1
        lot.save(update_fields=["status", "version", "updated_at"])
        new_lot = auctions.lot_create(
            actor=staff_user,
            session=target,
            innovations=[
                link.innovation for link in lot.lot_innovations.select_related("innovation")
            ],
            terms=auctions.LotTerms(
                right_type=lot.right_type,
                starting_price=lot.starting_price,
                licence_term_years=lot.licence_term_years,
                territory=lot.territory,
                reserve_price=lot.reserve_price,
                title=lot.title,
            ),
        )
        new_lot = auctions.lot_set_disclosure(
            lot=new_lot,
            actor=staff_user,
            disclosure=auctions.LotDisclosure(
                patents_legal_status=lot.patents_legal_status,
                is_service_invention=lot.is_service_invention,
                employer_consent=lot.employer_consent,
                co_owners_consent=lot.co_owners_consent,
                known_limitations=lot.known_limitations,
                confidentiality_terms=lot.confidentiality_terms,
            ),
        )
        _documents_copy(source=lot, target=new_lot)
        locked.relisted_as = new_lot
        _resolve(locked, DefaultResolution.RELISTED, staff_user, now)
    return new_lot


def _documents_copy(*, source: Lot, target: Lot) -> None:
    for document in source.documents.all():
        copy = LotDocument(
            lot=target,
            title=document.title,
            original_name=document.original_name,
            content_type=document.content_type,
            size=document.size,
        )
        with document.file.open("rb") as stored:
            copy.file.save(document.original_name, File(stored), save=False)
        copy.save()


def _resolve(settlement: Settlement, resolution: str, staff_user: User, now: datetime) -> None:
    settlement.resolution = resolution
    settlement.resolved_by = staff_user
    settlement.resolved_at = now
    settlement.save(
        update_fields=["resolution", "resolved_by", "relisted_as", "resolved_at", "updated_at"]
    )
