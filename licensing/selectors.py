"""Reads for the earnings page: a worker's or an employer's sharing lines and payouts, an
enterprise's deals as licensee."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from licensing.choices import PayoutStatus, SharingParty
from licensing.models import Agreement, IncomeRecord, Payout, SharingLine
from marketplace.models import LedgerAccount
from marketplace.money import fen_to_yuan
from marketplace.services.ledger import account_balance_fen

ZERO = Decimal("0.00")


@dataclass
class Earnings:
    """A payee's sharing lines, payouts, and what is still owed to them."""

    lines: list[SharingLine] = field(default_factory=list)
    payouts: list[Payout] = field(default_factory=list)
    earned: Decimal = ZERO
    paid: Decimal = ZERO
    owed: Decimal = ZERO


def _earnings(lines_queryset, account_code: str) -> Earnings:
    """Lines (reversals included, as negative lines), payouts and the payable's balance, so
    owed equals earned − paid. A constant number of queries."""
    lines = list(
        lines_queryset.select_related(
            "event__agreement", "event__sale__lot", "innovation"
        ).order_by("-event__created_at", "-event_id", "position")
    )
    earned = sum((line.amount for line in lines), ZERO)
    account = LedgerAccount.objects.filter(code=account_code).first()
    if account is None:
        return Earnings(lines=lines, earned=earned)
    payouts = list(Payout.objects.filter(account=account).order_by("-created_at", "-id"))
    paid = sum((p.amount for p in payouts if p.status == PayoutStatus.PAID), ZERO)
    return Earnings(
        lines=lines,
        payouts=payouts,
        earned=earned,
        paid=paid,
        owed=fen_to_yuan(-account_balance_fen(account)),
    )


def worker_earnings(user) -> Earnings:
    """Every sharing line credited to the user, their payouts, and what is still owed."""
    return _earnings(SharingLine.objects.filter(user=user), f"worker:{user.pk}:payable")


def employer_earnings(enterprise_id: int) -> Earnings:
    """The employer's share credited to the enterprise for its workers' innovations, its
    payouts, and what the platform still owes it."""
    return _earnings(
        SharingLine.objects.filter(enterprise_id=enterprise_id, party=SharingParty.EMPLOYER),
        f"employer:{enterprise_id}:payable",
    )


def enterprise_agreements(enterprise_id: int) -> list[Agreement]:
    """The enterprise's agreements as licensee, with what it paid under each."""
    return list(
        Agreement.objects.for_licensee(enterprise_id)
        .select_related("certificate", "sale__lot")
        .prefetch_related(
            "innovations",
            Prefetch(
                "income_records",
                queryset=IncomeRecord.objects.select_related("reversal").order_by("-received_on"),
            ),
        )
    )
