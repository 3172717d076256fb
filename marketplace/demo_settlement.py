"""Demo settlement: a closed earlier-season auction with a sale paid in full, a passed lot
negotiated afterwards and part-paid by bank transfer, and the underbidders' deposits refunded.

Everything goes through the services: two more approved 可转化 innovations (the demo's other
two are in the open session), lots, simulated Stripe deposits through the signed webhook,
bids, closing, the balance paid through a simulated balance checkout, a negotiated deal and a
bank transfer confirmed by staff. The liberty is the clock, as in marketplace.demo: the
session is prepared ahead, then its schedule is moved so bidding is open for the bids and
then so its lots are due, and they close; once it is settled, its schedule is shown in its
own season (marketplace.demo_calendar). Idempotent: each step checks whether it was done.
Runs after seed_innovations and seed_auction (it uses their people and bidder enterprises).
"""

import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from accounts.models import User
from innovations.choices import Category, PatentKind, PatentStatus, Status, TechnicalField, Tier
from innovations.demo import DemoInnovation, DemoPatent
from innovations.demo import _create as innovation_create_for_demo
from innovations.models import Innovation
from marketplace.choices import LotStatus, RightType, Season, SessionStatus
from marketplace.demo import _open_now, _pay_online, _verify_bidders
from marketplace.demo_calendar import past_session_move_into_season
from marketplace.exceptions import BidRateLimitedError
from marketplace.models import AuctionSession, Deposit, Lot, Settlement
from marketplace.models.settlement import ReceiptSource, SettlementStatus
from marketplace.services import auctions, bidding, payments
from marketplace.services.closing import lot_close
from marketplace.services.deposits import stripe_event_handle
from marketplace.services.negotiated_sales import lot_negotiated_sale_record
from marketplace.services.refunds import refunds_retry_due
from marketplace.services.settlement import (
    balance_checkout_metadata,
    settlement_bank_payment_confirm,
    settlement_checkout_start,
)

SOLD_TITLE = "冲压模具快换定位销组件"
NEGOTIATED_TITLE = "配电柜母排温升红外巡检仪"

SETTLEMENT_INNOVATIONS = [
    DemoInnovation(
        title=SOLD_TITLE,
        owner="wangjianguo",
        category=Category.INVENTION,
        technical_field=TechnicalField.BASIC_PARTS,
        industries=["equipment-manufacturing", "automotive"],
        summary="锥面定位销配合快换压板，冲压模具换模时间由 40 分钟缩短到 8 分钟。",
        description=(
            "<p>原冲压线换模需要反复找正。组件以锥面定位销一次定位，压板快速锁紧，"
            "重复定位精度 ±0.02 mm。</p><ul><li>已在两条冲压线使用一年</li></ul>"
        ),
        benefit=Decimal("420000.00"),
        inventors=[("wangjianguo", "王建国", Decimal("60")), ("zhangwei", "张伟", Decimal("40"))],
        outcome=Status.APPROVED,
        tier=Tier.TRANSACT,
        excellent=True,
        comment="成熟可靠，可进入交易。",
        patents=[
            DemoPatent(
                "202220734518",
                PatentKind.UTILITY_MODEL,
                PatentStatus.GRANTED,
                date(2022, 3, 28),
                date(2022, 9, 16),
            )
        ],
    ),
    DemoInnovation(
        title=NEGOTIATED_TITLE,
        owner="lixiuying",
        category=Category.CREATION,
        technical_field=TechnicalField.MEASURING_EQUIPMENT,
        industries=["transport", "urban-services"],
        summary="手持式红外巡检仪自动识别母排接头温升异常，巡检一面配电柜由 10 分钟缩短到 2 分钟。",
        description="<p>巡检仪内置温升阈值表，超限即声光报警并记录柜号与时间。</p>",
        benefit=Decimal("150000.00"),
        inventors=[("lixiuying", "李秀英", Decimal("100"))],
        outcome=Status.APPROVED,
        tier=Tier.TRANSACT,
        comment="可进入交易。",
        patents=[
            DemoPatent(
                "202320419967",
                PatentKind.UTILITY_MODEL,
                PatentStatus.GRANTED,
                date(2023, 3, 9),
                date(2023, 8, 22),
            )
        ],
    ),
]

LOT_TERMS = {
    SOLD_TITLE: auctions.LotTerms(
        right_type=RightType.NON_EXCLUSIVE_LICENCE,
        licence_term_years=3,
        starting_price=Decimal("200000.00"),
    ),
    NEGOTIATED_TITLE: auctions.LotTerms(
        right_type=RightType.ASSIGNMENT,
        starting_price=Decimal("120000.00"),
        reserve_price=Decimal("200000.00"),
    ),
}
DISCLOSURE = auctions.LotDisclosure(
    patents_legal_status="实用新型专利，已授权，年费已缴，无质押、无在先许可。",
    is_service_invention=True,
    employer_consent=True,
    co_owners_consent=True,
    known_limitations="无",
)
# (bidder index, lot title, maximum): a contest on the first lot; the second stays below its
# reserve.
BIDS = [
    (0, SOLD_TITLE, Decimal("230000.00")),
    (1, SOLD_TITLE, Decimal("260000.00")),
    (0, NEGOTIATED_TITLE, Decimal("150000.00")),
]
NEGOTIATED_PRICE = Decimal("180000.00")
BANK_PAYMENT = (Decimal("100000.00"), "ICBC-DEMO-20260520-01")


def _earlier_season() -> tuple[int, str]:
    """The season before the current one (the open demo session takes the current one)."""
    local = timezone.localtime()
    if local.month > 6:
        return local.year, Season.SPRING
    return local.year - 1, Season.AUTUMN


def _season_before(year: int, season: str) -> tuple[int, str]:
    return (year, Season.SPRING) if season == Season.AUTUMN else (year - 1, Season.AUTUMN)


def _past_session(staff: User, *, year: int, season: str, description: str) -> AuctionSession:
    """An earlier season's session, made by session_create with bidding in its own season
    (bidding must open in the session's year), then moved a week ahead, as though staff had
    prepared it then: lots can still be added and published until _open_now moves it to now.
    """
    existing = AuctionSession.objects.filter(year=year, season=season).first()
    if existing is not None:
        return existing
    label = "春季" if season == Season.SPRING else "秋季"
    bidding_start = timezone.make_aware(
        datetime(year, 5 if season == Season.SPRING else 11, 12, 9, 0)
    )
    session = auctions.session_create(
        actor=staff,
        name=f"{year}年{label}职工创新成果拍卖会",
        year=year,
        season=season,
        description=description,
        schedule=auctions.SessionSchedule(
            preview_start=bidding_start - timedelta(days=8),
            bidding_start=bidding_start,
            first_lot_closes_at=bidding_start + timedelta(days=3),
        ),
        buyers_premium_rate=Decimal("0.0200"),
    )
    shift = timezone.now() + timedelta(days=7) - bidding_start
    AuctionSession.objects.filter(pk=session.pk).update(
        preview_start=F("preview_start") + shift,
        bidding_start=F("bidding_start") + shift,
        first_lot_closes_at=F("first_lot_closes_at") + shift,
    )
    session.refresh_from_db()
    return session


def _lots(
    session: AuctionSession,
    staff: User,
    innovations: list[DemoInnovation],
    terms: dict[str, auctions.LotTerms],
    disclosures: dict[str, auctions.LotDisclosure],
) -> dict[str, Lot]:
    """A published lot for each innovation (made and approved first if need be), by title."""
    lots = {}
    for spec in innovations:
        innovation = Innovation.objects.filter(title=spec.title).first()
        if innovation is None:
            innovation = innovation_create_for_demo(spec, staff)
            # The review services approve a locked copy; read the result.
            innovation.refresh_from_db()
        lot = session.lots.filter(lot_innovations__innovation=innovation).first()
        if lot is None:
            lot = auctions.lot_create(
                actor=staff, session=session, innovations=[innovation], terms=terms[spec.title]
            )
        if lot.status == LotStatus.DRAFT:
            auctions.lot_set_disclosure(lot=lot, actor=staff, disclosure=disclosures[spec.title])
            lot = auctions.lot_publish(lot=lot, actor=staff)
        lots[spec.title] = lot
    return lots


def _close_now(session: AuctionSession) -> None:
    """Move the open session's lots to close a minute ago, then close them."""
    now = timezone.now()
    for lot in session.lots.filter(status=LotStatus.PUBLISHED):
        shift = lot.closes_at - (now - timedelta(minutes=1))
        Lot.objects.filter(pk=lot.pk).update(
            scheduled_close_at=lot.scheduled_close_at - shift, closes_at=lot.closes_at - shift
        )
        lot_close(lot_id=lot.pk, now=now)


def _pay_balance_online(user: User, settlement: Settlement) -> None:
    checkout = settlement_checkout_start(user=user, settlement=settlement)
    body, signature = payments.simulated_checkout_event(
        event_type="checkout.session.completed",
        session_id=checkout.stripe_session_id,
        amount_fen=checkout.amount_fen,
        metadata=balance_checkout_metadata(checkout),
    )
    stripe_event_handle(payments.webhook_event_construct(body, signature))


def _bidder_members(staff: User) -> list[User] | None:
    """The first member of each demo bidder enterprise (verified first), or None if one has
    no member."""
    members = [enterprise.members.order_by("pk").first() for enterprise in _verify_bidders(staff)]
    return None if None in members else members


def _bid(user: User, lot: Lot, maximum: Decimal) -> None:
    """Bid as a person would: told to wait a moment (the demo bids quickly, and the seeds run
    one after another), wait and bid again."""
    try:
        bidding.bid_place(user=user, lot_id=lot.pk, max_amount=maximum)
    except BidRateLimitedError:
        time.sleep(bidding.RATE_LIMIT_SECONDS)
        bidding.bid_place(user=user, lot_id=lot.pk, max_amount=maximum)


def _auction_run(
    session: AuctionSession,
    staff: User,
    members: list[User],
    lots: dict[str, Lot],
    bids: list[tuple[int, str, Decimal]],
) -> None:
    """Publish the session, pay every bidder's deposit on every lot online, open bidding,
    place `bids` (bidder index, lot title, maximum) and close the lots; each step once."""
    if session.status == SessionStatus.DRAFT:
        auctions.session_publish(session=session, actor=staff)
    for member in members:
        for lot in lots.values():
            paid = Deposit.objects.filter(lot=lot, enterprise_id=member.enterprise_id).exists()
            if lot.status == LotStatus.PUBLISHED and not paid:
                _pay_online(member, lot)
    session = _open_now(session)
    if session.status == SessionStatus.OPEN and not any(lot.bids.exists() for lot in lots.values()):
        for bidder_index, title, maximum in bids:
            _bid(members[bidder_index], lots[title], maximum)
    if session.status == SessionStatus.OPEN:
        _close_now(session)


def _buyer_member(members: list[User], settlement: Settlement) -> User:
    return next(member for member in members if member.enterprise_id == settlement.buyer_id)


def seed_settlement() -> None:
    """Seed the closed session with its settlements, then show its schedule in its own season
    (marketplace.demo_calendar). Not one transaction: closing must commit before its refunds
    are sent (marketplace.services.closing)."""
    if not payments.is_simulated():
        return
    staff = User.objects.get(username="staff")
    members = _bidder_members(staff)
    if members is None:
        return
    year, season = _earlier_season()
    session = _past_session(
        staff,
        year=year,
        season=season,
        description="已结束的一场拍卖会：成交、协议成交与保证金退还的示例。",
    )
    lots = _lots(
        session, staff, SETTLEMENT_INNOVATIONS, LOT_TERMS, dict.fromkeys(LOT_TERMS, DISCLOSURE)
    )
    _auction_run(session, staff, members, lots, BIDS)

    sold = Settlement.objects.filter(lot=lots[SOLD_TITLE]).first()
    if sold is not None and sold.status == SettlementStatus.AWAITING_PAYMENT:
        _pay_balance_online(_buyer_member(members, sold), sold)

    passed = Lot.objects.get(pk=lots[NEGOTIATED_TITLE].pk)
    negotiated = Settlement.objects.filter(lot=passed).first()
    if negotiated is None and passed.status == LotStatus.PASSED and passed.leader_id:
        negotiated = lot_negotiated_sale_record(
            staff_user=staff, lot=passed, price=NEGOTIATED_PRICE
        )
    if (
        negotiated is not None
        and not negotiated.receipts.filter(source=ReceiptSource.BANK_TRANSFER).exists()
    ):
        amount, reference = BANK_PAYMENT
        settlement_bank_payment_confirm(
            staff_user=staff, settlement=negotiated, amount=amount, bank_reference=reference
        )
    refunds_retry_due()
    past_session_move_into_season(session)
