"""Paying out what the platform owes workers and employers: single payouts or bank batches.

What a payee is owed is the credit balance of their payable account (worker:, employer: or
contributor:…:payable). Paying posts Dr payable / Cr platform:clearing in the same transaction
as the payout's state change, so the balance always equals owed − paid.
"""

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from innovations.templatetags.money import yuan
from licensing.choices import PayoutBatchStatus, PayoutStatus
from licensing.exceptions import (
    AmountInvalidError,
    PayoutAboveOwedError,
    PayoutBatchEmptyError,
    PayoutBatchNotOpenError,
    PayoutProfileMissingError,
    PayoutRefusedError,
)
from licensing.models import Payout, PayoutBatch
from licensing.payable_accounts import is_payable_account
from licensing.services.payout_profiles import payout_profile_for, payout_profiles_by_account
from marketplace.models import LedgerAccount
from marketplace.money import fen_to_yuan, yuan_to_fen
from marketplace.services.ledger import (
    PLATFORM_CLEARING,
    Posting,
    account_balance_fen,
    balances_for,
    ledger_post,
    platform_account,
)

PAYABLE_CODE_REGEX = r"^(worker|employer|contributor):[0-9]+:payable$"
XLSX_HEADERS = [
    "收款人 Payee",
    "户名 Account holder",
    "账号 Account number",
    "开户行 Bank",
    "金额 Amount (CNY)",
    "附言 Reference",
]


def payee_name(account: LedgerAccount) -> str:
    if account.user_id:
        return str(account.user)
    if account.enterprise_id:
        return account.enterprise.name
    return account.name.split("·", 1)[-1].strip()


def owed(account: LedgerAccount) -> Decimal:
    """What the platform owes the payee: the payable's credit balance, in yuan."""
    return fen_to_yuan(-account_balance_fen(account))


def pending_total(account: LedgerAccount, *, excluding: Payout | None = None) -> Decimal:
    pending = Payout.objects.filter(account=account, status=PayoutStatus.PENDING)
    if excluding is not None:
        pending = pending.exclude(pk=excluding.pk)
    return sum((payout.amount for payout in pending), Decimal("0.00"))


def _checked(amount) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise AmountInvalidError()
    try:
        yuan_to_fen(amount)
    except ValueError:
        raise AmountInvalidError() from None
    return amount


def lock_payable_accounts(accounts: list[LedgerAccount]) -> dict[int, LedgerAccount]:
    """Lock payable accounts by primary key, in key order (the house lock order); refused for
    any other account."""
    pks = sorted({account.pk for account in accounts})
    locked = {
        account.pk: account
        for account in LedgerAccount.objects.select_for_update(of=("self",))
        .select_related("user", "enterprise")
        .filter(pk__in=pks)
        .order_by("pk")
    }
    for account in locked.values():
        if not is_payable_account(account):
            raise PayoutRefusedError()
    return locked


def _refuse_above_available(account: LedgerAccount, amount: Decimal, *, excluding=None) -> None:
    available = owed(account) - pending_total(account, excluding=excluding)
    if amount > available:
        raise PayoutAboveOwedError(
            payee=payee_name(account), owed=yuan(available), amount=yuan(amount)
        )


def _post_paid(payout: Payout, *, reference: str, paid_on: date) -> Payout:
    fen = yuan_to_fen(payout.amount)
    payout.ledger_transaction = ledger_post(
        idempotency_key=f"licensing:payout:{payout.pk}:paid",
        description=f"收益支付 Payout · {payout.payee_name} · {reference}",
        postings=[
            Posting(payout.account, fen),
            Posting(platform_account(PLATFORM_CLEARING), -fen),
        ],
        # For the money log: the description names the payee, these do not.
        refs={"payout_id": payout.pk, "payout_batch_id": payout.batch_id},
    )
    payout.status = PayoutStatus.PAID
    payout.reference = reference
    payout.paid_on = paid_on
    payout.save(update_fields=["ledger_transaction", "status", "reference", "paid_on"])
    return payout


@transaction.atomic
def payout_record(
    *, account: LedgerAccount, amount: Decimal, reference: str, paid_on: date, recorded_by
) -> Payout:
    """A single payout staff made by bank: recorded as paid at once.

    Refused (PayoutAboveOwedError, nothing written) above what the payee is owed less what is
    already in unpaid batches. Locks: the payable account row.
    """
    amount = _checked(amount)
    account = lock_payable_accounts([account])[account.pk]
    _refuse_above_available(account, amount)
    payout = Payout.objects.create(
        account=account, payee_name=payee_name(account), amount=amount, recorded_by=recorded_by
    )
    return _post_paid(payout, reference=reference.strip()[:100], paid_on=paid_on)


def payables_owed() -> list[tuple[LedgerAccount, Decimal]]:
    """Every payable account with money owed and not already in an unpaid batch (3 queries)."""
    accounts = list(
        LedgerAccount.objects.filter(code__regex=PAYABLE_CODE_REGEX)
        .select_related("user", "enterprise")
        .order_by("pk")
    )
    balances = balances_for(accounts)
    pending = dict(
        Payout.objects.filter(status=PayoutStatus.PENDING, account__in=accounts)
        .order_by()
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    result = []
    for account in accounts:
        available = fen_to_yuan(-balances[account.pk]) - pending.get(account.pk, Decimal("0"))
        if available > 0:
            result.append((account, available))
    return result


def payables_owed_with_bank_details() -> list[tuple[LedgerAccount, Decimal]]:
    """payables_owed() less the payees without bank details: they cannot be in a batch."""
    owed_now = payables_owed()
    profiles = payout_profiles_by_account([account for account, _amount in owed_now])
    return [(account, amount) for account, amount in owed_now if account.pk in profiles]


@transaction.atomic
def payout_batch_create(
    *, created_by, amounts: list[tuple[LedgerAccount, Decimal]] | None = None
) -> PayoutBatch:
    """A batch of payouts to send to the bank, not yet paid: one line per payable account,
    with a copy of the payee's bank details.

    `amounts` defaults to everyone owed who has bank details, in full (the others are left
    out; the Payouts screen flags them). Refused (nothing written) when empty, when a payee
    has no bank details (PayoutProfileMissingError), or when a line is above what that payee
    is owed less their other unpaid lines. Locks: the payable accounts, by primary key.
    """
    if amounts is None:
        amounts = payables_owed_with_bank_details()
    if not amounts:
        raise PayoutBatchEmptyError()
    locked = lock_payable_accounts([account for account, _amount in amounts])
    batch = PayoutBatch.objects.create(created_by=created_by)
    for account, amount in sorted(amounts, key=lambda pair: pair[0].pk):
        account = locked[account.pk]
        amount = _checked(amount)
        _refuse_above_available(account, amount)
        profile = payout_profile_for(account)
        if profile is None:
            raise PayoutProfileMissingError(payee=payee_name(account))
        Payout.objects.create(
            account=account,
            payee_name=payee_name(account),
            amount=amount,
            batch=batch,
            bank_account_name=profile.bank_account_name,
            bank_account_number=profile.bank_account_number,
            bank=profile.bank,
            recorded_by=created_by,
        )
    return batch


@transaction.atomic
def payout_batch_mark_paid(
    *, batch: PayoutBatch, bank_reference: str, paid_on: date | None = None, actor
) -> PayoutBatch:
    """The bank has made the batch's transfers: post each line and settle the payables.

    Refused (nothing written) for a batch already paid, or when a line is now above what its
    payee is owed (paid meanwhile by a single payout). Locks: the batch, then its accounts.
    """
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != PayoutBatchStatus.OPEN:
        raise PayoutBatchNotOpenError()
    payouts = list(batch.payouts.order_by("account_id"))
    locked = lock_payable_accounts([payout.account for payout in payouts])
    paid_on = paid_on or timezone.localdate()
    reference = bank_reference.strip()[:100]
    for payout in payouts:
        payout.account = locked[payout.account_id]
        if payout.amount > owed(payout.account):
            raise PayoutAboveOwedError(
                payee=payout.payee_name,
                owed=yuan(owed(payout.account)),
                amount=yuan(payout.amount),
            )
        _post_paid(payout, reference=reference or f"batch {batch.pk}", paid_on=paid_on)
    batch.status = PayoutBatchStatus.PAID
    batch.bank_reference = reference
    batch.paid_on = paid_on
    batch.paid_by = actor
    batch.save(update_fields=["status", "bank_reference", "paid_on", "paid_by"])
    return batch


def payout_batch_xlsx(*, batch: PayoutBatch) -> bytes:
    """The batch as a spreadsheet for the bank: payee, the bank details copied onto each line
    when the batch was made, amount, reference."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Batch {batch.pk}"
    sheet.append(XLSX_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for payout in batch.payouts.order_by("pk"):
        sheet.append(
            [
                payout.payee_name,
                payout.bank_account_name,
                payout.bank_account_number,
                payout.bank,
                payout.amount,
                f"WIE-P{batch.pk}-{payout.pk}",
            ]
        )
        sheet.cell(row=sheet.max_row, column=5).number_format = "#,##0.00"
        # Account numbers are text: a number format would drop leading zeros and digits.
        sheet.cell(row=sheet.max_row, column=3).number_format = "@"
    for column, width in zip("ABCDEF", (20, 20, 26, 30, 16, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
