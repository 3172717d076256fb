"""Reads for the earnings page: a worker's sharing lines and payouts, an enterprise's deals."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Sum

from licensing.choices import PayoutStatus
from licensing.models import Agreement, IncomeRecord, Payout, SharingLine
from marketplace.models import LedgerAccount
from marketplace.money import fen_to_yuan
from marketplace.services.ledger import account_balance_fen

ZERO = Decimal("0.00")


@dataclass
class WorkerEarnings:
    lines: list[SharingLine] = field(default_factory=list)
    payouts: list[Payout] = field(default_factory=list)
    earned: Decimal = ZERO
    paid: Decimal = ZERO
    owed: Decimal = ZERO


def worker_earnings(user) -> WorkerEarnings:
    """Every sharing line credited to the user, their payouts, and what is still owed
    (the payable's balance, so it equals earned − paid). A constant number of queries."""
    lines = list(
        SharingLine.objects.filter(user=user)
        .select_related("event__agreement", "event__sale__lot", "innovation")
        .order_by("-event__created_at", "-event_id", "position")
    )
    account = LedgerAccount.objects.filter(code=f"worker:{user.pk}:payable").first()
    if account is None:
        return WorkerEarnings(lines=lines, earned=sum((line.amount for line in lines), ZERO))
    payouts = list(Payout.objects.filter(account=account).order_by("-created_at", "-id"))
    paid = Payout.objects.filter(account=account, status=PayoutStatus.PAID).aggregate(
        total=Sum("amount")
    )["total"]
    return WorkerEarnings(
        lines=lines,
        payouts=payouts,
        earned=sum((line.amount for line in lines), ZERO),
        paid=paid or ZERO,
        owed=fen_to_yuan(-account_balance_fen(account)),
    )


def enterprise_agreements(enterprise_id: int) -> list[Agreement]:
    """The enterprise's agreements as licensee, with what it paid under each."""
    return list(
        Agreement.objects.for_licensee(enterprise_id)
        .select_related("certificate", "sale__lot")
        .prefetch_related(
            "innovations",
            Prefetch("income_records", queryset=IncomeRecord.objects.order_by("-received_on")),
        )
    )
