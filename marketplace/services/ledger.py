"""The append-only double-entry ledger: every money movement is one balanced transaction.

Amounts are integer fen; a positive amount debits an account, a negative one credits it, and
each transaction's entries sum to zero. Posting twice with the same idempotency key returns
the first transaction and writes nothing. Entries are never updated or deleted: the models
refuse it on every database and, on PostgreSQL, triggers refuse it for raw SQL too and check
at commit that every transaction balances (migration 0002_ledger_append_only).
"""

import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from marketplace.exceptions import MarketplaceError
from marketplace.models import LedgerAccount, LedgerEntry, LedgerTransaction
from marketplace.money import fen_to_yuan

logger = logging.getLogger(__name__)
# One structured record per transaction posted (see _log_when_committed).
money_logger = logging.getLogger("wie.money")

IDEMPOTENCY_KEY_MAX_LENGTH = LedgerTransaction._meta.get_field("idempotency_key").max_length
DESCRIPTION_MAX_LENGTH = LedgerTransaction._meta.get_field("description").max_length

# Accounts that exist once for the whole platform.
PLATFORM_CLEARING = "platform:clearing"  # money received from Stripe or by bank, not yet placed
REFUNDS_PAYABLE = "platform:refunds-payable"
PLATFORM_FEES = "platform:fee-revenue"
TRANSFORMATION_FUND = "union:transformation-fund"
PROCEEDS_TO_SHARE = "platform:proceeds-to-share"  # received for an innovation, not yet shared
FORFEITED_DEPOSITS = "platform:forfeited-deposits"  # deposits of winners who defaulted

PLATFORM_ACCOUNT_NAMES = {
    PLATFORM_CLEARING: "平台清算账户 Platform clearing",
    REFUNDS_PAYABLE: "待退款 Refunds payable",
    PLATFORM_FEES: "平台服务费收入 Platform fee revenue",
    TRANSFORMATION_FUND: "工会转化基金 Union transformation fund",
    PROCEEDS_TO_SHARE: "待分配成交收入 Proceeds to share",
    FORFEITED_DEPOSITS: "没收保证金 Forfeited deposits",
}


class LedgerUnbalancedError(MarketplaceError):
    code = "ledger_unbalanced"
    default_message = _("A ledger transaction needs at least two non-zero postings.")


@dataclass(frozen=True)
class Posting:
    account: LedgerAccount
    amount_fen: int


def platform_account(code: str) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        code=code, defaults={"name": PLATFORM_ACCOUNT_NAMES[code]}
    )
    return account


def enterprise_deposits_account(enterprise: Enterprise) -> LedgerAccount:
    """Deposits the platform holds for an enterprise (a liability to it)."""
    account, _created = LedgerAccount.objects.get_or_create(
        code=f"enterprise:{enterprise.pk}:deposits-held",
        defaults={"name": f"保证金 Deposits held · {enterprise.name}", "enterprise": enterprise},
    )
    return account


def ledger_post(
    *,
    idempotency_key: str,
    description: str,
    postings: list[Posting],
    refs: Mapping[str, int | None] | None = None,
) -> LedgerTransaction:
    """Write one balanced transaction, or return the one already written under this key.

    Preconditions: at least two postings, each a non-zero whole number of fen, summing to zero
    (else LedgerUnbalancedError and nothing is written); a non-empty key of at most 200
    characters (else ValueError: a key cut to fit could collide with a different posting).
    Side effects: one LedgerTransaction and its LedgerEntry rows. When the key was posted
    before, nothing is written and the first transaction is returned as it is — a retry is
    applied once — with a warning logged if its postings differ from these. A description
    longer than the field is cut.
    Locks: none taken here. The unique key serialises two posts of one key: on PostgreSQL the
    second INSERT waits for the first to commit or roll back, then fails or goes ahead.
    Logging: once the caller's transaction commits, one "wie.money" record of what was posted
    (never for a replay), with the ids in `refs` (e.g. {"lot_id": 3}) and those the key holds.

    Call it inside the caller's transaction.atomic() so the money movement commits or rolls
    back with the state change it belongs to.
    """
    if not isinstance(idempotency_key, str) or not idempotency_key:
        raise ValueError("A ledger posting needs an idempotency key.")
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise ValueError(
            f"Idempotency key longer than {IDEMPOTENCY_KEY_MAX_LENGTH} characters: "
            f"{idempotency_key[:40]}…"
        )
    postings = list(postings)
    for posting in postings:
        if not isinstance(posting.amount_fen, int) or isinstance(posting.amount_fen, bool):
            raise TypeError(f"Posting amounts are whole fen (int), not {posting.amount_fen!r}.")
    if len(postings) < 2 or any(posting.amount_fen == 0 for posting in postings):
        raise LedgerUnbalancedError()
    total = sum(posting.amount_fen for posting in postings)
    if total != 0:
        raise LedgerUnbalancedError(
            _("The postings of a ledger transaction must sum to zero; these sum to %(total)s fen."),
            total=total,
        )

    existing = LedgerTransaction.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        _warn_if_postings_differ(existing, postings)
        return existing
    try:
        # A savepoint, so that losing the race below leaves the caller's transaction usable.
        with transaction.atomic():
            posted = LedgerTransaction.objects.create(
                idempotency_key=idempotency_key,
                description=description[:DESCRIPTION_MAX_LENGTH],
            )
            LedgerEntry.objects.bulk_create(
                LedgerEntry(
                    transaction=posted, account=posting.account, amount_fen=posting.amount_fen
                )
                for posting in postings
            )
    except IntegrityError:
        # A concurrent caller posted the same key and committed first; theirs is the one.
        # Any other integrity failure (an account that does not exist) is not ours to hide.
        existing = LedgerTransaction.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        _warn_if_postings_differ(existing, postings)
        return existing
    _log_when_committed(posted, idempotency_key=idempotency_key, postings=postings, refs=refs)
    return posted


# What each ledger key names: a stable code for the movement and the ids the key holds. Every
# caller's key has one of these shapes (the callers document theirs). The key itself is never
# logged: some end in free text a person typed (a bank reference).
LEDGER_KEY_SHAPES = [
    (re.compile(r"deposit:(?P<deposit_id>\d+):paid"), "deposit_paid"),
    (re.compile(r"deposit-refund:(?P<refund_id>\d+):\d+:asked"), "refund_asked"),
    (re.compile(r"deposit-refund:(?P<refund_id>\d+):succeeded"), "refund_paid"),
    (re.compile(r"deposit-refund:(?P<refund_id>\d+):\d+:failed"), "refund_failed_reversed"),
    (re.compile(r"settlement:(?P<settlement_id>\d+):premium"), "buyers_premium_earned"),
    (
        re.compile(r"settlement:(?P<settlement_id>\d+):withdraw:(?P<settlement_receipt_id>\d+)"),
        "settlement_receipt_withdrawn",
    ),
    (
        re.compile(r"settlement:(?P<settlement_id>\d+):(?P<receipt_source>[a-z_]+):.+"),
        "settlement_payment_received",
    ),
    (
        re.compile(r"balance-checkout:(?P<balance_checkout_id>\d+):unapplied"),
        "balance_payment_unapplied",
    ),
    (re.compile(r"licensing:payout:(?P<payout_id>\d+):paid"), "payout_paid"),
    (re.compile(r"share:settlement:(?P<settlement_id>\d+):share"), "sale_proceeds_shared"),
    (
        re.compile(r"share:licensing:agreement:(?P<agreement_id>\d+):income:.+:reversal"),
        "income_sharing_reversed",
    ),
    (
        re.compile(r"share:licensing:agreement:(?P<agreement_id>\d+):income:.+"),
        "income_shared",
    ),
    (
        re.compile(r"licensing:agreement:(?P<agreement_id>\d+):income:.+:reversal:received"),
        "income_reversed",
    ),
    (
        re.compile(r"licensing:agreement:(?P<agreement_id>\d+):income:.+:received"),
        "income_received",
    ),
    (re.compile(r"share:.+"), "proceeds_shared"),
]


def ledger_key_describe(idempotency_key: str) -> tuple[str, dict[str, int | str]]:
    """The movement code of a ledger key and the ids it holds ("other" if no shape fits)."""
    for pattern, code in LEDGER_KEY_SHAPES:
        match = pattern.fullmatch(idempotency_key)
        if match is not None:
            return code, {
                name: int(value) if value.isdigit() else value
                for name, value in match.groupdict().items()
            }
    return "other", {}


def _log_when_committed(
    posted: LedgerTransaction,
    *,
    idempotency_key: str,
    postings: list[Posting],
    refs: Mapping[str, int | None] | None,
) -> None:
    """One "wie.money" record for the transaction, emitted after the caller's commit.

    After commit, not now: inside the caller's transaction the posting may still roll back
    with the state change it belongs to, and a log that says money moved when it did not is
    worse than none. (A crash between commit and the log loses the line; the ledger is the
    record, the log is for watching it.) Everything is captured now, so the callback reads
    nothing. Only ids, codes and amounts: never the description, which holds names.
    Amounts are strings with two decimals, never floats.
    """
    code, key_ids = ledger_key_describe(idempotency_key)
    entries = [
        {
            "account_id": posting.account.pk,
            "account_code": posting.account.code,
            "amount": str(fen_to_yuan(posting.amount_fen)),
        }
        for posting in postings
    ]
    fields = {
        "event": "ledger_transaction_posted",
        "transaction_id": posted.pk,
        "description_code": code,
        "amount": str(fen_to_yuan(sum(p.amount_fen for p in postings if p.amount_fen > 0))),
        "entries": entries,
        "enterprise_ids": sorted({p.account.enterprise_id for p in postings} - {None}),
        "user_ids": sorted({p.account.user_id for p in postings} - {None}),
        **key_ids,
        **{name: value for name, value in (refs or {}).items() if value is not None},
    }
    transaction.on_commit(
        lambda: money_logger.info(
            "Ledger transaction %s posted (%s, %s).",
            fields["transaction_id"],
            code,
            fields["amount"],
            extra=fields,
        ),
        robust=True,
    )


def _warn_if_postings_differ(existing: LedgerTransaction, postings: list[Posting]) -> None:
    """A replay with other amounts is a caller's bug (a key reused for another movement)."""
    posted = Counter(existing.entries.values_list("account_id", "amount_fen"))
    asked = Counter((posting.account.pk, posting.amount_fen) for posting in postings)
    if posted != asked:
        logger.warning(
            "Ledger key %r was posted before with other postings; kept transaction %s "
            "(%s), ignored %s.",
            existing.idempotency_key,
            existing.pk,
            sorted(posted.elements()),
            sorted(asked.elements()),
        )


def account_balance_fen(account: LedgerAccount) -> int:
    """Debits minus credits, derived from the committed postings.

    Takes no lock: a posting is one committed transaction, so a read never sees half of one.
    A caller that posts because of a balance locks the row the money belongs to (the deposit,
    the lot) first, in the house lock order.
    """
    return account.entries.aggregate(total=Sum("amount_fen"))["total"] or 0


def balances_for(accounts: Iterable[LedgerAccount]) -> dict[int, int]:
    """Balance in fen of each account, keyed by account id (0 if never posted), in one query."""
    balances = dict.fromkeys((account.pk for account in accounts), 0)
    if balances:
        balances.update(
            LedgerEntry.objects.filter(account_id__in=balances)
            .order_by()
            .values("account_id")
            .annotate(total=Sum("amount_fen"))
            .values_list("account_id", "total")
        )
    return balances
