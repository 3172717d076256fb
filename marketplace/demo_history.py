"""Demo history: the session two seasons back, closed with its results settled, so that the
demo shows two past sessions with results.

Three more approved 可转化 innovations go to auction. The bidder enterprises contest two of
them: one buyer pays the balance online through the simulated balance checkout, the other by
a bank transfer that staff confirm; the third lot stays below its reserve and is passed. The
underbidders' deposits are refunded. Everything goes through the services, as in
marketplace.demo_settlement, whose steps this reuses; the liberty is the clock, as there.
Idempotent: each step checks whether it was done. Runs after seed_settlement (its session
takes the season before this one).

The session stays "closed": nothing in the services moves a session to "settled" yet.
"""

from datetime import date
from decimal import Decimal

from accounts.models import User
from innovations.choices import Category, PatentKind, PatentStatus, Status, TechnicalField, Tier
from innovations.demo import DemoInnovation, DemoPatent, demo_patent_number
from marketplace.choices import RightType, Season
from marketplace.demo_calendar import past_session_move_into_season
from marketplace.demo_settlement import (
    _auction_run,
    _bidder_members,
    _buyer_member,
    _earlier_season,
    _lots,
    _past_session,
    _pay_balance_online,
    _season_before,
)
from marketplace.models import Settlement
from marketplace.models.settlement import SettlementStatus
from marketplace.services import auctions, payments
from marketplace.services.refunds import refunds_retry_due
from marketplace.services.settlement import settlement_bank_payment_confirm

PAID_ONLINE_TITLE = "数控折弯机板料自动找正装置"
PAID_BY_BANK_TITLE = "锂电池极片涂布厚度激光在线测量仪"
PASSED_TITLE = "地铁车辆转向架螺栓防松智能扳手"

HISTORY_INNOVATIONS = [
    DemoInnovation(
        title=PAID_ONLINE_TITLE,
        owner="zhangwei",
        category=Category.INVENTION,
        technical_field=TechnicalField.BASIC_PROCESSES,
        industries=["equipment-manufacturing", "automotive"],
        summary=(
            "折弯机后挡料加装伺服找正机构，板料放上即自动靠齐定位，"
            "折弯角度一次合格率由 91% 提高到 99.2%。"
        ),
        description=(
            "<p>原来折弯前靠操作工目测和手推对齐板料，大板件需要两人配合，"
            "角度偏差多在返修时才发现。</p>"
            "<p>装置在后挡料两侧各加一组伺服推块和光电检测，板料放上后自动推正、压紧，"
            "定位误差不超过 ±0.1 mm，并与数控系统联锁，未找正不能下压。</p>"
            "<ul><li>已在 6 台折弯机上使用两年</li><li>单件折弯工时缩短 35%</li></ul>"
        ),
        benefit=Decimal("510000.00"),
        inventors=[("zhangwei", "张伟", Decimal("65")), ("wangjianguo", "王建国", Decimal("35"))],
        outcome=Status.APPROVED,
        tier=Tier.TRANSACT,
        excellent=True,
        high_value=True,
        comment="发明专利已授权，推广效益明显，列入可转化项目。",
        patents=[
            DemoPatent(
                "202210586342",
                PatentKind.INVENTION,
                PatentStatus.GRANTED,
                date(2022, 6, 14),
                date(2024, 3, 22),
            )
        ],
    ),
    DemoInnovation(
        title=PAID_BY_BANK_TITLE,
        owner="lixiuying",
        category=Category.INVENTION,
        technical_field=TechnicalField.MEASURING_EQUIPMENT,
        industries=["new-materials", "electronics"],
        summary=(
            "双头激光对射测量涂布后极片厚度，每米取样 200 点，"
            "厚度超差即时报警并标记，极片报废率下降四成。"
        ),
        description=(
            "<p>涂布线原来每卷末端取样离线测厚，发现超差时整卷已经涂完。</p>"
            "<p>测量仪在烘箱出口上下各装一个激光位移传感器，对射测厚，分辨率 0.5 μm，"
            "数据实时回传涂布机调整刮刀间隙。</p>"
        ),
        benefit=Decimal("680000.00"),
        inventors=[("lixiuying", "李秀英", Decimal("70")), (None, "赵敏", Decimal("30"))],
        outcome=Status.APPROVED,
        tier=Tier.TRANSACT,
        excellent=True,
        comment="测量精度经第三方计量机构校准，可进入交易。",
        patents=[
            DemoPatent(
                "202310612458",
                PatentKind.INVENTION,
                PatentStatus.GRANTED,
                date(2023, 5, 30),
                date(2025, 4, 18),
            ),
            DemoPatent(
                "202321387205",
                PatentKind.UTILITY_MODEL,
                PatentStatus.GRANTED,
                date(2023, 5, 30),
                date(2023, 12, 12),
            ),
        ],
    ),
    DemoInnovation(
        title=PASSED_TITLE,
        owner="wangjianguo",
        category=Category.CREATION,
        technical_field=TechnicalField.KEY_INSTRUMENTS,
        industries=["transport", "equipment-manufacturing"],
        summary="扳手内置扭矩与转角传感器，紧固转向架螺栓时自动记录并上传，漏拧、欠拧当场报警。",
        description=(
            "<p>转向架检修每列车要紧固上千颗螺栓，原来靠纸质记录，难以追溯。</p>"
            "<p>扳手按作业单顺序提示螺栓位置，扭矩和转角双重判定合格，记录自动上传检修系统。</p>"
        ),
        benefit=Decimal("260000.00"),
        inventors=[("wangjianguo", "王建国", Decimal("100"))],
        outcome=Status.APPROVED,
        tier=Tier.TRANSACT,
        comment="可进入交易。",
        patents=[
            DemoPatent(
                "202420293617",
                PatentKind.UTILITY_MODEL,
                PatentStatus.GRANTED,
                date(2024, 2, 6),
                date(2024, 9, 13),
            )
        ],
    ),
]

LOT_TERMS = {
    PAID_ONLINE_TITLE: auctions.LotTerms(
        right_type=RightType.EXCLUSIVE_LICENCE,
        licence_term_years=5,
        starting_price=Decimal("280000.00"),
    ),
    PAID_BY_BANK_TITLE: auctions.LotTerms(
        right_type=RightType.ASSIGNMENT,
        starting_price=Decimal("400000.00"),
        reserve_price=Decimal("450000.00"),
    ),
    PASSED_TITLE: auctions.LotTerms(
        right_type=RightType.NON_EXCLUSIVE_LICENCE,
        licence_term_years=3,
        starting_price=Decimal("240000.00"),
        reserve_price=Decimal("320000.00"),
    ),
}


def _disclosure(patents_legal_status: str, known_limitations: str) -> auctions.LotDisclosure:
    return auctions.LotDisclosure(
        patents_legal_status=patents_legal_status,
        is_service_invention=True,
        employer_consent=True,
        co_owners_consent=True,
        known_limitations=known_limitations,
    )


DISCLOSURES = {
    PAID_ONLINE_TITLE: _disclosure(
        f"{demo_patent_number('202210586342')} 发明专利，2024-03-22 授权，年费已缴，"
        "无质押、无在先许可。",
        "适用于 3 米以下折弯机，更大机型需加长推块导轨。",
    ),
    PAID_BY_BANK_TITLE: _disclosure(
        f"{demo_patent_number('202310612458')} 发明专利，2025-04-18 授权；"
        f"{demo_patent_number('202321387205')} 实用新型，2023-12-12 授权。均无质押、无在先许可。",
        "已在幅宽 800 mm 以下的涂布线上验证。",
    ),
    PASSED_TITLE: _disclosure(
        f"{demo_patent_number('202420293617')} 实用新型，2024-09-13 授权，无质押、无在先许可。",
        "无",
    ),
}

# (bidder index, lot title, maximum). Contests on the first two lots, each won by a different
# bidder; a lone bid on the third stays below its reserve.
BIDS = [
    (1, PAID_ONLINE_TITLE, Decimal("300000.00")),
    (0, PAID_ONLINE_TITLE, Decimal("350000.00")),
    (0, PAID_BY_BANK_TITLE, Decimal("450000.00")),
    (1, PAID_BY_BANK_TITLE, Decimal("520000.00")),
    (1, PASSED_TITLE, Decimal("270000.00")),
]


def history_season() -> tuple[int, str]:
    """The season before seed_settlement's, itself the one before the open session's."""
    return _season_before(*_earlier_season())


def _bank_reference(year: int, season: str) -> str:
    return f"CCB-DEMO-{year}{'0526' if season == Season.SPRING else '1126'}-01"


def seed_history() -> None:
    """Seed the older closed session with both sales paid in full, then show its schedule in
    its own season (marketplace.demo_calendar). Not one transaction: closing must commit
    before its refunds are sent (marketplace.services.closing)."""
    if not payments.is_simulated():
        return
    staff = User.objects.get(username="staff")
    members = _bidder_members(staff)
    if members is None:
        return
    year, season = history_season()
    session = _past_session(
        staff,
        year=year,
        season=season,
        description="三件职工创新成果上拍：两件经竞价成交并已付清价款，一件未达保留价流拍。",
    )
    lots = _lots(session, staff, HISTORY_INNOVATIONS, LOT_TERMS, DISCLOSURES)
    _auction_run(session, staff, members, lots, BIDS)

    paid_online = Settlement.objects.filter(lot=lots[PAID_ONLINE_TITLE]).first()
    if paid_online is not None and paid_online.status == SettlementStatus.AWAITING_PAYMENT:
        _pay_balance_online(_buyer_member(members, paid_online), paid_online)

    paid_by_bank = Settlement.objects.filter(lot=lots[PAID_BY_BANK_TITLE]).first()
    if paid_by_bank is not None and paid_by_bank.status == SettlementStatus.AWAITING_PAYMENT:
        settlement_bank_payment_confirm(
            staff_user=staff,
            settlement=paid_by_bank,
            amount=paid_by_bank.balance,
            bank_reference=_bank_reference(year, season),
        )
    refunds_retry_due()
    past_session_move_into_season(session)
