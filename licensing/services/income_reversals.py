"""Taking back income recorded by mistake, by reversing entries only.

The IncomeRecord, its ledger postings and its sharing statement stay as they were. A reversal
posts the exact opposite of the sharing (Dr each party / Cr proceeds-to-share) and of the
receipt (Dr proceeds-to-share / Cr clearing), and writes a reversing statement whose lines are
the original lines negated, so every party's earnings and balance show it.
"""

from collections import defaultdict

from django.db import transaction

from innovations.templatetags.money import yuan
from licensing.exceptions import (
    IncomeAlreadyReversedError,
    IncomeReversalPaidOutError,
    IncomeReversalRefusedError,
)
from licensing.models import Agreement, IncomeRecord, IncomeReversal, SharingEvent, SharingLine
from licensing.payable_accounts import is_payable_account, proceeds_to_share_account
from licensing.services.payouts import lock_payable_accounts, owed, payee_name, pending_total
from marketplace.models import LedgerEntry
from marketplace.money import fen_to_yuan, yuan_to_fen
from marketplace.services.ledger import PLATFORM_CLEARING, Posting, ledger_post, platform_account

REASON_MAX_LENGTH = IncomeReversal._meta.get_field("reason").max_length


def _refuse_if_paid_out(event: SharingEvent) -> None:
    """Each payee must still be owed, outside unpaid batches, all of their part: otherwise
    taking it back would leave the platform owed money by someone it has paid."""
    parts_fen: dict[int, int] = defaultdict(int)
    accounts = {}
    for line in event.lines.select_related("account"):
        if is_payable_account(line.account):
            parts_fen[line.account_id] += yuan_to_fen(line.amount)
            accounts[line.account_id] = line.account
    locked = lock_payable_accounts(list(accounts.values()))
    for pk, part_fen in sorted(parts_fen.items()):
        account = locked[pk]
        available = owed(account) - pending_total(account)
        if fen_to_yuan(part_fen) > available:
            raise IncomeReversalPaidOutError(
                payee=payee_name(account),
                part=yuan(fen_to_yuan(part_fen)),
                available=yuan(max(available, 0)),
            )


@transaction.atomic
def income_reverse(*, income: IncomeRecord, reason: str, actor) -> IncomeReversal:
    """Reverse income recorded by mistake: its receipt and its sharing, with a reason.

    Refused (a LicensingError, nothing written) without a reason, when already reversed, or
    when a payee has been paid (or has in an unpaid batch) part of their share so that less
    than their share is still available to take back.
    Side effects, in one transaction: a ledger transaction negating the sharing's postings, a
    reversing SharingEvent (`reverses` the original) with the original lines negated, a ledger
    transaction Dr proceeds-to-share / Cr clearing, and the IncomeReversal.
    Locks: the agreement row (as income_record does), then the payees' payable accounts by
    primary key (as payouts do), so no payout can slip in between the check and the posting.
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX_LENGTH:
        raise IncomeReversalRefusedError()
    Agreement.objects.select_for_update().get(pk=income.agreement_id)
    income = IncomeRecord.objects.select_related("sharing_event", "agreement").get(pk=income.pk)
    if IncomeReversal.objects.filter(income=income).exists():
        raise IncomeAlreadyReversedError()
    original = income.sharing_event
    _refuse_if_paid_out(original)

    key = f"{original.idempotency_key}:reversal"
    label = f"冲销 Reversal · {original.source_label}"
    sharing_postings = [
        Posting(entry.account, -entry.amount_fen)
        for entry in LedgerEntry.objects.filter(transaction_id=original.ledger_transaction_id)
        .select_related("account")
        .order_by("pk")
    ]
    sharing_reversed = ledger_post(
        idempotency_key=f"share:{key}",
        description=f"收益分享冲销 Sharing reversed · {label} · {reason}",
        postings=sharing_postings,
    )
    event = SharingEvent.objects.create(
        idempotency_key=key,
        source_label=label[:200],
        amount=-original.amount,
        sale=original.sale,
        agreement=original.agreement,
        ledger_transaction=sharing_reversed,
        reverses=original,
    )
    SharingLine.objects.bulk_create(
        SharingLine(
            event=event,
            innovation_id=line.innovation_id,
            party=line.party,
            contributor_id=line.contributor_id,
            user_id=line.user_id,
            enterprise_id=line.enterprise_id,
            payee_name=line.payee_name,
            account_id=line.account_id,
            weight_percent=line.weight_percent,
            exact_amount=-line.exact_amount,
            amount=-line.amount,
            position=line.position,
        )
        for line in original.lines.order_by("position")
    )
    amount_fen = yuan_to_fen(income.amount)
    receipt_reversed = ledger_post(
        idempotency_key=f"{key}:received",
        description=f"许可收入冲销 Income reversed · {label} · {reason}",
        postings=[
            Posting(proceeds_to_share_account(), amount_fen),
            Posting(platform_account(PLATFORM_CLEARING), -amount_fen),
        ],
    )
    return IncomeReversal.objects.create(
        income=income,
        reason=reason,
        sharing_event=event,
        ledger_transaction=receipt_reversed,
        reversed_by=actor,
    )
