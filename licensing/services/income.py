"""Income under an agreement (upfront, royalty statements, milestones), shared on receipt."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from licensing.choices import IncomeKind
from licensing.exceptions import (
    AmountInvalidError,
    IncomeAgreementNotInForceError,
    IncomeDuplicateError,
    IncomeRefusedError,
)
from licensing.models import Agreement, IncomeRecord
from licensing.models.agreement import INCOME_STATUSES
from licensing.payable_accounts import proceeds_to_share_account
from licensing.services.profit_sharing import proceeds_share
from marketplace.money import yuan_to_fen
from marketplace.services.ledger import PLATFORM_CLEARING, Posting, ledger_post, platform_account

REFERENCE_MAX_LENGTH = IncomeRecord._meta.get_field("reference").max_length


@transaction.atomic
def income_record(
    *,
    agreement: Agreement,
    kind: str,
    amount: Decimal,
    received_on: date,
    reference: str,
    recorded_by,
    note: str = "",
) -> IncomeRecord:
    """Record money staff saw arrive under a signed agreement, and share it at once.

    Preconditions: the agreement is signed, in force or expired (money can trail the term);
    the amount is Decimal whole fen above zero; the reference is new for this agreement.
    Otherwise a LicensingError and nothing is written.
    Side effects, in one transaction: the IncomeRecord; ledger Dr platform:clearing / Cr
    platform:proceeds-to-share; then proceeds_share (Dr proceeds-to-share / Cr each party)
    with its statement. Keys derive from the agreement and the reference.
    Locks: the agreement row, then (by the unique key) the ledger.
    """
    reference = (reference or "").strip()
    if not reference or len(reference) > REFERENCE_MAX_LENGTH:
        raise IncomeRefusedError(IncomeRecord._meta.get_field("reference").verbose_name)
    if kind not in IncomeKind.values:
        raise IncomeRefusedError()
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise AmountInvalidError()
    try:
        amount_fen = yuan_to_fen(amount)
    except ValueError:
        raise AmountInvalidError() from None
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in INCOME_STATUSES:
        raise IncomeAgreementNotInForceError(status=agreement.get_status_display())
    if IncomeRecord.objects.filter(agreement=agreement, reference=reference).exists():
        raise IncomeDuplicateError(reference=reference)

    record = IncomeRecord.objects.create(
        agreement=agreement,
        kind=kind,
        amount=amount,
        received_on=received_on,
        reference=reference,
        note=note[:300],
        recorded_by=recorded_by,
    )
    key = f"licensing:agreement:{agreement.pk}:income:{reference}"
    label = f"{agreement} · {record.get_kind_display()} · {reference}"
    ledger_post(
        idempotency_key=f"{key}:received",
        description=f"许可收入 Income received · {label}",
        postings=[
            Posting(platform_account(PLATFORM_CLEARING), amount_fen),
            Posting(proceeds_to_share_account(), -amount_fen),
        ],
    )
    record.sharing_event = proceeds_share(
        innovations=agreement.innovations.all(),
        amount=amount,
        source_label=label,
        idempotency_key=key,
        sale=agreement.sale,
        agreement=agreement,
    )
    record.save(update_fields=["sharing_event"])
    return record
