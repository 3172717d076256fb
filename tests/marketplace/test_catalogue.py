"""The public auction catalogue: who sees which lots, filters, pages, watching, documents.

Sessions and lots are made through marketplace.services.auctions, as staff would. Results of
closed lots (sold, passed, bids) are written straight to the rows: closing belongs to the
bidding service, and these tests only read them.
"""

import html
import re
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.choices import Role, VerificationStatus
from innovations.choices import Category, PatentKind, PatentStatus, TechnicalField
from innovations.models import Industry
from marketplace.choices import LotStatus, RightType, Season
from marketplace.models import ConfidentialityAcceptance, Lot, LotDocument, Watch
from marketplace.services import auctions
from marketplace.services.auctions import LotDisclosure, LotTerms, SessionSchedule
from tests.factories.accounts import TEST_PASSWORD, EnterpriseFactory, UserFactory
from tests.factories.innovations import InnovationFactory, PatentFactory

pytestmark = pytest.mark.django_db

SESSIONS_URL = "/auctions/"
LOTS_URL = "/auctions/lots/"
SHANGHAI = ZoneInfo("Asia/Shanghai")
SEASON_NAMES = {Season.SPRING: "春季", Season.AUTUMN: "秋季"}
# count, the page of lots, the innovations prefetch (joined), their patents, their industries,
# and the session and industry <select> choices. A query per card would show as a difference
# between 5 lots and 40.
LOT_LIST_QUERIES = 7
# The session, then the count, page and three prefetches of its lots.
SESSION_PAGE_QUERIES = 6
RESERVE = Decimal("876543.21")
TERMS = "未经书面同意，不得向第三方披露技术资料，保密期五年。"
DISCLOSURE = LotDisclosure(
    patents_legal_status="发明专利，已授权，维持有效。",
    is_service_invention=True,
    employer_consent=True,
    co_owners_consent=True,
    known_limitations="仅在 CK6140 系列车床上验证。",
)


# --- building data through the services ---------------------------------------------------


def make_session(staff, *, season=Season.SPRING, years_ahead=0, name="", publish=False):
    now = timezone.now() + timedelta(days=365 * years_ahead)
    schedule = SessionSchedule(
        preview_start=now - timedelta(days=1),
        bidding_start=now + timedelta(days=1),
        first_lot_closes_at=now + timedelta(days=3),
    )
    session = auctions.session_create(
        actor=staff,
        name=name
        or f"{timezone.localtime(schedule.bidding_start).year}年{SEASON_NAMES[season]}拍卖会",
        year=timezone.localtime(schedule.bidding_start).year,
        season=season,
        schedule=schedule,
        description="本场拍卖会推出职工创新成果。",
    )
    return session


def publish_session(staff, session):
    return auctions.session_publish(session=session, actor=staff)


def offer(
    staff,
    session,
    title: str,
    *,
    starting_price=Decimal("10000.00"),
    reserve_price=None,
    right_type=RightType.EXCLUSIVE_LICENCE,
    confidentiality_terms="",
    innovations=None,
    publish=True,
    **innovation_fields,
) -> Lot:
    """A lot offering one new ready-to-transact innovation (or the ones given)."""
    if innovations is None:
        innovations = [
            InnovationFactory(status="approved", tier="transact", title=title, **innovation_fields)
        ]
    lot = auctions.lot_create(
        actor=staff,
        session=session,
        innovations=innovations,
        terms=LotTerms(
            right_type=right_type,
            starting_price=starting_price,
            licence_term_years=None if right_type == RightType.ASSIGNMENT else 5,
            reserve_price=reserve_price,
            title=title,
        ),
    )
    disclosure = LotDisclosure(
        **{**DISCLOSURE.__dict__, "confidentiality_terms": confidentiality_terms}
    )
    auctions.lot_set_disclosure(lot=lot, actor=staff, disclosure=disclosure)
    if publish:
        auctions.lot_publish(lot=lot, actor=staff)
    lot.refresh_from_db()
    return lot


def record_result(lot: Lot, *, status=None, current_price=None, bid_count=0) -> None:
    fields = {"current_price": current_price, "bid_count": bid_count}
    if status:
        fields["status"] = status
    Lot.objects.filter(pk=lot.pk).update(**fields)


@pytest.fixture
def session(union_staff):
    return make_session(union_staff)


def member(*, verified: bool, enterprise=None):
    status = VerificationStatus.VERIFIED if verified else VerificationStatus.UNVERIFIED
    return UserFactory(
        role=Role.ENTERPRISE_MEMBER,
        enterprise=enterprise or EnterpriseFactory(verification_status=status),
    )


def log_in(client, user) -> None:
    assert client.login(username=user.email, password=TEST_PASSWORD)


# --- reading pages -------------------------------------------------------------------------


def listed_titles(response) -> list[str]:
    return [lot.title for lot in response.context["page_obj"].object_list]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def link_with_rel(response, rel: str) -> str:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.content.decode())
    assert match, f'no rel="{rel}" link on the page'
    return html.unescape(match.group(1))


def lot_url(lot: Lot, suffix: str = "", *, prefix: str = "") -> str:
    return f"{prefix}/auctions/lots/{lot.pk}/{suffix}"


def shanghai(moment) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


# --- who sees what -------------------------------------------------------------------------


def test_the_catalogue_lists_published_and_closed_lots_and_withdrawn_ones_with_a_reason(
    client, union_staff
):
    session = make_session(union_staff)
    offer(union_staff, session, "已发布的拍品")
    offer(union_staff, session, "草稿拍品", publish=False)
    record_result(offer(union_staff, session, "已成交的拍品"), status=LotStatus.SOLD)
    record_result(offer(union_staff, session, "流拍的拍品"), status=LotStatus.PASSED)
    withdrawn = offer(union_staff, session, "已撤回的拍品")
    auctions.lot_withdraw(lot=withdrawn, actor=union_staff, reason="专利权属存在争议")
    silent = offer(union_staff, session, "撤回未说明理由")
    Lot.objects.filter(pk=silent.pk).update(status=LotStatus.WITHDRAWN, withdrawn_reason="")
    publish_session(union_staff, session)
    draft_session = make_session(union_staff, season=Season.AUTUMN)
    offer(union_staff, draft_session, "草稿拍卖会里的拍品")

    response = client.get(LOTS_URL)

    assert response.status_code == 200
    assert sorted(listed_titles(response)) == sorted(
        ["已发布的拍品", "已成交的拍品", "流拍的拍品", "已撤回的拍品"]
    )
    content = response.content.decode()
    assert "专利权属存在争议" in content
    for hidden in ("草稿拍品", "撤回未说明理由", "草稿拍卖会里的拍品"):
        assert hidden not in content


def test_a_draft_lot_a_lot_of_a_draft_session_and_a_silent_withdrawal_are_404(client, union_staff):
    session = make_session(union_staff)
    shown = offer(union_staff, session, "已发布的拍品")
    draft = offer(union_staff, session, "草稿拍品", publish=False)
    silent = offer(union_staff, session, "撤回未说明理由")
    Lot.objects.filter(pk=silent.pk).update(status=LotStatus.WITHDRAWN, withdrawn_reason="")
    publish_session(union_staff, session)
    draft_session = make_session(union_staff, season=Season.AUTUMN)
    in_draft_session = offer(union_staff, draft_session, "草稿拍卖会里的拍品")

    assert client.get(lot_url(shown)).status_code == 200
    for hidden in (draft, silent, in_draft_session):
        assert client.get(lot_url(hidden)).status_code == 404
    assert client.get("/auctions/lots/999999/").status_code == 404
    assert client.get(f"/auctions/{draft_session.pk}/").status_code == 404


def test_the_sessions_page_lists_public_sessions_newest_first_and_never_drafts(client, union_staff):
    this_year = make_session(union_staff, name="今年春季拍卖会")
    offer(union_staff, this_year, "今年的拍品")
    publish_session(union_staff, this_year)
    next_year = make_session(union_staff, years_ahead=1, name="明年春季拍卖会")
    offer(union_staff, next_year, "明年的拍品")
    offer(union_staff, next_year, "明年的草稿拍品", publish=False)
    publish_session(union_staff, next_year)
    make_session(union_staff, season=Season.AUTUMN, name="草稿拍卖会")

    response = client.get(SESSIONS_URL)

    assert response.status_code == 200
    sessions = list(response.context["sessions"])
    assert [s.name for s in sessions] == ["明年春季拍卖会", "今年春季拍卖会"]
    assert [s.lot_count for s in sessions] == [1, 1]
    assert "草稿拍卖会" not in response.content.decode()


def test_a_session_page_shows_its_times_in_shanghai_time_its_status_in_words_and_its_lots(
    client, union_staff
):
    session = make_session(union_staff, name="2026年春季职工创新成果拍卖会")
    offer(union_staff, session, "第一件拍品")
    offer(union_staff, session, "第二件拍品")
    offer(union_staff, session, "未发布的拍品", publish=False)
    session = publish_session(union_staff, session)
    other = make_session(union_staff, season=Season.AUTUMN)
    offer(union_staff, other, "另一场的拍品")
    publish_session(union_staff, other)

    response = client.get(f"/en/auctions/{session.pk}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "2026年春季职工创新成果拍卖会" in content
    assert "Preview (registration open)" in content
    for moment in (session.preview_start, session.bidding_start, session.first_lot_closes_at):
        assert shanghai(moment) in content
        assert f'datetime="{moment.astimezone(SHANGHAI).isoformat()}"' in content
    assert "every 2 minutes" in content
    assert listed_titles(response) == ["第一件拍品", "第二件拍品"]


# --- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "matching", "other"),
    [
        ({"category": "creation"}, {"category": Category.CREATION}, {"category": Category.DESIGN}),
        (
            {"technical_field": "key_instruments"},
            {"technical_field": TechnicalField.KEY_INSTRUMENTS},
            {"technical_field": TechnicalField.OTHER},
        ),
        (
            {"right_type": "assignment"},
            {"right_type": RightType.ASSIGNMENT},
            {"right_type": RightType.SOLE_LICENCE},
        ),
    ],
)
def test_a_filter_on_the_lot_or_its_innovation_narrows_the_list(
    client, union_staff, session, query, matching, other
):
    offer(union_staff, session, "匹配的拍品", **matching)
    offer(union_staff, session, "不匹配的拍品", **other)
    publish_session(union_staff, session)

    response = client.get(LOTS_URL, query)

    assert listed_titles(response) == ["匹配的拍品"]


def test_a_package_matches_a_category_of_any_of_its_innovations_and_is_listed_once(
    client, union_staff, session
):
    innovations = [
        InnovationFactory(status="approved", tier="transact", category=category)
        for category in (Category.CREATION, Category.CREATION, Category.DESIGN)
    ]
    offer(union_staff, session, "技术包", innovations=innovations)
    offer(union_staff, session, "只有建议", category=Category.SUGGESTION)
    publish_session(union_staff, session)

    creation = client.get(LOTS_URL, {"category": "creation"})
    design = client.get(LOTS_URL, {"category": "design"})

    assert listed_titles(creation) == ["技术包"]
    assert creation.context["page_obj"].paginator.count == 1
    assert listed_titles(design) == ["技术包"]


def test_the_session_filter_narrows_to_one_session(client, union_staff):
    spring = make_session(union_staff)
    offer(union_staff, spring, "春季拍品")
    publish_session(union_staff, spring)
    autumn = make_session(union_staff, season=Season.AUTUMN)
    offer(union_staff, autumn, "秋季拍品")
    publish_session(union_staff, autumn)

    assert listed_titles(client.get(LOTS_URL, {"session": autumn.pk})) == ["秋季拍品"]


def test_the_industry_filter_uses_the_slug_and_lists_each_lot_once(client, union_staff, session):
    automotive, aerospace = (Industry.objects.get(slug=s) for s in ("automotive", "aerospace"))
    two = offer(union_staff, session, "汽车和航空两用")
    two.innovations.get().industries.set([automotive, aerospace])
    one = offer(union_staff, session, "只用于航空")
    one.innovations.get().industries.set([aerospace])
    offer(union_staff, session, "没有行业")
    publish_session(union_staff, session)

    response = client.get(LOTS_URL, {"industry": "aerospace"})

    assert sorted(listed_titles(response)) == ["只用于航空", "汽车和航空两用"]
    assert response.context["page_obj"].paginator.count == 2


def test_the_status_filter_shows_results_and_withdrawn_lots(client, union_staff, session):
    offer(union_staff, session, "正在拍卖")
    record_result(
        offer(union_staff, session, "已成交"),
        status=LotStatus.SOLD,
        current_price=Decimal("20000.00"),
        bid_count=3,
    )
    withdrawn = offer(union_staff, session, "已撤回")
    auctions.lot_withdraw(lot=withdrawn, actor=union_staff, reason="发明人申请撤回")
    publish_session(union_staff, session)

    assert listed_titles(client.get(LOTS_URL, {"status": "sold"})) == ["已成交"]
    assert listed_titles(client.get(LOTS_URL, {"status": "withdrawn"})) == ["已撤回"]
    assert listed_titles(client.get(LOTS_URL, {"status": "published"})) == ["正在拍卖"]


def test_the_granted_patent_filter_counts_a_lot_with_two_granted_patents_once(
    client, union_staff, session
):
    two_granted = InnovationFactory(status="approved", tier="transact")
    PatentFactory(innovation=two_granted, status=PatentStatus.GRANTED)
    PatentFactory(innovation=two_granted, status=PatentStatus.GRANTED)
    pending = InnovationFactory(status="approved", tier="transact")
    PatentFactory(innovation=pending, status=PatentStatus.PENDING)
    offer(union_staff, session, "两项授权专利", innovations=[two_granted])
    offer(union_staff, session, "专利申请中", innovations=[pending])
    offer(union_staff, session, "没有专利")
    publish_session(union_staff, session)

    with_granted = client.get(LOTS_URL, {"has_granted_patent": "true"})
    without = client.get(LOTS_URL, {"has_granted_patent": "false"})

    assert listed_titles(with_granted) == ["两项授权专利"]
    assert with_granted.context["page_obj"].paginator.count == 1
    assert sorted(listed_titles(without)) == ["专利申请中", "没有专利"]


def test_the_price_range_uses_the_current_price_or_the_starting_price_without_bids(
    client, union_staff, session
):
    # ¥20,000–¥45,000. A: starts at ¥10,000, bid up to ¥30,000 → in (by its current price).
    # B: starts at ¥30,000, no bids → in (by its starting price). C: starts at ¥25,000, bid up
    # to ¥60,000 → out. D: starts at ¥50,000, no bids → out.
    a = offer(union_staff, session, "A", starting_price=Decimal("10000.00"))
    record_result(a, current_price=Decimal("30000.00"), bid_count=4)
    offer(union_staff, session, "B", starting_price=Decimal("30000.00"))
    c = offer(union_staff, session, "C", starting_price=Decimal("25000.00"))
    record_result(c, current_price=Decimal("60000.00"), bid_count=9)
    offer(union_staff, session, "D", starting_price=Decimal("50000.00"))
    publish_session(union_staff, session)

    response = client.get(LOTS_URL, {"price_min": "20000", "price_max": "45000"})

    assert sorted(listed_titles(response)) == ["A", "B"]
    assert listed_titles(client.get(LOTS_URL, {"price_min": "45000.01"})) == ["C", "D"]
    assert listed_titles(client.get(LOTS_URL, {"price_max": "10000"})) == []


def test_filters_combine(client, union_staff, session):
    offer(union_staff, session, "小发明转让", category=Category.INVENTION, right_type="assignment")
    offer(union_staff, session, "小发明许可", category=Category.INVENTION)
    offer(union_staff, session, "小设计转让", category=Category.DESIGN, right_type="assignment")
    publish_session(union_staff, session)

    response = client.get(LOTS_URL, {"category": "invention", "right_type": "assignment"})

    assert listed_titles(response) == ["小发明转让"]


@pytest.mark.parametrize(
    "query",
    [
        {"session": "abc"},
        {"session": "999999"},
        {"category": "nope"},
        {"technical_field": "nope"},
        {"industry": "no-such-industry"},
        {"right_type": "lease"},
        {"status": "draft"},
        {"status": "nope"},
        {"price_min": "abc"},
        {"price_max": "-5"},
        {"price_min": "1e999"},
        {"price_max": "NaN"},
        {"price_min": "12.345"},
        {"ordering": "sideways"},
    ],
)
def test_an_invalid_filter_shows_its_error_and_no_results(client, union_staff, session, query):
    offer(union_staff, session, "任一拍品")
    publish_session(union_staff, session)

    response = client.get(LOTS_URL, query)

    assert response.status_code == 200
    assert listed_titles(response) == []
    assert response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_draft_session_is_not_a_session_filter_choice(client, union_staff, session):
    offer(union_staff, session, "已发布的拍品")
    publish_session(union_staff, session)
    draft_session = make_session(union_staff, season=Season.AUTUMN, name="草稿拍卖会")
    offer(union_staff, draft_session, "草稿拍卖会里的拍品")

    response = client.get(LOTS_URL, {"session": draft_session.pk})

    assert response.context["form"].errors
    assert "草稿拍卖会" not in response.content.decode()


@pytest.mark.parametrize(("page", "expected"), [("zzz", 1), ("99999", 2), ("-1", 2), ("", 1)])
def test_an_unknown_yes_no_value_or_bad_page_never_fails(
    client, union_staff, session, page, expected
):
    for n in range(25):
        offer(union_staff, session, f"拍品{n:02d}")
    publish_session(union_staff, session)

    response = client.get(LOTS_URL, {"page": page, "has_granted_patent": "maybe"})

    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


# --- ordering and pages --------------------------------------------------------------------


def test_lots_close_soonest_first_and_results_come_after_the_open_lots(
    client, union_staff, session
):
    first, second, third = (offer(union_staff, session, f"第{n}号") for n in "一二三")
    record_result(first, status=LotStatus.SOLD, current_price=Decimal("12000.00"), bid_count=2)
    publish_session(union_staff, session)
    assert first.closes_at < second.closes_at < third.closes_at

    expected = ["第二号", "第三号", "第一号"]
    assert listed_titles(client.get(LOTS_URL)) == expected
    assert listed_titles(client.get(LOTS_URL, {"ordering": "closing"})) == expected


def test_ordering_by_price_and_by_number_of_bids(client, union_staff, session):
    cheap = offer(union_staff, session, "起拍一万", starting_price=Decimal("10000.00"))
    offer(union_staff, session, "起拍三万无人出价", starting_price=Decimal("30000.00"))
    record_result(cheap, current_price=Decimal("50000.00"), bid_count=7)
    busy = offer(union_staff, session, "起拍两万", starting_price=Decimal("20000.00"))
    record_result(busy, current_price=Decimal("21000.00"), bid_count=2)
    publish_session(union_staff, session)

    low = listed_titles(client.get(LOTS_URL, {"ordering": "price_low"}))
    high = listed_titles(client.get(LOTS_URL, {"ordering": "price_high"}))
    bids = listed_titles(client.get(LOTS_URL, {"ordering": "bids"}))

    assert low == ["起拍两万", "起拍三万无人出价", "起拍一万"]
    assert high == ["起拍一万", "起拍三万无人出价", "起拍两万"]
    assert bids == ["起拍一万", "起拍两万", "起拍三万无人出价"]


def test_pages_hold_24_lots_and_page_links_keep_the_filters(client, union_staff, session):
    for n in range(25):
        offer(union_staff, session, f"小创造{n:02d}", category=Category.CREATION)
    offer(union_staff, session, "小发明", category=Category.INVENTION)
    publish_session(union_staff, session)

    first = client.get(LOTS_URL, {"category": "creation", "right_type": "", "price_min": "1"})
    next_href = link_with_rel(first, "next")
    second = client.get(LOTS_URL + next_href)

    assert len(listed_titles(first)) == 24
    assert next_href == "?category=creation&price_min=1&page=2"
    assert listed_titles(second) == ["小创造24"]
    assert link_with_rel(second, "prev") == "?category=creation&price_min=1&page=1"


def test_the_query_count_does_not_grow_with_the_number_of_lots(
    client, union_staff, session, django_assert_max_num_queries
):
    industries = list(Industry.objects.all()[:3])

    def add_lots(count: int, start: int):
        for n in range(start, start + count):
            innovation = InnovationFactory(status="approved", tier="transact")
            innovation.industries.set(industries[: n % 3 + 1])
            PatentFactory(innovation=innovation, status=PatentStatus.GRANTED)
            offer(union_staff, session, f"拍品{n:02d}", innovations=[innovation])

    add_lots(5, start=0)
    withdrawn = offer(union_staff, session, "撤回的拍品")
    auctions.lot_withdraw(lot=withdrawn, actor=union_staff, reason="发明人申请撤回")
    publish_session(union_staff, session)
    client.get(LOTS_URL)  # warm the cached header menu and the site look-ups
    with django_assert_max_num_queries(LOT_LIST_QUERIES) as five:
        assert len(listed_titles(client.get(LOTS_URL))) == 6
    with django_assert_max_num_queries(SESSION_PAGE_QUERIES) as five_session_page:
        client.get(f"/auctions/{session.pk}/")

    add_lots(35, start=5)
    with django_assert_max_num_queries(LOT_LIST_QUERIES) as forty:
        assert len(listed_titles(client.get(LOTS_URL))) == 24
    with django_assert_max_num_queries(LOT_LIST_QUERIES) as last_page:
        assert listed_titles(client.get(LOTS_URL, {"page": 2}))[-1] == "撤回的拍品"
    with django_assert_max_num_queries(SESSION_PAGE_QUERIES) as forty_session_page:
        client.get(f"/auctions/{session.pk}/", {"page": 2})
    # Validating the chosen session and industry looks each row up once.
    with django_assert_max_num_queries(LOT_LIST_QUERIES + 2):
        response = client.get(
            LOTS_URL,
            {"session": session.pk, "industry": industries[0].slug, "category": "invention"},
        )
        assert len(listed_titles(response)) == 24

    assert len(five) == len(forty) == len(last_page) == LOT_LIST_QUERIES
    assert len(five_session_page) == len(forty_session_page) == SESSION_PAGE_QUERIES


def test_the_lot_page_query_count_does_not_grow_with_innovations_and_patents(
    client, union_staff, session, django_assert_max_num_queries
):
    single = InnovationFactory(status="approved", tier="transact")
    PatentFactory(innovation=single)
    package = [InnovationFactory(status="approved", tier="transact") for _ in range(4)]
    for innovation in package:
        PatentFactory(innovation=innovation)
        PatentFactory(innovation=innovation, status=PatentStatus.GRANTED)
        innovation.industries.set(Industry.objects.all()[:2])
    small = offer(union_staff, session, "单项", innovations=[single])
    large = offer(union_staff, session, "技术包", innovations=package)
    publish_session(union_staff, session)
    for lot in (small, large):
        client.get(lot_url(lot))  # warm the cached header menu and the site look-ups

    with django_assert_max_num_queries(10) as one:
        assert client.get(lot_url(small)).status_code == 200
    with django_assert_max_num_queries(10) as four:
        assert client.get(lot_url(large)).status_code == 200

    assert len(one) == len(four)


# --- the lot page --------------------------------------------------------------------------


def test_the_lot_page_shows_the_offer_its_innovations_patents_and_disclosure(
    client, union_staff, session
):
    innovation = InnovationFactory(
        status="approved",
        tier="transact",
        title="刀具快速定位装置",
        category=Category.RENOVATION,
        summary="换刀时间由15分钟缩短到3分钟。",
    )
    PatentFactory(
        innovation=innovation,
        number="CN202310397744.0",
        kind=PatentKind.UTILITY_MODEL,
        status=PatentStatus.GRANTED,
    )
    lot = offer(
        union_staff,
        session,
        "刀具定位技术独占许可",
        innovations=[innovation],
        starting_price=Decimal("120000.00"),
    )
    publish_session(union_staff, session)

    response = client.get(lot_url(lot, prefix="/en"))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="/en/innovations/{innovation.pk}/"' in content
    assert f'href="/en/auctions/{session.pk}/"' in content
    assert "Small renovation" in content
    assert "换刀时间由15分钟缩短到3分钟。" in content
    assert "CN202310397744.0" in content and "Utility model" in content
    assert "Granted" in content
    assert "Exclusive licence · 5 years" in content
    assert "中华人民共和国境内" in content
    assert "¥120,000.00" in content
    assert "No bids yet" in content
    assert "¥12,000.00" in content  # the deposit: 10% of the starting price
    assert "仅在 CK6140 系列车床上验证。" in content
    assert "发明专利，已授权，维持有效。" in content


def test_the_lot_page_shows_the_closing_time_in_shanghai_time_and_the_time_left(
    client, union_staff, session
):
    lot = offer(union_staff, session, "拍品")
    publish_session(union_staff, session)

    response = client.get(lot_url(lot, prefix="/en"))

    content = response.content.decode()
    closes_at = lot.closes_at.astimezone(SHANGHAI)
    assert f'<time datetime="{closes_at.isoformat()}">' in content
    assert closes_at.strftime("%Y-%m-%d %H:%M:%S") in content
    assert re.search(r"Closes in (1|2)\xa0day", content)
    assert "5\xa0minutes" in content or "5 minutes" in content


def test_the_lot_page_shows_the_current_price_and_number_of_bids(client, union_staff, session):
    lot = offer(union_staff, session, "拍品", starting_price=Decimal("10000.00"))
    record_result(lot, current_price=Decimal("13500.00"), bid_count=3)
    publish_session(union_staff, session)

    content = client.get(lot_url(lot, prefix="/en")).content.decode()

    assert "¥13,500.00 · 3 bids" in content
    assert "No bids yet" not in content


def test_a_withdrawn_lot_shows_its_reason_and_offers_no_watching_or_deposit(
    client, union_staff, session
):
    lot = offer(union_staff, session, "撤回的拍品")
    auctions.lot_withdraw(lot=lot, actor=union_staff, reason="专利权属存在争议")
    offer(union_staff, session, "另一件拍品")  # a session is published with at least one lot
    publish_session(union_staff, session)
    log_in(client, member(verified=True))

    response = client.get(lot_url(lot, prefix="/en"))

    content = response.content.decode()
    assert "This lot has been withdrawn" in content
    assert "专利权属存在争议" in content
    assert "Watch this lot" not in content
    assert "deposits/checkout" not in content


@pytest.mark.parametrize("verified", [True, False])
def test_the_reserve_price_never_appears_in_any_page(client, union_staff, session, verified):
    lot = offer(
        union_staff,
        session,
        "有保留价的拍品",
        starting_price=Decimal("500000.00"),
        reserve_price=RESERVE,
        confidentiality_terms=TERMS,
    )
    publish_session(union_staff, session)
    user = member(verified=verified)
    if verified:
        auctions.lot_confidentiality_accept(lot=lot, user=user)
    log_in(client, user)

    pages = [
        LOTS_URL,
        "/en" + LOTS_URL,
        f"{LOTS_URL}?ordering=price_high",
        SESSIONS_URL,
        f"/auctions/{session.pk}/",
        lot_url(lot),
        lot_url(lot, prefix="/en"),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "有保留价的拍品" in content or url.rstrip("/").endswith("auctions")
        for written in ("876,543.21", "876543.21", "876543", "876,543"):
            assert written not in content, url


# --- watching ------------------------------------------------------------------------------


def test_an_anonymous_visitor_who_watches_is_sent_to_log_in_and_back(client, union_staff, session):
    lot = offer(union_staff, session, "拍品")
    publish_session(union_staff, session)

    response = client.post(lot_url(lot, "watch/"))

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next=/auctions/lots/{lot.pk}/"
    assert not Watch.objects.exists()
    assert 'href="/accounts/login/?next=' in client.get(lot_url(lot)).content.decode()


def test_a_member_watches_and_unwatches_a_lot(client, union_staff, session):
    lot = offer(union_staff, session, "拍品")
    publish_session(union_staff, session)
    user = member(verified=False)
    log_in(client, user)

    watched = client.post(lot_url(lot, "watch/", prefix="/en"), follow=True)

    assert Watch.objects.filter(lot=lot, user=user).count() == 1
    assert "You are watching this lot." in watched.content.decode()
    assert "Stop watching" in watched.content.decode()

    unwatched = client.post(lot_url(lot, "unwatch/", prefix="/en"), follow=True)

    assert not Watch.objects.filter(lot=lot, user=user).exists()
    assert "Watch this lot" in unwatched.content.decode()


def test_watching_is_a_post_only_and_a_hidden_lot_cannot_be_watched(client, union_staff, session):
    lot = offer(union_staff, session, "拍品")
    draft = offer(union_staff, session, "草稿", publish=False)
    publish_session(union_staff, session)
    log_in(client, member(verified=True))

    assert client.get(lot_url(lot, "watch/")).status_code == 405
    assert client.post(lot_url(draft, "watch/")).status_code == 404
    assert not Watch.objects.exists()


# --- confidentiality and documents ---------------------------------------------------------


@pytest.fixture
def lot_with_document(union_staff, session, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lot = offer(union_staff, session, "带技术资料的拍品", confidentiality_terms=TERMS)
    document = LotDocument(
        lot=lot,
        title="工艺图纸",
        original_name="drawings.pdf",
        content_type="application/pdf",
        size=13,
    )
    document.file.save("drawings.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    publish_session(union_staff, session)
    return lot, document


def document_url(lot, document) -> str:
    return lot_url(lot, f"documents/{document.pk}/")


def test_an_anonymous_visitor_is_told_how_to_see_the_documents(client, lot_with_document):
    lot, document = lot_with_document

    content = client.get(lot_url(lot, prefix="/en")).content.decode()

    assert "shown to members of verified enterprises" in content
    assert TERMS not in content
    assert "工艺图纸" not in content
    assert client.get(document_url(lot, document)).status_code == 404
    assert client.post(lot_url(lot, "confidentiality/")).status_code == 302
    assert not ConfidentialityAcceptance.objects.exists()


def test_an_unverified_enterprise_cannot_accept_and_is_told_why(client, lot_with_document):
    lot, document = lot_with_document
    user = member(verified=False)
    log_in(client, user)

    page = client.get(lot_url(lot, prefix="/en")).content.decode()
    response = client.post(lot_url(lot, "confidentiality/", prefix="/en"), follow=True)

    assert "has not been verified yet" in page
    assert "Accept and view documents" not in page
    assert not ConfidentialityAcceptance.objects.exists()
    content = response.content.decode()
    assert 'messages__item--error">Your enterprise has not been verified yet.' in content
    assert client.get(document_url(lot, document)).status_code == 404


def test_a_worker_without_an_enterprise_cannot_accept(client, lot_with_document):
    lot, _document = lot_with_document
    log_in(client, UserFactory(role=Role.WORKER))

    client.post(lot_url(lot, "confidentiality/"))

    assert not ConfidentialityAcceptance.objects.exists()


def test_a_verified_member_accepts_the_terms_and_then_downloads_the_documents(
    client, lot_with_document
):
    lot, document = lot_with_document
    user = member(verified=True)
    log_in(client, user)

    before = client.get(lot_url(lot, prefix="/en")).content.decode()
    assert TERMS in before
    assert "Accept and view documents" in before
    assert "工艺图纸" not in before
    assert client.get(document_url(lot, document)).status_code == 404

    accepted = client.post(lot_url(lot, "confidentiality/", prefix="/en"))

    assert accepted.status_code == 302
    assert accepted.url == f"/en/auctions/lots/{lot.pk}/#documents"
    acceptance = ConfidentialityAcceptance.objects.get()
    assert (acceptance.lot, acceptance.user, acceptance.enterprise) == (lot, user, user.enterprise)
    assert acceptance.terms == TERMS
    assert abs(timezone.now() - acceptance.accepted_at) < timedelta(minutes=1)

    after = client.get(lot_url(lot, prefix="/en")).content.decode()
    assert "工艺图纸" in after
    assert f'href="/auctions/lots/{lot.pk}/documents/{document.pk}/"' in after.replace("/en", "")
    assert shanghai(acceptance.accepted_at) in after
    download = client.get(document_url(lot, document))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="drawings.pdf"' in download["Content-Disposition"]


def test_accepting_twice_records_one_acceptance(client, lot_with_document):
    lot, _document = lot_with_document
    log_in(client, member(verified=True))

    client.post(lot_url(lot, "confidentiality/"))
    client.post(lot_url(lot, "confidentiality/"))

    assert ConfidentialityAcceptance.objects.count() == 1


@pytest.mark.parametrize("same_enterprise", [False, True])
def test_someone_who_has_not_accepted_gets_404_for_a_document(
    client, lot_with_document, same_enterprise
):
    lot, document = lot_with_document
    accepting = member(verified=True)
    auctions.lot_confidentiality_accept(lot=lot, user=accepting)
    other = member(verified=True, enterprise=accepting.enterprise if same_enterprise else None)
    log_in(client, other)

    assert client.get(document_url(lot, document)).status_code == 404
    assert "工艺图纸" not in client.get(lot_url(lot)).content.decode()


def test_accepting_one_lot_opens_no_document_of_another_lot(client, union_staff, lot_with_document):
    lot, _document = lot_with_document
    other_lot = offer(
        union_staff, make_session(union_staff, season=Season.AUTUMN), "另一件", publish=False
    )
    other_document = LotDocument(
        lot=other_lot,
        title="另一份图纸",
        original_name="b.pdf",
        content_type="application/pdf",
        size=1,
    )
    other_document.file.save("b.pdf", ContentFile(b"x"), save=True)
    user = member(verified=True)
    auctions.lot_confidentiality_accept(lot=lot, user=user)
    log_in(client, user)

    assert client.get(lot_url(lot, f"documents/{other_document.pk}/")).status_code == 404
    assert client.get(document_url(other_lot, other_document)).status_code == 404


# --- the deposit call to action ------------------------------------------------------------


def test_a_verified_member_is_offered_the_deposit_checkout_for_this_lot(
    client, union_staff, session
):
    lot = offer(union_staff, session, "拍品")
    publish_session(union_staff, session)
    log_in(client, member(verified=True))

    content = client.get(lot_url(lot, prefix="/en")).content.decode()

    assert '<form method="post" action="/en/deposits/checkout/">' in content
    assert f'<input type="hidden" name="lot" value="{lot.pk}">' in content
    assert f'<input type="hidden" name="next" value="/en/auctions/lots/{lot.pk}/">' in content
    assert "¥1,000.00" in content  # the session's minimum deposit: 10% of ¥10,000 is less


def test_others_are_told_who_may_pay_a_deposit(client, union_staff, session):
    lot = offer(union_staff, session, "拍品")
    publish_session(union_staff, session)

    anonymous = client.get(lot_url(lot, prefix="/en")).content.decode()
    log_in(client, member(verified=False))
    unverified = client.get(lot_url(lot, prefix="/en")).content.decode()

    assert "Log in as a member of a verified enterprise to pay the deposit" in anonymous
    assert "has not been verified yet" in unverified
    for content in (anonymous, unverified):
        assert "deposits/checkout" not in content


# --- languages -----------------------------------------------------------------------------


def test_the_catalogue_is_chinese_at_the_root(client, union_staff, session):
    lot = offer(union_staff, session, "刀具定位装置", category=Category.INVENTION)
    publish_session(union_staff, session)

    for url in (LOTS_URL, SESSIONS_URL, f"/auctions/{session.pk}/", lot_url(lot)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_lang(response) == "zh-hans"
    content = client.get(LOTS_URL).content.decode()
    assert "小发明" in content
    assert "Small invention" not in content
    assert f'href="/auctions/lots/{lot.pk}/"' in content


def test_the_catalogue_is_english_under_the_en_prefix(client, union_staff, session):
    lot = offer(union_staff, session, "刀具定位装置", category=Category.INVENTION)
    publish_session(union_staff, session)

    for url in (LOTS_URL, SESSIONS_URL, f"/auctions/{session.pk}/", lot_url(lot)):
        response = client.get("/en" + url)
        assert response.status_code == 200, url
        assert html_lang(response) == "en"
    content = client.get("/en" + LOTS_URL).content.decode()
    assert "Small invention" in content
    assert "Auction catalogue" in content
    assert f'href="/en/auctions/lots/{lot.pk}/"' in content
    assert 'role="search"' in content


def test_the_language_switcher_keeps_the_filters(client, union_staff, session):
    response = client.get(LOTS_URL, {"category": "design"})

    assert 'href="/en/auctions/lots/?category=design"' in response.content.decode()
