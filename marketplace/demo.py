"""Demo auction: verified bidder enterprises, an open session with lots, deposits and bids.

Everything goes through the real services, including a simulated Stripe payment that passes
the signed webhook handler, so the demo data is exactly what the platform would produce. The
one liberty is the clock: staff prepare the session a week ahead, as they would, and the demo
then moves its schedule back so that bidding is open when a newcomer arrives.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.choices import VerificationStatus
from accounts.models import Enterprise, User
from accounts.services.enterprises import enterprise_verify
from innovations.models import Innovation
from marketplace.choices import LotStatus, RightType, Season, SessionStatus
from marketplace.models import AuctionSession, Deposit, Lot
from marketplace.models.deposit import ACTIVE_DEPOSIT_STATUSES
from marketplace.services import auctions, bidding, deposits, payments

BIDDER_CREDIT_CODES = ["91310115MA1H7K2X30", "913100001322456784"]

DEMO_LOTS = [
    {
        "innovation": "数控车床刀具快速对刀装置",
        "terms": auctions.LotTerms(
            right_type=RightType.EXCLUSIVE_LICENCE,
            licence_term_years=5,
            starting_price=Decimal("300000.00"),
            reserve_price=Decimal("450000.00"),
        ),
        "disclosure": auctions.LotDisclosure(
            patents_legal_status=(
                "CN202310397744.0 发明专利，2024-11-08 授权，年费已缴至 2026 年；"
                "CN202320861205.3 实用新型，2023-10-27 授权。均无质押、无在先许可。"
            ),
            is_service_invention=True,
            employer_consent=True,
            co_owners_consent=True,
            known_limitations="已在 CK6140 系列数控车床上验证，其他机型需适配定位块尺寸。",
            confidentiality_terms=(
                "竞买人须对技术图纸和工艺参数保密，不得向第三方披露，不得用于本次交易以外的目的。"
            ),
        ),
    },
    {
        "innovation": "地铁隧道巡检便携照明支架",
        "terms": auctions.LotTerms(
            right_type=RightType.ASSIGNMENT, starting_price=Decimal("60000.00")
        ),
        "disclosure": auctions.LotDisclosure(
            patents_legal_status="",  # written from the innovation's patents below
            is_service_invention=True,
            employer_consent=True,
            co_owners_consent=True,
            known_limitations="无",
        ),
    },
]


def _season_of(moment) -> str:
    return Season.SPRING if timezone.localtime(moment).month <= 6 else Season.AUTUMN


def _verify_bidders(staff: User) -> list[Enterprise]:
    bidders = []
    for code in BIDDER_CREDIT_CODES:
        enterprise = Enterprise.objects.get(credit_code=code)
        if not enterprise.is_verified:
            # The demo enterprises "registered" themselves; staff verify them as usual.
            Enterprise.objects.filter(pk=enterprise.pk).update(
                verification_status=VerificationStatus.PENDING
            )
            enterprise.refresh_from_db()
            enterprise = enterprise_verify(staff_user=staff, enterprise=enterprise)
        bidders.append(enterprise)
    return bidders


def _demo_session(staff: User) -> AuctionSession:
    now = timezone.now()
    bidding_start = now + timedelta(days=7)
    year, season = timezone.localtime(bidding_start).year, _season_of(bidding_start)
    existing = AuctionSession.objects.filter(year=year, season=season).first()
    if existing is not None:
        return existing
    season_label = "春季" if season == Season.SPRING else "秋季"
    return auctions.session_create(
        actor=staff,
        name=f"{year}年{season_label}职工创新成果拍卖会",
        year=year,
        season=season,
        description="上海市总工会职工创新成果转化交易平台第一场网络拍卖会。",
        schedule=auctions.SessionSchedule(
            preview_start=now - timedelta(days=1),
            bidding_start=bidding_start,
            first_lot_closes_at=bidding_start + timedelta(days=3),
        ),
    )


def _demo_lots(session: AuctionSession, staff: User) -> list:
    lots = []
    for spec in DEMO_LOTS:
        innovation = Innovation.objects.get(title=spec["innovation"])
        lot = session.lots.filter(lot_innovations__innovation=innovation).first()
        if lot is None:
            lot = auctions.lot_create(
                actor=staff, session=session, innovations=[innovation], terms=spec["terms"]
            )
        if lot.status == LotStatus.DRAFT:
            disclosure = spec["disclosure"]
            if not disclosure.patents_legal_status:
                status = "；".join(
                    f"{patent.number} {patent.get_kind_display()}，{patent.get_status_display()}"
                    for patent in innovation.patents.all()
                )
                disclosure = auctions.LotDisclosure(
                    **{**disclosure.__dict__, "patents_legal_status": status}
                )
            auctions.lot_set_disclosure(lot=lot, actor=staff, disclosure=disclosure)
            lot = auctions.lot_publish(lot=lot, actor=staff)
        lots.append(lot)
    return lots


def _open_now(session: AuctionSession) -> AuctionSession:
    """Move a published session's schedule back so bidding opened two hours ago, then open it."""
    session.refresh_from_db()
    if session.status != SessionStatus.PUBLISHED:
        return session
    shift = session.bidding_start - (timezone.now() - timedelta(hours=2))
    AuctionSession.objects.filter(pk=session.pk).update(
        preview_start=session.preview_start - shift,
        bidding_start=session.bidding_start - shift,
        first_lot_closes_at=session.first_lot_closes_at - shift,
    )
    for lot in session.lots.all():
        Lot.objects.filter(pk=lot.pk).update(
            scheduled_close_at=lot.scheduled_close_at - shift, closes_at=lot.closes_at - shift
        )
    session.refresh_from_db()
    return auctions.session_open(session=session)


# (bidder index, lot index, maximum): a proxy contest on the first lot, one bid on the second.
DEMO_BIDS = [
    (0, 0, Decimal("320000.00")),
    (1, 0, Decimal("380000.00")),
    (0, 0, Decimal("420000.00")),
    (1, 1, Decimal("60000.00")),
]


def _place_bids(members: list[User], lots: list) -> None:
    for bidder_index, lot_index, maximum in DEMO_BIDS:
        bidding.bid_place(user=members[bidder_index], lot_id=lots[lot_index].pk, max_amount=maximum)


def _pay_online(user: User, lot) -> None:
    """A deposit paid through the simulated Stripe checkout and the signed webhook."""
    checkout = deposits.deposit_checkout_start(user=user, lots=[lot])
    body, signature = payments.simulated_checkout_event(
        event_type="checkout.session.completed",
        session_id=checkout.stripe_session_id,
        amount_fen=checkout.amount_fen,
        metadata=deposits.checkout_metadata(checkout),
    )
    deposits.stripe_event_handle(payments.webhook_event_construct(body, signature))


@transaction.atomic
def seed_auction() -> None:
    staff = User.objects.get(username="staff")
    bidders = _verify_bidders(staff)
    session = _demo_session(staff)
    lots = _demo_lots(session, staff)
    if session.status == "draft":
        auctions.session_publish(session=session, actor=staff)
    if not payments.is_simulated():
        return
    members = [enterprise.members.order_by("pk").first() for enterprise in bidders]
    for enterprise, member in zip(bidders, members, strict=True):
        for lot in lots[:1] if enterprise.credit_code == BIDDER_CREDIT_CODES[0] else lots:
            has_deposit = Deposit.objects.filter(
                lot=lot, enterprise=enterprise, status__in=ACTIVE_DEPOSIT_STATUSES
            ).exists()
            if member is not None and not has_deposit:
                _pay_online(member, lot)
    session = _open_now(session)
    if None not in members and not any(lot.bids.exists() for lot in lots):
        _place_bids(members, lots)
