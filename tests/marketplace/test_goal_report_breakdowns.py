"""The goal report's breakdowns, timeline and session volumes: what counts, the attribution
rule (a deal counts once, under its first innovation and that innovation's first industry),
and every breakdown adding up to the whole.

The worked example (window 2026-01-01..2026-12-31):
- sale A ¥300,000.00, paid, 2026-05-20: a package lot whose first innovation (position 0) is
  a small invention in basic parts with industries a-machinery and b-electronics, the second a
  small design; buyer in Pudong; exclusive licence;
- sale B ¥125,000.50, 2026-06-30 23:59 Shanghai: a small renovation in "other" with no
  industry; buyer in Xuhui; assignment;
- sale C ¥999,000.00 defaulted — does not count;
- agreement D ¥200,000.00, negotiated, signed 2026-03-01: innovations X (small suggestion,
  b-electronics) then Y; licensee with no district; non-exclusive licence;
- a draft agreement and an auction agreement (its sale counted already) — do not count.
Whole: ¥625,000.50 in 3 deals.
"""

import random
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from innovations.choices import Category, Status, TechnicalField, Tier
from innovations.models import Industry
from licensing.choices import AgreementOrigin, AgreementStatus
from marketplace.choices import LotStatus, RightType
from marketplace.goal_queries import deal_volume
from marketplace.goal_report.breakdowns import DIMENSIONS, breakdown, top_lots
from marketplace.goal_report.cube import deal_cube
from marketplace.goal_report.deals import DealFilter
from marketplace.goal_report.timeline import by_session, monthly, pace_at
from marketplace.models import LotInnovation
from marketplace.services.goal_deals import goal_deals_rebuild
from tests.factories.innovations import InnovationFactory
from tests.factories.licensing import AgreementFactory
from tests.factories.marketplace import AuctionSessionFactory, LotFactory, sold_lot_settlement

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR_2026 = DealFilter(starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def innovation(category, field=TechnicalField.BASIC_PROCESSES, industries=()):
    made = InnovationFactory(
        status=Status.APPROVED, tier=Tier.TRANSACT, category=category, technical_field=field
    )
    made.industries.set(industries)
    return made


def sale(*, price, at, lot, district="pudong", status="awaiting_payment"):
    settlement = sold_lot_settlement(price=price, at=at, lot=lot, status=status)
    settlement.buyer.district = district
    settlement.buyer.save(update_fields=["district"])
    return settlement


@pytest.fixture
def industries():
    machinery = Industry.objects.create(slug="a-machinery", name_zh="机械", name_en="Machinery")
    electronics = Industry.objects.create(
        slug="b-electronics", name_zh="电子", name_en="Electronics"
    )
    return machinery, electronics


@pytest.fixture
def example(industries):
    machinery, electronics = industries
    session = AuctionSessionFactory(name="2026年春季拍卖会")
    # The design is created first (lower id) but sits second in the package: position decides.
    design = innovation(Category.DESIGN, TechnicalField.KEY_INSTRUMENTS, [machinery])
    lead = innovation(Category.INVENTION, TechnicalField.BASIC_PARTS, [electronics, machinery])
    lot_a = LotFactory(
        session=session,
        status=LotStatus.SOLD,
        right_type=RightType.EXCLUSIVE_LICENCE,
        title="甲",
        innovation=lead,
    )
    LotInnovation.objects.create(lot=lot_a, innovation=design, position=1)
    a = sale(price="300000.00", at=shanghai(2026, 5, 20, 10), lot=lot_a, status="paid")
    lot_b = LotFactory(
        session=session,
        status=LotStatus.SOLD,
        right_type=RightType.ASSIGNMENT,
        title="乙",
        innovation=innovation(Category.RENOVATION, TechnicalField.OTHER),
    )
    b = sale(price="125000.50", at=shanghai(2026, 6, 30, 23, 59), lot=lot_b, district="xuhui")
    sale(
        price="999000.00",
        at=shanghai(2026, 5, 21, 10),
        lot=LotFactory(session=session, status=LotStatus.SOLD, title="丙"),
        status="defaulted",
    )
    x = innovation(Category.SUGGESTION, industries=[electronics])
    y = innovation(Category.INVENTION, industries=[machinery])
    d = AgreementFactory(
        status=AgreementStatus.SIGNED,
        confirmed_on=date(2026, 3, 1),
        deal_amount=Decimal("200000.00"),
        right_type=RightType.NON_EXCLUSIVE_LICENCE,
        innovations=[x, y],
    )
    d.licensee.district = ""
    d.licensee.save(update_fields=["district"])
    AgreementFactory(status=AgreementStatus.DRAFT, deal_amount=Decimal("70000.00"))
    AgreementFactory(
        origin=AgreementOrigin.AUCTION,
        sale=a.sale,
        status=AgreementStatus.SIGNED,
        confirmed_on=date(2026, 6, 1),
        deal_amount=Decimal("300000.00"),
    )
    # The factories write straight into the tables, as an import would: rebuild the summary.
    goal_deals_rebuild()
    return {"session": session, "a": a, "b": b, "d": d}


def figures(result):
    return {row.key: (row.count, row.amount) for row in result.rows}


def test_category_breakdown_of_the_worked_example(example):
    result = breakdown(deal_cube(YEAR_2026), "category")

    assert figures(result) == {
        Category.INVENTION: (1, Decimal("300000.00")),
        Category.SUGGESTION: (1, Decimal("200000.00")),
        Category.RENOVATION: (1, Decimal("125000.50")),
    }
    assert (result.count, result.amount) == (3, Decimal("625000.50"))


def test_industry_goes_to_the_first_innovations_first_industry_by_slug(example, industries):
    machinery, electronics = industries
    with translation.override("en"):
        result = breakdown(deal_cube(YEAR_2026), "industry")

    assert figures(result) == {
        machinery.pk: (1, Decimal("300000.00")),  # lead innovation: a-machinery before b-…
        electronics.pk: (1, Decimal("200000.00")),  # agreement: X (lower id) before Y
        None: (1, Decimal("125000.50")),  # no industry
    }
    # Largest first, "not specified" last; names in the reader's language.
    assert [row.label for row in result.rows] == ["Machinery", "Electronics", "Not specified"]


def test_district_right_type_and_field_breakdowns(example):
    assert figures(breakdown(deal_cube(YEAR_2026), "district")) == {
        "pudong": (1, Decimal("300000.00")),
        None: (1, Decimal("200000.00")),  # the licensee gave no district
        "xuhui": (1, Decimal("125000.50")),
    }
    rights = breakdown(deal_cube(YEAR_2026), "right_type")
    assert {row.key: row.amount for row in rights.rows} == {
        RightType.EXCLUSIVE_LICENCE: Decimal("300000.00"),
        RightType.NON_EXCLUSIVE_LICENCE: Decimal("200000.00"),
        RightType.ASSIGNMENT: Decimal("125000.50"),
    }
    fields = breakdown(deal_cube(YEAR_2026), "technical_field")
    assert {row.key: row.amount for row in fields.rows} == {
        TechnicalField.BASIC_PARTS: Decimal("300000.00"),
        TechnicalField.BASIC_PROCESSES: Decimal("200000.00"),
        TechnicalField.OTHER: Decimal("125000.50"),
    }


@pytest.mark.parametrize("dimension", list(DIMENSIONS))
def test_every_breakdown_adds_up_to_the_goal_volume(example, dimension):
    result = breakdown(deal_cube(YEAR_2026), dimension)
    whole = deal_volume(starts_on=YEAR_2026.starts_on, ends_on=YEAR_2026.ends_on)

    assert whole == Decimal("625000.50")
    assert sum(row.amount for row in result.rows) == result.amount == whole
    assert sum(row.count for row in result.rows) == result.count == 3


def test_breakdowns_add_up_on_random_data(industries):
    rng = random.Random(8)  # noqa: S311 (test data, not secrets)
    machinery, electronics = industries
    session = AuctionSessionFactory()
    for number in range(12):
        chosen = rng.choice([[], [machinery], [electronics, machinery]])
        lot = LotFactory(
            session=session,
            number=100 + number,
            status=LotStatus.SOLD,
            right_type=rng.choice(RightType.values),
            innovation=innovation(rng.choice(Category.values), industries=chosen),
        )
        if rng.random() < 0.5:
            LotInnovation.objects.create(
                lot=lot, innovation=innovation(rng.choice(Category.values)), position=1
            )
        price = Decimal(rng.randint(100, 10_000_000)) / 100
        sale(
            price=str(price),
            at=shanghai(2026, rng.randint(1, 12), 5),
            lot=lot,
            district=rng.choice(["pudong", "xuhui", ""]),
            status=rng.choice(["paid", "awaiting_payment", "defaulted"]),
        )
    for _ in range(5):
        AgreementFactory(
            status=AgreementStatus.ACTIVE,
            confirmed_on=date(2026, rng.randint(1, 12), 1),
            deal_amount=Decimal(rng.randint(1, 10_000_000)) / 100,
            innovations=[innovation(rng.choice(Category.values)) for _ in range(rng.randint(1, 3))],
        )
    goal_deals_rebuild()
    whole = deal_volume(starts_on=YEAR_2026.starts_on, ends_on=YEAR_2026.ends_on)

    for dimension in DIMENSIONS:
        assert sum(row.amount for row in breakdown(deal_cube(YEAR_2026), dimension).rows) == whole
    assert sum(row.amount for row in by_session(deal_cube(YEAR_2026))) == whole
    points = monthly(
        deal_cube(YEAR_2026),
        goal_amount=Decimal("1000000.00"),
        goal_starts_on=YEAR_2026.starts_on,
        goal_ends_on=YEAR_2026.ends_on,
    )
    assert sum(point.volume for point in points) == whole


def breakdown_of(deal_filter, dimension):
    return breakdown(deal_cube(deal_filter), dimension)


def test_filters_narrow_the_deals(example):
    by_category = breakdown_of(
        DealFilter(starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), category="invention"),
        "district",
    )
    assert (by_category.count, by_category.amount) == (1, Decimal("300000.00"))

    by_district = breakdown_of(
        DealFilter(starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), district="xuhui"),
        "category",
    )
    assert (by_district.count, by_district.amount) == (1, Decimal("125000.50"))

    # A session has only its sales: negotiated agreements belong to no session.
    by_session_filter = breakdown_of(
        DealFilter(
            starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), session=example["session"]
        ),
        "category",
    )
    assert (by_session_filter.count, by_session_filter.amount) == (2, Decimal("425000.50"))

    # Sale B at 23:59 on 30 June (Shanghai) is in the first half; the rest is not.
    first_half = breakdown_of(
        DealFilter(starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30)), "category"
    )
    assert first_half.amount == Decimal("625000.50")
    from_july = breakdown_of(
        DealFilter(starts_on=date(2026, 7, 1), ends_on=date(2026, 12, 31)), "category"
    )
    assert (from_july.count, from_july.amount) == (0, Decimal("0.00"))


def test_top_lots_are_the_confirmed_sales_by_price(example):
    top = top_lots(YEAR_2026)

    assert [settlement.price for settlement in top] == [Decimal("300000.00"), Decimal("125000.50")]


def test_volume_per_session_then_the_negotiated_deals(example):
    with translation.override("en"):
        rows = by_session(deal_cube(YEAR_2026))

    assert [(row.label, row.count, row.amount) for row in rows] == [
        ("2026年春季拍卖会", 2, Decimal("425000.50")),
        ("Negotiated deals (no session)", 1, Decimal("200000.00")),
    ]


def test_months_are_cumulative_against_the_pace_line(example):
    points = monthly(
        deal_cube(YEAR_2026),
        goal_amount=Decimal("3650000.00"),
        goal_starts_on=date(2026, 1, 1),
        goal_ends_on=date(2026, 12, 31),
    )

    assert len(points) == 12
    march, may, june = points[2], points[4], points[5]
    assert (march.volume, march.cumulative) == (Decimal("200000.00"), Decimal("200000.00"))
    assert (may.volume, may.cumulative) == (Decimal("300000.00"), Decimal("500000.00"))
    assert (june.volume, june.cumulative) == (Decimal("125000.50"), Decimal("625000.50"))
    # ¥3,650,000 over 365 days is ¥10,000 a day: 31 days in January, 181 by the end of June.
    assert points[0].pace == Decimal("310000.00")
    assert june.pace == Decimal("1810000.00")
    assert points[-1].pace == Decimal("3650000.00")


def test_pace_line_before_during_and_after_the_window():
    window = {
        "amount": Decimal("1000.00"),
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 1, 10),
    }

    assert pace_at(day_end=date(2025, 12, 31), **window) == Decimal("0.00")
    assert pace_at(day_end=date(2026, 1, 3), **window) == Decimal("300.00")
    assert pace_at(day_end=date(2027, 1, 1), **window) == Decimal("1000.00")


def test_a_later_range_opens_with_the_volume_since_the_goals_start(example):
    points = monthly(
        deal_cube(DealFilter(starts_on=date(2026, 4, 1), ends_on=date(2026, 6, 30))),
        goal_amount=Decimal("3650000.00"),
        goal_starts_on=date(2026, 1, 1),
        goal_ends_on=date(2026, 12, 31),
    )

    # Agreement D (March) is before the range: April opens at ¥200,000.
    assert [point.cumulative for point in points] == [
        Decimal("200000.00"),
        Decimal("500000.00"),
        Decimal("625000.50"),
    ]
    assert [point.volume for point in points] == [
        Decimal("0.00"),
        Decimal("300000.00"),
        Decimal("125000.50"),
    ]
