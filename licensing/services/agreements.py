"""Licence and assignment agreements: drafts from sales or negotiated deals, and their status.

Every status change goes through agreement_transition, which checks
licensing.models.agreement.ALLOWED_TRANSITIONS. Signing confirms the deal: it sets
`confirmed_on` and issues the transaction certificate in the same transaction.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Enterprise
from innovations.models import Innovation, Patent
from licensing.choices import AgreementOrigin, AgreementStatus
from licensing.exceptions import (
    AgreementIncompleteError,
    AgreementInvalidError,
    AgreementNotEditableError,
    AgreementReasonInvalidError,
    AgreementTransitionError,
    AmountInvalidError,
)
from licensing.models import Agreement, AgreementEvent
from licensing.services.certificates import certificate_issue
from marketplace.choices import RightType
from marketplace.models import Sale
from marketplace.money import yuan_to_fen
from marketplace.services.goal_deals import goal_deal_sync_agreement

REASON_MAX_LENGTH = AgreementEvent._meta.get_field("reason").max_length
# Status changes staff must explain; the admin marks their reason box as required.
REASON_REQUIRED_FOR = frozenset({AgreementStatus.TERMINATED})

# Terms staff may set on a draft through agreement_update.
EDITABLE_TERMS = frozenset(
    {
        "contract_number",
        "licensors",
        "right_type",
        "is_service_invention",
        "scope",
        "territory",
        "term_start",
        "term_end",
        "deal_amount",
        "upfront_amount",
        "royalty_rate",
        "royalty_basis",
        "milestones",
        "cnipa_record_number",
        "cnipa_record_date",
    }
)


def _licensors_of(innovations: list[Innovation], patents: list[Patent]) -> str:
    """The patent holders as written on the patents, else the employers (service inventions
    belong to the employer)."""
    names: list[str] = []
    for holders in (patent.holders for patent in patents):
        for name in holders.replace(";", "；").split("；"):
            if name.strip() and name.strip() not in names:
                names.append(name.strip())
    if not names:
        names = list(dict.fromkeys(innovation.employer.name for innovation in innovations))
    return "；".join(names)[:300]


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_money(amount, *, allow_zero: bool) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise AmountInvalidError()
    if amount < 0 or (amount == 0 and not allow_zero):
        raise AmountInvalidError()
    try:
        yuan_to_fen(amount)
    except ValueError:
        raise AmountInvalidError() from None
    return amount


def _check_terms(agreement: Agreement) -> None:
    _check_money(agreement.deal_amount, allow_zero=False)
    _check_money(agreement.upfront_amount, allow_zero=True)
    if agreement.right_type not in RightType.values:
        raise AgreementInvalidError(_("Choose the right granted."))
    if agreement.term_start and agreement.term_end and agreement.term_end < agreement.term_start:
        raise AgreementInvalidError(_("The term cannot end before it starts."))
    rate = agreement.royalty_rate
    if rate is not None and not (Decimal("0") <= rate <= Decimal("100")):
        raise AgreementInvalidError(_("A royalty rate is a percentage between 0 and 100."))


@transaction.atomic
def agreement_create_for_sale(
    *, sale: Sale, licensee: Enterprise | None = None, price: Decimal | None = None
) -> Agreement:
    """A draft agreement pre-filled from the sold lot, or the one the sale already has.

    Lot terms become agreement fields: winner → licensee, the lot's innovations and their
    patents, right type, territory, term (from the sale's date for the lot's licence years),
    hammer price → deal and upfront amount, the lot's service-invention flag. `licensee` and
    `price` override the winner and the hammer price when the lot went to someone else in the
    end (a runner-up after a default, or a negotiated price).
    Locks: the sale row, so two callers make one agreement.
    """
    sale = Sale.objects.select_for_update(of=("self",)).select_related("lot").get(pk=sale.pk)
    existing = Agreement.objects.filter(sale=sale).first()
    if existing is not None:
        return existing
    lot = sale.lot
    innovations = list(lot.innovations.select_related("employer").order_by("pk"))
    patents = list(Patent.objects.filter(innovation__in=innovations).order_by("pk"))
    start = timezone.localdate(sale.created_at)
    agreement = Agreement.objects.create(
        origin=AgreementOrigin.AUCTION,
        sale=sale,
        licensee=licensee or sale.winner,
        licensors=_licensors_of(innovations, patents),
        right_type=lot.right_type,
        is_service_invention=lot.is_service_invention,
        scope=lot.title,
        territory=lot.territory,
        term_start=start,
        term_end=_add_years(start, lot.licence_term_years) if lot.licence_term_years else None,
        deal_amount=price if price is not None else sale.hammer_price,
        upfront_amount=price if price is not None else sale.hammer_price,
    )
    agreement.innovations.set(innovations)
    agreement.patents.set(patents)
    return agreement


@transaction.atomic
def agreement_create_negotiated(
    *,
    licensee: Enterprise,
    innovations: list[Innovation],
    right_type: str,
    deal_amount: Decimal,
    created_by,
    patents: list[Patent] | None = None,
    **terms,
) -> Agreement:
    """Record a negotiated deal (协议成交) as a draft agreement; it counts toward the goal once
    signed. `terms` are any of EDITABLE_TERMS. Refused (nothing saved) without innovations,
    with an amount that is not whole fen above zero, or with inconsistent terms."""
    unknown = set(terms) - EDITABLE_TERMS
    if unknown:
        raise TypeError(f"Unknown agreement terms: {sorted(unknown)}")
    innovations = list(innovations)
    if not innovations:
        raise AgreementInvalidError(_("Choose at least one innovation."))
    patents = list(patents) if patents is not None else []
    foreign = [
        patent for patent in patents if patent.innovation_id not in {i.pk for i in innovations}
    ]
    if foreign:
        raise AgreementInvalidError(_("Choose patents of the deal's innovations only."))
    if not terms.get("licensors"):
        terms["licensors"] = _licensors_of(innovations, patents)
    agreement = Agreement(
        origin=AgreementOrigin.NEGOTIATED,
        licensee=licensee,
        right_type=right_type,
        deal_amount=deal_amount,
        created_by=created_by,
        **terms,
    )
    _check_terms(agreement)
    agreement.save()
    agreement.innovations.set(innovations)
    agreement.patents.set(patents)
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement, actor, **terms) -> Agreement:
    """Change terms of a draft. A signed agreement is a record: refused, nothing saved."""
    unknown = set(terms) - EDITABLE_TERMS
    if unknown:
        raise TypeError(f"Unknown agreement terms: {sorted(unknown)}")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_editable:
        raise AgreementNotEditableError(status=agreement.get_status_display())
    for name, value in terms.items():
        setattr(agreement, name, value)
    _check_terms(agreement)
    agreement.save()
    return agreement


def _missing_for_signing(agreement: Agreement) -> list[str]:
    missing = []
    if not agreement.contract_number.strip():
        missing.append(str(Agreement._meta.get_field("contract_number").verbose_name))
    if not agreement.licensors.strip():
        missing.append(str(Agreement._meta.get_field("licensors").verbose_name))
    if not agreement.innovations.exists():
        missing.append(str(Agreement._meta.get_field("innovations").verbose_name))
    if agreement.term_start is None:
        missing.append(str(Agreement._meta.get_field("term_start").verbose_name))
    return missing


@transaction.atomic
def agreement_transition(
    *,
    agreement: Agreement,
    target: str,
    actor,
    on: date | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> Agreement:
    """Move the agreement to `target` if ALLOWED_TRANSITIONS allows it, else
    AgreementTransitionError and nothing changes.

    Signing needs the contract number, licensors, innovations and term start
    (AgreementIncompleteError otherwise); it sets `confirmed_on` (`on`, default today in
    Shanghai) and issues the transaction certificate. Terminating needs a `reason`; any reason
    is at most 300 characters (AgreementReasonInvalidError). Every change appends one
    AgreementEvent (`actor` None for the platform itself, `at` default now). Locks: the
    agreement row.
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if target not in AgreementStatus.values or not agreement.can_move_to(target):
        raise AgreementTransitionError(
            status=agreement.get_status_display(),
            target=AgreementStatus(target).label if target in AgreementStatus.values else target,
        )
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH or (not reason and target in REASON_REQUIRED_FOR):
        raise AgreementReasonInvalidError(limit=REASON_MAX_LENGTH)
    if target == AgreementStatus.SIGNED:
        missing = _missing_for_signing(agreement)
        if missing:
            raise AgreementIncompleteError(missing="、".join(missing))
        agreement.confirmed_on = on or timezone.localdate()
    AgreementEvent.objects.create(
        agreement=agreement,
        from_status=agreement.status,
        to_status=target,
        actor=actor,
        reason=reason,
        at=at or timezone.now(),
    )
    agreement.status = target
    agreement.save(update_fields=["status", "confirmed_on", "updated_at"])
    # Signing makes a negotiated deal count toward the goal; terminating unmakes it.
    goal_deal_sync_agreement(agreement.pk)
    if target == AgreementStatus.SIGNED:
        certificate_issue(agreement=agreement)
    return agreement


def agreement_sign(*, agreement: Agreement, actor, on: date | None = None) -> Agreement:
    return agreement_transition(
        agreement=agreement, target=AgreementStatus.SIGNED, actor=actor, on=on
    )


def agreement_activate(*, agreement: Agreement, actor) -> Agreement:
    return agreement_transition(agreement=agreement, target=AgreementStatus.ACTIVE, actor=actor)


def agreement_expire(*, agreement: Agreement, actor) -> Agreement:
    return agreement_transition(agreement=agreement, target=AgreementStatus.EXPIRED, actor=actor)


def agreement_terminate(*, agreement: Agreement, actor, reason: str) -> Agreement:
    return agreement_transition(
        agreement=agreement, target=AgreementStatus.TERMINATED, actor=actor, reason=reason
    )


def agreements_expire_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """Expire every agreement in force whose term has run out; the number expired.

    `term_end` is the term's last day, so the agreement expires at 00:00 Shanghai time the day
    after. Run by every close_lots pass: safe to repeat and to run in two workers at once, as
    agreement_transition re-reads the status under the row lock and one of them is refused.
    """
    today = timezone.localdate(now or timezone.now())
    due = list(
        Agreement.objects.filter(status=AgreementStatus.ACTIVE, term_end__lt=today)
        .order_by("term_end", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    expired = 0
    for pk in due:
        try:
            agreement_transition(
                agreement=Agreement(pk=pk),
                target=AgreementStatus.EXPIRED,
                actor=None,
                # No reason stored: AgreementEvent.reason_shown names it in the reader's
                # language.
                at=now,
            )
        except AgreementTransitionError:
            continue  # another pass (or staff) changed it meanwhile
        expired += 1
    return expired
