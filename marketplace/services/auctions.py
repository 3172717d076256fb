"""Auction sessions and lots before bidding: create, schedule, disclose, publish, withdraw.

Lots are made only from innovations the innovations service says may be sold. Lot numbers
are sequential within a session (the session row is locked while numbering) and closing
times are staggered in lot order.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.models import User
from accounts.services.roles import is_union_staff
from innovations.exceptions import InnovationNotListableError
from innovations.models import Innovation
from innovations.services.review import innovation_assert_listable
from marketplace.choices import LotStatus, RightType, SessionStatus
from marketplace.exceptions import (
    EnterpriseNotVerifiedError,
    LotDisclosureIncompleteError,
    LotInvalidError,
    LotTransitionError,
    MarketplaceError,
    SessionNotEditableError,
    SessionSeasonTakenError,
    SessionTimesError,
    SessionTransitionError,
)
from marketplace.locks import lock_lot, lock_session
from marketplace.models import AuctionSession, ConfidentialityAcceptance, Lot, LotInnovation, Watch
from marketplace.money import quantize_yuan

# Chinese online-auction rules: bidding stays open at least 24 hours.
MIN_BIDDING_WINDOW = timedelta(hours=24)
MAX_PRICE = Decimal("10000000000.00")
# An innovation in a lot with one of these statuses cannot be offered in another lot.
ACTIVE_LOT_STATUSES = [LotStatus.DRAFT, LotStatus.PUBLISHED, LotStatus.SOLD]
# Patent holders written as "甲公司、乙公司" or "A; B" are co-owned.
HOLDER_SEPARATORS = re.compile(r"[、,，;；/]")


@dataclass(frozen=True)
class SessionSchedule:
    preview_start: datetime
    bidding_start: datetime
    first_lot_closes_at: datetime
    closing_interval: timedelta = timedelta(minutes=2)
    soft_close_window: timedelta = timedelta(minutes=5)


def require_auction_staff(actor: User) -> None:
    if not is_union_staff(actor):
        raise MarketplaceError(_("Only union staff manage auctions."))


def session_schedule_check(schedule: SessionSchedule) -> None:
    """Refuse inconsistent times, each with the reason."""
    if schedule.bidding_start <= schedule.preview_start:
        raise SessionTimesError(_("Bidding must open after the preview starts."))
    if schedule.first_lot_closes_at - schedule.bidding_start < MIN_BIDDING_WINDOW:
        raise SessionTimesError(
            _("Bidding must stay open for at least 24 hours before the first lot closes.")
        )
    if not timedelta(seconds=30) <= schedule.closing_interval <= timedelta(hours=1):
        raise SessionTimesError(
            _("The interval between lot closings must be between 30 seconds and one hour.")
        )
    if not timedelta(minutes=1) <= schedule.soft_close_window <= timedelta(minutes=30):
        raise SessionTimesError(_("The soft-close window must be between 1 and 30 minutes."))


def increment_bands_check(bands: list) -> None:
    """Bands are [upper bound or None, increment] with rising bounds and a last open band."""
    message = _(
        "Each price band needs an upper bound above the previous one and a positive increment; "
        "the last band has no upper bound."
    )
    if not isinstance(bands, list) or not bands:
        raise MarketplaceError(message)
    previous = Decimal("0")
    for index, band in enumerate(bands):
        try:
            bound, increment = band
            increment = Decimal(str(increment))
            bound = None if bound is None else Decimal(str(bound))
        except (TypeError, ValueError, ArithmeticError):
            raise MarketplaceError(message) from None
        last = index == len(bands) - 1
        if increment <= 0 or (bound is None) != last or (bound is not None and bound <= previous):
            raise MarketplaceError(message)
        previous = bound or previous


def increment_for(bands: list, price: Decimal) -> Decimal:
    """The bid increment for a current price: the band whose upper bound is above it."""
    for bound, increment in bands:
        if bound is None or price < Decimal(str(bound)):
            return Decimal(str(increment))
    raise MarketplaceError(_("The session has no price band for this amount."))


def deposit_for(session: AuctionSession, starting_price: Decimal) -> Decimal:
    """The session's rule: a share of the starting price, never below the minimum."""
    return max(quantize_yuan(starting_price * session.deposit_rate), session.deposit_minimum)


def lot_closing_time(session: AuctionSession, number: int) -> datetime:
    return session.first_lot_closes_at + session.closing_interval * (number - 1)


@transaction.atomic
def session_create(
    *,
    actor: User,
    name: str,
    year: int,
    season: str,
    schedule: SessionSchedule,
    description: str = "",
    increment_bands: list | None = None,
    deposit_rate: Decimal = Decimal("0.1000"),
    deposit_minimum: Decimal = Decimal("1000.00"),
    buyers_premium_rate: Decimal = Decimal("0"),
) -> AuctionSession:
    require_auction_staff(actor)
    session_schedule_check(schedule)
    if timezone.localtime(schedule.bidding_start).year != year:
        raise SessionTimesError(_("Bidding must open in the session's year."))
    if not Decimal("0") <= deposit_rate <= Decimal("1") or deposit_minimum < 0:
        raise MarketplaceError(_("The deposit rate must be between 0 and 1."))
    if not Decimal("0") <= buyers_premium_rate <= Decimal("0.5"):
        raise MarketplaceError(_("The buyer's premium must be between 0% and 50%."))
    session = AuctionSession(
        name=name.strip(),
        year=year,
        season=season,
        description=description,
        preview_start=schedule.preview_start,
        bidding_start=schedule.bidding_start,
        first_lot_closes_at=schedule.first_lot_closes_at,
        closing_interval=schedule.closing_interval,
        soft_close_window=schedule.soft_close_window,
        deposit_rate=deposit_rate,
        deposit_minimum=quantize_yuan(deposit_minimum),
        buyers_premium_rate=buyers_premium_rate,
    )
    if increment_bands is not None:
        increment_bands_check(increment_bands)
        session.increment_bands = increment_bands
    if AuctionSession.objects.filter(year=year, season=season).exists():
        raise SessionSeasonTakenError(season=session.get_season_display(), year=year)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        raise SessionSeasonTakenError(season=session.get_season_display(), year=year) from None
    return session


def require_before_bidding(session: AuctionSession) -> None:
    if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
        raise SessionNotEditableError()
    if timezone.now() >= session.bidding_start:
        raise SessionNotEditableError()


@transaction.atomic
def session_reschedule(
    *, session: AuctionSession, actor: User, schedule: SessionSchedule
) -> AuctionSession:
    """Change the times before bidding opens; every lot's closing time follows."""
    require_auction_staff(actor)
    locked = lock_session(session)
    require_before_bidding(locked)
    session_schedule_check(schedule)
    for name in ("preview_start", "bidding_start", "first_lot_closes_at"):
        setattr(locked, name, getattr(schedule, name))
    locked.closing_interval = schedule.closing_interval
    locked.soft_close_window = schedule.soft_close_window
    locked.save()
    for lot in locked.lots.all():
        lot.scheduled_close_at = lot.closes_at = lot_closing_time(locked, lot.number)
        lot.save(update_fields=["scheduled_close_at", "closes_at", "updated_at"])
    return locked


def _move_session(session: AuctionSession, target: str) -> AuctionSession:
    locked = lock_session(session)
    if not locked.can_move_to(target):
        raise SessionTransitionError(
            status=locked.get_status_display(), target=SessionStatus(target).label
        )
    locked.status = target
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def session_publish(*, session: AuctionSession, actor: User) -> AuctionSession:
    """Open the preview: the catalogue shows the session's published lots, registration opens."""
    require_auction_staff(actor)
    if timezone.now() >= session.bidding_start:
        raise SessionTimesError(_("Bidding has already started; move the times first."))
    if not session.lots.filter(status=LotStatus.PUBLISHED).exists():
        raise MarketplaceError(_("Publish at least one lot before publishing the session."))
    return _move_session(session, SessionStatus.PUBLISHED)


@transaction.atomic
def session_open(*, session: AuctionSession, actor: User | None = None) -> AuctionSession:
    """Open bidding once its time has come: by staff (`actor`) or by the scheduler (None)."""
    if actor is not None:
        require_auction_staff(actor)
    if timezone.now() < session.bidding_start:
        raise SessionTimesError(_("Bidding opens at the time the session sets, not before."))
    return _move_session(session, SessionStatus.OPEN)


def _check_innovations(innovations: list[Innovation], *, excluding_lot: Lot | None = None) -> None:
    if not innovations:
        raise LotInvalidError(_("A lot offers at least one innovation."))
    for innovation in innovations:
        try:
            innovation_assert_listable(innovation)
        except InnovationNotListableError as error:
            raise LotInvalidError(f"{innovation.title}: {error}") from None
    active = LotInnovation.objects.filter(
        innovation__in=innovations,
        lot__status__in=ACTIVE_LOT_STATUSES,
    )
    if excluding_lot is not None:
        active = active.exclude(lot=excluding_lot)
    taken = active.select_related("innovation", "lot").first()
    if taken is not None:
        raise LotInvalidError(
            _("“%(title)s” is already offered in lot %(number)s.")
            % {"title": taken.innovation.title, "number": taken.lot.number}
        )


def _check_terms(
    *,
    right_type: str,
    licence_term_years: int | None,
    starting_price: Decimal,
    reserve_price: Decimal | None,
) -> None:
    if right_type not in RightType.values:
        raise LotInvalidError(_("Choose the right offered."))
    if right_type != RightType.ASSIGNMENT and not licence_term_years:
        raise LotInvalidError(_("A licence needs a term in years."))
    if licence_term_years is not None and not 1 <= licence_term_years <= 30:
        raise LotInvalidError(_("A licence term is between 1 and 30 years."))
    if not Decimal("1") <= starting_price <= MAX_PRICE:
        raise LotInvalidError(_("The starting price must be between ¥1 and ¥10,000,000,000."))
    if quantize_yuan(starting_price) != starting_price:
        raise LotInvalidError(_("Prices are in yuan with at most two decimal places."))
    if reserve_price is not None and not starting_price <= reserve_price <= MAX_PRICE:
        raise LotInvalidError(_("The reserve price cannot be below the starting price."))


@dataclass(frozen=True)
class LotTerms:
    right_type: str
    starting_price: Decimal
    licence_term_years: int | None = None
    territory: str = "中华人民共和国境内"
    reserve_price: Decimal | None = None
    deposit_amount: Decimal | None = None
    title: str = ""


@transaction.atomic
def lot_create(
    *, actor: User, session: AuctionSession, innovations: list[Innovation], terms: LotTerms
) -> Lot:
    """Add a lot offering one innovation (or several, a technology package) to a session.

    Locks the session row so two lots made at once get consecutive numbers.
    """
    require_auction_staff(actor)
    locked = lock_session(session)
    require_before_bidding(locked)
    _check_innovations(innovations)
    _check_terms(
        right_type=terms.right_type,
        licence_term_years=terms.licence_term_years,
        starting_price=terms.starting_price,
        reserve_price=terms.reserve_price,
    )
    number = (locked.lots.aggregate(last=Max("number"))["last"] or 0) + 1
    closes_at = lot_closing_time(locked, number)
    deposit = (
        deposit_for(locked, terms.starting_price)
        if terms.deposit_amount is None
        else quantize_yuan(terms.deposit_amount)
    )
    if deposit <= 0:
        raise LotInvalidError(_("The deposit must be more than zero."))
    default_title = innovations[0].title if len(innovations) == 1 else _("Technology package")
    lot = Lot.objects.create(
        session=locked,
        number=number,
        title=(terms.title or str(default_title)).strip()[:200],
        right_type=terms.right_type,
        licence_term_years=None
        if terms.right_type == RightType.ASSIGNMENT
        else terms.licence_term_years,
        territory=terms.territory.strip(),
        starting_price=terms.starting_price,
        reserve_price=terms.reserve_price,
        deposit_amount=deposit,
        scheduled_close_at=closes_at,
        closes_at=closes_at,
    )
    LotInnovation.objects.bulk_create(
        LotInnovation(lot=lot, innovation=innovation, position=position)
        for position, innovation in enumerate(innovations)
    )
    return lot


@dataclass(frozen=True)
class LotDisclosure:
    patents_legal_status: str
    is_service_invention: bool
    employer_consent: bool
    co_owners_consent: bool
    known_limitations: str
    confidentiality_terms: str = ""


@transaction.atomic
def lot_update(
    *, lot: Lot, actor: User, terms: LotTerms, disclosure: LotDisclosure | None = None
) -> Lot:
    require_auction_staff(actor)
    locked = lock_lot(lot)
    require_before_bidding(locked.session)
    if locked.status not in (LotStatus.DRAFT, LotStatus.PUBLISHED):
        raise LotTransitionError(status=locked.get_status_display(), action=_("changed"))
    _check_terms(
        right_type=terms.right_type,
        licence_term_years=terms.licence_term_years,
        starting_price=terms.starting_price,
        reserve_price=terms.reserve_price,
    )
    locked.right_type = terms.right_type
    locked.licence_term_years = (
        None if terms.right_type == RightType.ASSIGNMENT else terms.licence_term_years
    )
    locked.territory = terms.territory.strip()
    locked.starting_price = terms.starting_price
    locked.reserve_price = terms.reserve_price
    locked.deposit_amount = (
        deposit_for(locked.session, terms.starting_price)
        if terms.deposit_amount is None
        else quantize_yuan(terms.deposit_amount)
    )
    if terms.title:
        locked.title = terms.title.strip()[:200]
    if disclosure is not None:
        _apply_disclosure(locked, disclosure)
    if locked.status == LotStatus.PUBLISHED:
        _check_disclosure(locked)
    locked.save()
    return locked


def _apply_disclosure(lot: Lot, disclosure: LotDisclosure) -> None:
    lot.patents_legal_status = disclosure.patents_legal_status.strip()
    lot.is_service_invention = disclosure.is_service_invention
    lot.employer_consent = disclosure.employer_consent
    lot.co_owners_consent = disclosure.co_owners_consent
    lot.known_limitations = disclosure.known_limitations.strip()
    lot.confidentiality_terms = disclosure.confidentiality_terms.strip()


def _check_disclosure(lot: Lot) -> None:
    missing = []
    patents = [
        patent for innovation in lot.innovations.all() for patent in innovation.patents.all()
    ]
    if patents and not lot.patents_legal_status:
        missing.append(str(_("the legal status of each patent")))
    if lot.is_service_invention and not lot.employer_consent:
        missing.append(str(_("the employer's consent to selling a service invention")))
    if any(len(HOLDER_SEPARATORS.split(patent.holders)) > 1 for patent in patents) and (
        not lot.co_owners_consent
    ):
        missing.append(str(_("the co-owners' consent")))
    if not lot.known_limitations:
        missing.append(str(_("known limitations (write “none” if there are none)")))
    if lot.documents.exists() and not lot.confidentiality_terms:
        missing.append(str(_("the confidentiality terms for the technical documents")))
    if missing:
        # Chinese lists items with "；", English with "; ".
        separator = pgettext("list separator", "; ")
        raise LotDisclosureIncompleteError(missing=separator.join(missing))


@transaction.atomic
def lot_set_disclosure(*, lot: Lot, actor: User, disclosure: LotDisclosure) -> Lot:
    require_auction_staff(actor)
    locked = lock_lot(lot)
    require_before_bidding(locked.session)
    _apply_disclosure(locked, disclosure)
    if locked.status == LotStatus.PUBLISHED:
        _check_disclosure(locked)
    locked.save()
    return locked


@transaction.atomic
def lot_publish(*, lot: Lot, actor: User) -> Lot:
    """Put a lot in the catalogue; refused until its disclosure is complete."""
    require_auction_staff(actor)
    locked = lock_lot(lot)
    require_before_bidding(locked.session)
    if locked.status != LotStatus.DRAFT:
        raise LotTransitionError(status=locked.get_status_display(), action=_("published"))
    _check_innovations(list(locked.innovations.all()), excluding_lot=locked)
    _check_disclosure(locked)
    locked.status = LotStatus.PUBLISHED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def lot_withdraw(*, lot: Lot, actor: User, reason: str) -> Lot:
    """Take a lot out before bidding opens. The reason is shown in the catalogue."""
    from marketplace.models.deposit import ACTIVE_DEPOSIT_STATUSES

    require_auction_staff(actor)
    if not (reason or "").strip():
        raise LotInvalidError(_("Give the reason for withdrawing the lot."))
    locked = lock_lot(lot)
    if locked.status not in (LotStatus.DRAFT, LotStatus.PUBLISHED):
        raise LotTransitionError(status=locked.get_status_display(), action=_("withdrawn"))
    if (
        locked.session.status == SessionStatus.OPEN
        or timezone.now() >= locked.session.bidding_start
    ):
        raise LotTransitionError(status=_("open for bidding"), action=_("withdrawn"))
    if locked.deposits.filter(status__in=ACTIVE_DEPOSIT_STATUSES).exists():
        # Refunds arrive with settlement; until then staff must not strand paid deposits.
        raise LotInvalidError(
            _("Deposits have been paid or started for this lot; refund them before withdrawing it.")
        )
    locked.status = LotStatus.WITHDRAWN
    locked.withdrawn_reason = reason.strip()
    locked.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    return locked


def _require_verified_member(user: User) -> None:
    enterprise = getattr(user, "enterprise", None)
    if enterprise is None or not enterprise.is_verified:
        raise EnterpriseNotVerifiedError()


@transaction.atomic
def lot_confidentiality_accept(*, lot: Lot, user: User) -> ConfidentialityAcceptance:
    """A verified enterprise's member accepts the lot's terms; recorded once with the time."""
    _require_verified_member(user)
    if lot.status != LotStatus.PUBLISHED or not lot.confidentiality_terms:
        raise LotInvalidError(_("This lot has no confidential documents to open."))
    acceptance, _created = ConfidentialityAcceptance.objects.get_or_create(
        lot=lot,
        user=user,
        defaults={"enterprise": user.enterprise, "terms": lot.confidentiality_terms},
    )
    return acceptance


def lot_documents_visible_to(lot: Lot, user: User) -> bool:
    return (
        user.is_authenticated
        and getattr(user, "enterprise", None) is not None
        and user.enterprise.is_verified
        and ConfidentialityAcceptance.objects.filter(lot=lot, user=user).exists()
    )


def lot_watch(*, lot: Lot, user: User) -> Watch:
    if lot.status not in (LotStatus.PUBLISHED, LotStatus.SOLD, LotStatus.PASSED):
        raise LotInvalidError(_("This lot is not in the catalogue."))
    watch, _created = Watch.objects.get_or_create(lot=lot, user=user)
    return watch


def lot_unwatch(*, lot: Lot, user: User) -> None:
    Watch.objects.filter(lot=lot, user=user).delete()
