"""Closing lots at their closing time: sold to the leader, or passed (流拍); then the session.

A lot closes when it is published and its live closing time (`closes_at`, which a soft close
moves later) has come. It is sold when it has a leader whose maximum reaches the reserve (or
there is no reserve): a Sale records the winner and the hammer price, the current price.
Otherwise it is passed. Each lot closes in its own transaction holding its row lock, and the
status and closing time are re-read under that lock, so running the close again, or in two
workers at once, closes each lot exactly once. The Sale is one-to-one with the lot, so the
database refuses a second one whatever happens.

When an open session has no published lot left, it moves to closed.

Emails (winner, underbidders, union staff) go after commit. Deposits are not touched here:
applying the winner's and refunding the others' belongs to settlement.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import ROLE_GROUP_NAMES, Role
from innovations.templatetags.money import yuan
from marketplace.choices import DepositStatus, LotStatus, SessionStatus
from marketplace.live.head import lot_live_announce
from marketplace.locks import lock_lot_id, lock_session
from marketplace.models import AuctionSession, Bid, Deposit, Lot, Sale
from marketplace.services.lot_emails import (
    bilingual,
    enterprise_emails,
    lot_named,
    reachable_users,
)
from marketplace.services.refunds import lot_refunds_start
from marketplace.services.settlement import (
    auction_amount_due,
    deposit_applicable,
    settlement_open_for_sale,
)
from marketplace.services.settlement_emails import purchases_link

logger = logging.getLogger(__name__)


def _close_locked(
    *, lot_id: int, now: datetime, skip_locked: bool, notify: bool
) -> tuple[str | None, Lot | None]:
    """Close one lot in one transaction; (new status or None, the lot as read, or None).
    With `notify`, its result is emailed after commit."""
    try:
        with transaction.atomic():
            lot = lock_lot_id(lot_id, skip_locked=skip_locked)
            # Re-read under the lock: a bid that held it may have moved closes_at later.
            if lot is None or lot.status != LotStatus.PUBLISHED or now < lot.closes_at:
                return None, lot
            if lot.reserve_is_met:
                # A leader always has a price; the start is what a lone bid pays.
                hammer_price = (
                    lot.current_price if lot.current_price is not None else lot.starting_price
                )
                sale = Sale.objects.create(
                    lot=lot, winner_id=lot.leader_id, hammer_price=hammer_price
                )
                settlement_open_for_sale(sale=sale, lot=lot)
                lot.status = LotStatus.SOLD
            else:
                lot.status = LotStatus.PASSED
            lot.version += 1
            lot.save(update_fields=["status", "version", "updated_at"])
            transaction.on_commit(lambda: lot_live_announce(lot=lot), robust=True)
            # Stripe is called after commit, never while the lot is locked.
            transaction.on_commit(lambda: lot_refunds_start(lot_id=lot_id), robust=True)
            if notify:
                # robust: a mail server that is down must not undo or stop closing.
                transaction.on_commit(lambda: lot_close_notify(lot_id=lot_id), robust=True)
            return lot.status, lot
    except IntegrityError:
        # A Sale for a lot that is still published: only a write outside this service could
        # make one. Leave the lot as it is for staff to look at rather than pick a winner.
        logger.exception("Lot %s already has a sale but is still published; not closed.", lot_id)
        return None, None


def lot_close(*, lot_id: int, now: datetime | None = None) -> str | None:
    """Close lot `lot_id` if it is published and due: "sold", "passed", or None (nothing to do:
    already closed, not due yet — perhaps moved by a soft close — not published, or absent).

    Locks: the lot row, waiting for a bid that holds it so that the closing time is the one
    that bid left; then, after that transaction, the session row (session_close_if_finished).
    Call it outside a transaction so that the session is locked only after the lot's lock is
    released (locks.py orders session before lot).
    Side effects: the lot's status and version; a Sale when sold; emails after commit; the
    session moves to closed when this was its last published lot.
    """
    status, lot = _close_locked(
        lot_id=lot_id, now=now or timezone.now(), skip_locked=False, notify=True
    )
    if status is not None:
        session_close_if_finished(session=lot.session)
    return status


def lots_close_due(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Close up to `limit` due lots, soonest closing first, each in its own transaction;
    returns {"sold": n, "passed": m}. Then closes the open sessions left with no published lot.

    The results are emailed in one batch once the run's lots are closed (lots_close_notify).
    Safe to run in several workers at once: each lot is locked with SKIP LOCKED (PostgreSQL;
    SQLite serialises writers instead), so a worker passes over a lot that another is closing,
    or that a bid holds at this instant; such a lot is closed by that worker or by the next run.
    A lot that fails with a database error is logged and left for the next run.
    """
    now = now or timezone.now()
    due_ids = list(
        Lot.objects.filter(status=LotStatus.PUBLISHED, closes_at__lte=now)
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {LotStatus.SOLD.value: 0, LotStatus.PASSED.value: 0}
    closed = []
    for lot_id in due_ids:
        try:
            status, _lot = _close_locked(lot_id=lot_id, now=now, skip_locked=True, notify=False)
        except DatabaseError:
            logger.exception("Lot %s could not be closed; the next run tries again.", lot_id)
            continue
        if status is not None:
            counts[status] += 1
            closed.append(lot_id)
    if closed:
        # One batch for the run: a few queries in all rather than a few per lot.
        transaction.on_commit(lambda: lots_close_notify(lot_ids=closed), robust=True)
    sessions_close_finished(now=now)
    return counts


def session_close_if_finished(*, session: AuctionSession) -> bool:
    """Move an open session to closed once none of its lots is still published; True if it
    moved. Idempotent. Locks the session row (not its lots: each closed lot is already final).
    """
    with transaction.atomic():
        locked = lock_session(session)
        if locked.status != SessionStatus.OPEN or not locked.can_move_to(SessionStatus.CLOSED):
            return False
        if locked.lots.filter(status=LotStatus.PUBLISHED).exists():
            return False
        locked.status = SessionStatus.CLOSED
        locked.save(update_fields=["status", "updated_at"])
    return True


def sessions_close_finished(*, now: datetime | None = None) -> int:
    """Close every open session whose lots have all closed; the number closed.

    Also catches a session whose last lot closed in a run that stopped before the session.
    """
    now = now or timezone.now()
    finished = AuctionSession.objects.filter(
        status=SessionStatus.OPEN, first_lot_closes_at__lte=now
    ).exclude(Exists(Lot.objects.filter(session=OuterRef("pk"), status=LotStatus.PUBLISHED)))
    return sum(session_close_if_finished(session=session) for session in finished)


# --- Notifications ----------------------------------------------------------------------------


def _winner_message(lot: Lot, sale: Sale, deposit: Decimal | None) -> tuple[str, list[str]]:
    subject = _("You won lot %(number)s (%(title)s)") % lot_named(lot)
    # The settlement's own terms, computed as settlement_open_for_sale did (no query).
    due = auction_amount_due(lot, sale)
    lines = [
        _(
            "%(enterprise)s won lot %(number)s (%(title)s) in %(session)s at a hammer price "
            "of %(price)s."
        )
        % {**lot_named(lot), "enterprise": sale.winner.name, "price": yuan(sale.hammer_price)},
        _("With the buyer's premium of %(premium)s, the amount due is %(amount)s.")
        % {"premium": yuan(due.premium), "amount": yuan(due.total)},
    ]
    applied = deposit_applicable(deposit, due.total) if deposit is not None else Decimal("0")
    if deposit is not None:
        lines.append(
            _("Your deposit of %(deposit)s is applied to it; %(balance)s remains to pay.")
            % {"deposit": yuan(applied), "balance": yuan(due.total - applied)}
        )
    if applied < due.total:
        lines.append(
            _("Please pay the balance by %(due)s (Shanghai time) on your purchases page: %(link)s")
            % {
                "due": timezone.localtime(due.due_at).strftime("%Y-%m-%d %H:%M"),
                "link": purchases_link(),
            }
        )
    lines.append(_("Union staff will send you the contract."))
    return subject, lines


def _underbidder_message(lot: Lot, sale: Sale | None) -> tuple[str, list[str]]:
    subject = _("Lot %(number)s (%(title)s) has closed") % lot_named(lot)
    if sale is not None:
        lines = [
            _("Lot %(number)s (%(title)s) closed at %(price)s; you were outbid.")
            % {**lot_named(lot), "price": yuan(sale.hammer_price)}
        ]
    else:
        lines = [
            _("Lot %(number)s (%(title)s) closed unsold: the reserve price was not met.")
            % lot_named(lot)
        ]
    lines.append(_("Your deposit for this lot will be refunded."))
    return subject, lines


def _staff_message(lot: Lot, sale: Sale | None, bidder_count: int) -> tuple[str, list[str]]:
    subject = _("Lot %(number)s (%(title)s): %(outcome)s") % {
        **lot_named(lot),
        "outcome": lot.get_status_display(),
    }
    if sale is not None:
        outcome = _("Sold to %(enterprise)s at %(price)s.") % {
            "enterprise": sale.winner.name,
            "price": yuan(sale.hammer_price),
        }
    elif lot.leader_max is not None and lot.reserve_price is not None:
        outcome = _(
            "Passed: the highest maximum, %(maximum)s, is below the reserve price of %(reserve)s."
        ) % {"maximum": yuan(lot.leader_max), "reserve": yuan(lot.reserve_price)}
    else:
        outcome = _("Passed: there were no bids.")
    lines = [
        _("Session: %(session)s") % lot_named(lot),
        outcome,
        _("Bids: %(bids)s from %(bidders)s bidders.")
        % {"bids": lot.bid_count, "bidders": bidder_count},
        _("Closed at %(time)s (Shanghai time).")
        % {"time": timezone.localtime(lot.closes_at).strftime("%Y-%m-%d %H:%M:%S")},
    ]
    return subject, lines


def lots_close_notify(*, lot_ids: Iterable[int]) -> int:
    """Email the results of closed lots; the number of emails sent.

    Per lot: the winner's members; each underbidding enterprise's members, one email per
    enterprise so that bidders never learn each other's names or addresses; union staff, one
    summary. Mobile-only and inactive users get none. Runs after the closing commits; a
    constant number of queries for any number of lots.
    """
    lots = list(
        Lot.objects.select_related("session", "sale__winner")
        .filter(pk__in=list(lot_ids), status__in=[LotStatus.SOLD, LotStatus.PASSED])
        .order_by("closes_at", "pk")
    )
    if not lots:
        return 0
    sales = {lot.pk: getattr(lot, "sale", None) for lot in lots}
    bidders: dict[int, set[int]] = defaultdict(set)
    for lot_id, enterprise_id in (
        Bid.objects.filter(lot__in=lots)
        .values_list("lot_id", "registration__enterprise_id")
        .distinct()
    ):
        bidders[lot_id].add(enterprise_id)
    deposits = {
        (lot_id, enterprise_id): amount
        for lot_id, enterprise_id, amount in Deposit.objects.filter(
            lot__in=[lot for lot in lots if sales[lot.pk] is not None],
            status__in=[DepositStatus.PAID, DepositStatus.APPLIED],
        )
        .order_by("pk")
        .values_list("lot_id", "enterprise_id", "amount")
    }
    enterprise_ids = set().union(*bidders.values()) | {
        sale.winner_id for sale in sales.values() if sale is not None
    }
    emails = enterprise_emails(enterprise_ids)
    staff = list(
        reachable_users()
        .filter(groups__name=ROLE_GROUP_NAMES[Role.UNION_STAFF])
        .values_list("email", flat=True)
    )

    messages = []

    def add(recipients: list[str], subject: str, body: str) -> None:
        if recipients:
            messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))

    for lot in lots:
        sale = sales[lot.pk]
        winner_id = sale.winner_id if sale is not None else None
        if sale is not None:
            deposit = deposits.get((lot.pk, winner_id))
            add(emails[winner_id], *bilingual(_winner_message, lot, sale, deposit))
        underbidders = sorted(bidders[lot.pk] - {winner_id})
        if any(emails[enterprise_id] for enterprise_id in underbidders):
            subject, body = bilingual(_underbidder_message, lot, sale)
            for enterprise_id in underbidders:
                add(emails[enterprise_id], subject, body)
        add(staff, *bilingual(_staff_message, lot, sale, len(bidders[lot.pk])))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def lot_close_notify(*, lot_id: int) -> int:
    """Email the result of one closed lot (see lots_close_notify)."""
    return lots_close_notify(lot_ids=[lot_id])
