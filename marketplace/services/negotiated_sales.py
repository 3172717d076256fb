"""A lot passed below its reserve, sold afterwards to its highest bidder at an agreed price.

Staff record the deal (协议成交) once both sides agreed: a Sale at the agreed price (its
"hammer price" field holds the deal price) and a settlement marked negotiated, paid as any
other (premium at the session's rate, due SETTLEMENT_DUE_DAYS days later). The lot stays
"passed" — the auction's result — and the settlement says it was sold after. The bidder's
deposit was refunded when the lot passed, so none is applied.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services.roles import is_union_staff
from marketplace.choices import LotStatus
from marketplace.exceptions import SettlementError
from marketplace.locks import lock_lot
from marketplace.models import Lot, Sale, Settlement
from marketplace.models.settlement import SettlementKind
from marketplace.services.settlement import parse_amount, settlement_create
from marketplace.services.settlement_emails import settlement_notify


def lot_negotiated_sale_record(*, staff_user: User, lot: Lot, price: Decimal | str) -> Settlement:
    """Record the deal price agreed with a passed lot's highest bidder; returns the settlement.

    Preconditions: union staff; the lot passed with at least one bid and has no sale yet;
    0.01 <= price <= ¥10,000,000,000 with at most two places (usually at most the reserve,
    which is not enforced: the parties agreed it). Locks the lot row.
    """
    if not is_union_staff(staff_user):
        raise SettlementError(_("Only union staff record negotiated deals."))
    price = parse_amount(price)
    with transaction.atomic():
        locked = lock_lot(lot)
        if locked.status != LotStatus.PASSED:
            raise SettlementError(_("Only a lot that passed unsold can be negotiated afterwards."))
        if locked.leader_id is None:
            raise SettlementError(_("Nobody bid on this lot, so there is no bidder to sell to."))
        if Sale.objects.filter(lot=locked).exists():
            raise SettlementError(_("This lot already has a sale."))
        sale = Sale.objects.create(lot=locked, winner_id=locked.leader_id, hammer_price=price)
        settlement = settlement_create(
            sale=sale,
            lot=locked,
            buyer_id=locked.leader_id,
            kind=SettlementKind.NEGOTIATED,
            price=price,
            now=timezone.now(),
            created_by=staff_user,
        )
        transaction.on_commit(lambda: settlement_notify(settlement_id=settlement.pk), robust=True)
    return settlement
