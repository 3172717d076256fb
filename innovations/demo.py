"""Demo innovations in all five categories and every review status, made through the services."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import Enterprise, User
from innovations.choices import Category, PatentKind, PatentStatus, Status, TechnicalField, Tier
from innovations.models import Industry, Innovation
from innovations.patent_numbers import check_character
from innovations.services import drafting, review


def demo_patent_number(digits: str) -> str:
    return f"CN{digits}.{check_character(digits)}"


@dataclass(frozen=True)
class DemoPatent:
    digits: str
    kind: str
    status: str
    filing_date: date
    grant_date: date | None = None


@dataclass(frozen=True)
class DemoInnovation:
    title: str
    owner: str
    category: str
    technical_field: str
    industries: list[str]
    summary: str
    description: str
    benefit: Decimal | None
    # (username or None, name, share); the owner's row comes first.
    inventors: list[tuple[str | None, str, Decimal]]
    outcome: str
    tier: str = ""
    excellent: bool = False
    high_value: bool = False
    comment: str = ""
    patents: list[DemoPatent] = field(default_factory=list)


DEMO_INNOVATIONS = [
    DemoInnovation(
        title="数控车床刀具快速对刀装置",
        owner="wangjianguo",
        category=Category.INVENTION,
        technical_field=TechnicalField.BASIC_PROCESSES,
        industries=["equipment-manufacturing", "automotive"],
        summary=(
            "在刀架上加装可调定位基准块，换刀后免去试切对刀，单次换刀时间由 15 分钟缩短到 3 分钟。"
        ),
        description=(
            "<p>车间原有数控车床每次换刀都要试切、测量、补偿，熟练工也要 15 分钟左右。</p>"
            "<p>本装置在刀架上固定一块经过精磨的定位基准块，刀具以基准面靠紧后锁紧，"
            "重复定位精度达到 ±0.005 mm，换刀后可直接加工。</p>"
            "<ul><li>已在 12 台设备上推广</li><li>年节约停机工时约 1,800 小时</li></ul>"
        ),
        benefit=Decimal("360000.00"),
        inventors=[("wangjianguo", "王建国", Decimal("70")), ("zhangwei", "张伟", Decimal("30"))],
        outcome=Status.APPROVED,
        tier=Tier.TRANSACT,
        excellent=True,
        high_value=True,
        comment="技术成熟，推广效果明显，列入可转化项目，建议进入春季拍卖会。",
        patents=[
            DemoPatent(
                "202310397744",
                PatentKind.INVENTION,
                PatentStatus.GRANTED,
                date(2023, 4, 12),
                date(2024, 11, 8),
            ),
            DemoPatent(
                "202320861205",
                PatentKind.UTILITY_MODEL,
                PatentStatus.GRANTED,
                date(2023, 4, 12),
                date(2023, 10, 27),
            ),
        ],
    ),
    DemoInnovation(
        title="地铁隧道巡检便携照明支架",
        owner="lixiuying",
        category=Category.CREATION,
        technical_field=TechnicalField.BASIC_PARTS,
        industries=["transport", "urban-services"],
        summary="可单手展开的磁吸式照明支架，夜间巡检时解放双手，照度提高两倍。",
        description=(
            "<p>巡检人员原来一手持灯一手作业。支架用磁吸底座固定在管片螺栓上，"
            "可 360° 调节照射角度，展开和收起各只需 5 秒。</p>"
        ),
        benefit=Decimal("85000.00"),
        inventors=[
            ("lixiuying", "李秀英", Decimal("60")),
            (None, "赵国强（退休职工）", Decimal("40")),
        ],
        outcome=Status.APPROVED,
        tier=Tier.TRANSACT,
        excellent=True,
        comment="实用性强，外观设计已授权，可进入交易。",
        patents=[
            DemoPatent(
                "202330512876",
                PatentKind.DESIGN,
                PatentStatus.GRANTED,
                date(2023, 8, 3),
                date(2024, 1, 19),
            ),
        ],
    ),
    DemoInnovation(
        title="焊缝自动打磨小车",
        owner="zhangwei",
        category=Category.RENOVATION,
        technical_field=TechnicalField.BASIC_PROCESSES,
        industries=["shipbuilding", "steel-metallurgy"],
        summary="沿焊缝自动行走的打磨小车，替代人工手持打磨，效率提高三倍，粉尘暴露大幅减少。",
        description="<p>小车以磁轮吸附在钢板上，激光传感器跟踪焊缝，打磨头压力恒定。</p>",
        benefit=Decimal("150000.00"),
        inventors=[("zhangwei", "张伟", Decimal("100"))],
        outcome=Status.APPROVED,
        tier=Tier.INCUBATE,
        comment="效果良好，建议继续孵化完善后再评估转化。",
        patents=[
            DemoPatent(
                "202421038870", PatentKind.UTILITY_MODEL, PatentStatus.PENDING, date(2024, 5, 6)
            ),
        ],
    ),
    DemoInnovation(
        title="轴承压装力在线检测改造",
        owner="wangjianguo",
        category=Category.RENOVATION,
        technical_field=TechnicalField.MEASURING_EQUIPMENT,
        industries=["automotive"],
        summary="在压装机上加装力—位移传感器，实时判断压装是否合格，杜绝漏检。",
        description="<p>每件产品自动记录压装曲线，不合格品自动报警并锁定。</p>",
        benefit=Decimal("48000.00"),
        inventors=[("wangjianguo", "王建国", Decimal("100"))],
        outcome=Status.APPROVED,
        tier=Tier.NURTURE,
        comment="思路可行，建议先在一条产线试用积累数据。",
    ),
    DemoInnovation(
        title="高压电缆接头温度无线监测贴片",
        owner="lixiuying",
        category=Category.CREATION,
        technical_field=TechnicalField.KEY_INSTRUMENTS,
        industries=["energy-power"],
        summary="贴在电缆接头上的无源测温贴片，温度异常时自动告警，预防接头过热事故。",
        description="<p>贴片采用声表面波原理测温，无需电池，读取距离 5 米。</p>",
        benefit=Decimal("220000.00"),
        inventors=[
            ("lixiuying", "李秀英", Decimal("80")),
            ("wangjianguo", "王建国", Decimal("20")),
        ],
        outcome=Status.SUBMITTED,
        patents=[
            DemoPatent(
                "202410655321", PatentKind.INVENTION, PatentStatus.PENDING, date(2024, 5, 28)
            ),
        ],
    ),
    DemoInnovation(
        title="装配线人机工程工位改良设计",
        owner="wangjianguo",
        category=Category.DESIGN,
        technical_field=TechnicalField.OTHER,
        industries=["automotive", "equipment-manufacturing"],
        summary="重新设计装配工位高度和物料摆放，减少弯腰和转身次数。",
        description="<p>按人体尺寸数据调整工作台高度，物料架改为倾斜式。</p>",
        benefit=Decimal("30000.00"),
        inventors=[("wangjianguo", "王建国", Decimal("100"))],
        outcome=Status.RETURNED,
        comment="请补充改良前后的工时测定数据和职工问卷结果，以便评估效益。",
    ),
    DemoInnovation(
        title="废切削液回收再生降低材料成本的建议",
        owner="lixiuying",
        category=Category.SUGGESTION,
        technical_field=TechnicalField.BASIC_MATERIALS,
        industries=["equipment-manufacturing"],
        summary="建议集中回收各车间废切削液，过滤再生后循环使用。",
        description="<p>估算每年可减少切削液采购 30%。</p>",
        benefit=Decimal("60000.00"),
        inventors=[("lixiuying", "李秀英", Decimal("100"))],
        outcome=Status.REJECTED,
        comment="该方案企业已于 2022 年实施，不属于新的创新成果。",
    ),
    DemoInnovation(
        title="复合材料层压件无损检测夹具",
        owner="zhangwei",
        category=Category.INVENTION,
        technical_field=TechnicalField.MEASURING_EQUIPMENT,
        industries=["aerospace", "new-materials"],
        summary="超声探头自适应贴合曲面层压件的检测夹具（草稿，尚未提交）。",
        description="<p>正在整理试验数据。</p>",
        benefit=None,
        inventors=[("zhangwei", "张伟", Decimal("100"))],
        outcome=Status.DRAFT,
    ),
]


def _create(spec: DemoInnovation, staff: User) -> Innovation:
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=[spec.owner] + [username for username, _, _ in spec.inventors if username]
        )
    }
    owner = users[spec.owner]
    content = drafting.InnovationContent(
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        category=spec.category,
        technical_field=spec.technical_field,
        employer=owner.employer or Enterprise.objects.first(),
        expected_benefit=spec.benefit,
        industries=list(Industry.objects.filter(slug__in=spec.industries)),
    )
    innovation = drafting.innovation_create_draft(owner=owner, content=content)
    drafting.contributors_replace(
        innovation=innovation,
        actor=owner,
        contributors=[
            drafting.ContributorInput(share=share, user=users.get(username), name=name)
            for username, name, share in spec.inventors
        ],
    )
    for patent in spec.patents:
        drafting.patent_add(
            innovation=innovation,
            actor=owner,
            data=drafting.PatentInput(
                number=demo_patent_number(patent.digits),
                kind=patent.kind,
                status=patent.status,
                filing_date=patent.filing_date,
                grant_date=patent.grant_date,
                holders=content.employer.name,
            ),
        )
    if spec.outcome == Status.DRAFT:
        return innovation
    review.innovation_submit(innovation=innovation, actor=owner)
    if spec.outcome == Status.APPROVED:
        review.innovation_approve(
            innovation=innovation,
            actor=staff,
            tier=spec.tier,
            is_excellent=spec.excellent,
            is_high_value_patent=spec.high_value,
            comment=spec.comment,
        )
    elif spec.outcome == Status.RETURNED:
        review.innovation_return(innovation=innovation, actor=staff, comment=spec.comment)
    elif spec.outcome == Status.REJECTED:
        review.innovation_reject(innovation=innovation, actor=staff, reason=spec.comment)
    return innovation


@transaction.atomic
def seed_innovations() -> int:
    """Create the demo innovations that do not exist yet (matched by title); returns how many."""
    staff = User.objects.get(username="staff")
    existing = set(
        Innovation.objects.filter(title__in=[spec.title for spec in DEMO_INNOVATIONS]).values_list(
            "title", flat=True
        )
    )
    created = 0
    for spec in DEMO_INNOVATIONS:
        if spec.title not in existing:
            _create(spec, staff)
            created += 1
    return created
