"""Profit-sharing (收益分享): plans per innovation, and sharing every amount received.

The inventors' part is split by the contributors' shares. Every party's part is rounded to the
fen by largest remainder across ALL the lines of one amount at once
(marketplace.money.split_by_weights), so the parts add up exactly to the amount.

A lot or agreement over several innovations is split equally between them: a lot has one
starting price for the whole package and no price per innovation, so there is no better
weight to use. Within each innovation its own plan applies.

The employer's part always has a payee: an innovation's employer is an Enterprise row, made
when the worker named it even if nobody from it has joined the platform. Its part accrues on
`employer:{id}:payable` until staff pay it out by bank transfer (licensing.services.payouts).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from innovations.models import Contributor, Innovation
from licensing.choices import SharingParty
from licensing.exceptions import (
    AmountInvalidError,
    SharingNoContributorError,
    SharingNoInnovationError,
    SharingPlanInvalidError,
)
from licensing.models import Agreement, SharingEvent, SharingLine, SharingPlan
from licensing.payable_accounts import (
    contributor_payable_account,
    employer_payable_account,
    proceeds_to_share_account,
    worker_payable_account,
)
from marketplace.models import LedgerAccount, Lot, Sale
from marketplace.money import split_by_weights, yuan_to_fen
from marketplace.services.ledger import (
    PLATFORM_FEES,
    TRANSFORMATION_FUND,
    Posting,
    ledger_post,
    platform_account,
)

HUNDRED = Decimal("100")
# Art. 45 of the Law on Promoting the Transformation of S&T Achievements: where nothing was
# agreed, key contributors get at least 50% of the net income from licensing or assignment.
INVENTORS_FLOOR_PERCENT = Decimal("50")
# Patent Law implementing rules, Art. 93: without an agreement, the inventors of a licensed
# service invention get at least 10% of the royalties.
SERVICE_INVENTION_FLOOR_PERCENT = Decimal("10")
# SharingEvent keys are also the ledger's key after a prefix; both fields hold 200 characters.
EVENT_KEY_MAX_LENGTH = 190
EXACT_PLACES = Decimal("0.00000001")


@dataclass(frozen=True)
class _Share:
    """One party's line before rounding: its weight within its innovation (percent × share)."""

    innovation: Innovation
    party: str
    weight: Decimal
    account: LedgerAccount
    payee_name: str
    contributor: Contributor | None = None
    user_id: int | None = None
    enterprise_id: int | None = None


def sharing_plan_for(innovation: Innovation) -> SharingPlan:
    """The innovation's plan, or an unsaved one with the default parts from the settings."""
    plan = SharingPlan.objects.filter(innovation=innovation).first()
    if plan is not None:
        return plan
    default = settings.LICENSING_DEFAULT_SHARING_PLAN
    return SharingPlan(
        innovation=innovation,
        inventors_percent=Decimal(default["inventors"]),
        employer_percent=Decimal(default["employer"]),
        union_fund_percent=Decimal(default["union_fund"]),
        platform_percent=Decimal(default["platform"]),
    )


def is_licensed_service_invention(innovation: Innovation) -> bool:
    """A service invention (职务发明) offered in a lot or licensed under an agreement."""
    return (
        Lot.objects.filter(innovations=innovation, is_service_invention=True).exists()
        or Agreement.objects.filter(innovations=innovation, is_service_invention=True).exists()
    )


def sharing_plan_warnings(*, plan: SharingPlan, innovation: Innovation) -> list[str]:
    """What staff should see before relying on this plan. Warnings, not refusals: a written
    agreement between the employer and the inventors may lawfully set other parts."""
    warnings = []
    if plan.inventors_percent < INVENTORS_FLOOR_PERCENT:
        warnings.append(
            _(
                "The inventors' part (%(percent)s%%) is below 50%%, the floor that Article 45 of "
                "the Law on Promoting the Transformation of Scientific and Technological "
                "Achievements sets for key contributors where no agreement says otherwise."
            )
            % {"percent": plan.inventors_percent}
        )
    if plan.inventors_percent < SERVICE_INVENTION_FLOOR_PERCENT and is_licensed_service_invention(
        innovation
    ):
        warnings.append(
            _(
                "This is a licensed service invention: the inventors' remuneration "
                "(%(percent)s%%) is below 10%% of the royalties, the default of the Patent Law "
                "implementing rules."
            )
            % {"percent": plan.inventors_percent}
        )
    return warnings


def _percent(value) -> Decimal:
    try:
        percent = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise SharingPlanInvalidError(total="?") from None
    if not percent.is_finite() or percent < 0 or percent > HUNDRED or percent != round(percent, 2):
        raise SharingPlanInvalidError(total=percent)
    return percent


@transaction.atomic
def sharing_plan_set(
    *,
    innovation: Innovation,
    inventors_percent: Decimal,
    employer_percent: Decimal,
    union_fund_percent: Decimal,
    platform_percent: Decimal,
    actor,
) -> tuple[SharingPlan, list[str]]:
    """Save the innovation's plan and return it with the warnings staff must see.

    Refused (SharingPlanInvalidError, nothing saved) unless every part is between 0 and 100
    with at most two decimals and the parts sum to exactly 100. Amounts already shared keep
    the split they were shared by; the plan applies to money received from now on.
    """
    parts = {
        "inventors_percent": _percent(inventors_percent),
        "employer_percent": _percent(employer_percent),
        "union_fund_percent": _percent(union_fund_percent),
        "platform_percent": _percent(platform_percent),
    }
    total = sum(parts.values())
    if total != HUNDRED:
        raise SharingPlanInvalidError(total=total)
    plan, _created = SharingPlan.objects.update_or_create(
        innovation=innovation, defaults={**parts, "updated_by": actor}
    )
    return plan, sharing_plan_warnings(plan=plan, innovation=innovation)


def _innovation_shares(innovation: Innovation) -> list[_Share]:
    plan = sharing_plan_for(innovation)
    shares: list[_Share] = []
    if plan.inventors_percent > 0:
        contributors = list(innovation.contributors.select_related("user"))
        share_total = sum(contributor.share for contributor in contributors)
        if not contributors or share_total <= 0:
            raise SharingNoContributorError(title=innovation.title)
        for contributor in contributors:
            if contributor.user_id:
                account = worker_payable_account(contributor.user)
            else:
                account = contributor_payable_account(contributor)
            shares.append(
                _Share(
                    innovation=innovation,
                    party=SharingParty.INVENTOR,
                    weight=plan.inventors_percent * contributor.share / share_total,
                    account=account,
                    payee_name=contributor.name,
                    contributor=contributor,
                    user_id=contributor.user_id,
                )
            )
    employer = innovation.employer
    for party, percent, account, name, enterprise_id in (
        (
            SharingParty.EMPLOYER,
            plan.employer_percent,
            employer_payable_account(employer),
            employer.name,
            employer.pk,
        ),
        (
            SharingParty.UNION_FUND,
            plan.union_fund_percent,
            platform_account(TRANSFORMATION_FUND),
            str(SharingParty.UNION_FUND.label),
            None,
        ),
        (
            SharingParty.PLATFORM,
            plan.platform_percent,
            platform_account(PLATFORM_FEES),
            str(SharingParty.PLATFORM.label),
            None,
        ),
    ):
        if percent > 0:
            shares.append(
                _Share(
                    innovation=innovation,
                    party=party,
                    weight=percent,
                    account=account,
                    payee_name=name,
                    enterprise_id=enterprise_id,
                )
            )
    return shares


def _checked_amount(amount) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise AmountInvalidError()
    try:
        yuan_to_fen(amount)
    except ValueError:
        raise AmountInvalidError() from None
    return amount


@transaction.atomic
def proceeds_share(
    *,
    innovations,
    amount: Decimal,
    source_label: str,
    idempotency_key: str,
    sale: Sale | None = None,
    agreement: Agreement | None = None,
) -> SharingEvent:
    """Share `amount`, just received into platform:proceeds-to-share, between the parties.

    Preconditions: the amount (Decimal yuan, whole fen, above zero) has been credited to
    proceeds-to-share by the caller in the same transaction; at least one innovation; every
    innovation with an inventors' part has contributors.
    Side effects: one ledger transaction (Dr proceeds-to-share / Cr each party's account, one
    posting per account) and a SharingEvent with one SharingLine per party and innovation —
    the statement. Calling again with the same key returns the first event and writes nothing.
    Locks: none; the unique key serialises two calls with the same key.
    """
    if not idempotency_key or len(idempotency_key) > EVENT_KEY_MAX_LENGTH:
        raise ValueError(f"A sharing key is 1 to {EVENT_KEY_MAX_LENGTH} characters.")
    existing = SharingEvent.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    amount = _checked_amount(amount)
    innovation_list = sorted(
        {innovation.pk: innovation for innovation in innovations}.values(),
        key=lambda innovation: innovation.pk,
    )
    if not innovation_list:
        raise SharingNoInnovationError()

    shares = [share for innovation in innovation_list for share in _innovation_shares(innovation)]
    parts = split_by_weights(amount, [share.weight for share in shares])
    # Each innovation's weights sum to 100, so the package is split equally between them.
    whole = HUNDRED * len(innovation_list)

    credits: dict[int, int] = {}
    accounts: dict[int, LedgerAccount] = {}
    for share, part in zip(shares, parts, strict=True):
        if part:
            credits[share.account.pk] = credits.get(share.account.pk, 0) - yuan_to_fen(part)
            accounts[share.account.pk] = share.account
    postings = [Posting(proceeds_to_share_account(), yuan_to_fen(amount))]
    postings += [Posting(accounts[pk], fen) for pk, fen in credits.items()]
    posted = ledger_post(
        idempotency_key=f"share:{idempotency_key}",
        description=f"收益分享 Sharing · {source_label}",
        postings=postings,
    )
    try:
        with transaction.atomic():
            event = SharingEvent.objects.create(
                idempotency_key=idempotency_key,
                source_label=source_label[:200],
                amount=amount,
                sale=sale,
                agreement=agreement,
                ledger_transaction=posted,
            )
    except IntegrityError:
        # A concurrent call with this key committed first; its event is the statement.
        existing = SharingEvent.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    SharingLine.objects.bulk_create(
        SharingLine(
            event=event,
            innovation=share.innovation,
            party=share.party,
            contributor=share.contributor,
            user_id=share.user_id,
            enterprise_id=share.enterprise_id,
            payee_name=share.payee_name[:200],
            account=share.account,
            weight_percent=(share.weight * HUNDRED / whole).quantize(EXACT_PLACES),
            exact_amount=(amount * share.weight / whole).quantize(EXACT_PLACES),
            amount=part,
            position=position,
        )
        for position, (share, part) in enumerate(zip(shares, parts, strict=True))
    )
    return event
