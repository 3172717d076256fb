"""The public listing: only approved innovations, each filter narrows, bad input never 500s."""

import html
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from innovations.choices import Category, PatentStatus, Status, TechnicalField, Tier
from innovations.models import Industry
from innovations.templatetags.money import yuan
from tests.factories.accounts import EnterpriseFactory
from tests.factories.innovations import InnovationFactory, PatentFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/innovations/"
# count, the page of results, the industries prefetch, and the industry and employer <select>
# choices. A new query per card would show up as a difference between 5 and 40 results.
LISTING_QUERIES = 5

DAY_ONE = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def approved(title: str, **fields):
    fields.setdefault("decided_at", DAY_ONE)
    return InnovationFactory(title=title, status=Status.APPROVED, **fields)


def listed_titles(response) -> list[str]:
    return [innovation.title for innovation in response.context["page_obj"].object_list]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def link_with_rel(response, rel: str) -> str:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.content.decode())
    assert match, f'no rel="{rel}" link on the page'
    return html.unescape(match.group(1))


def test_only_approved_innovations_are_listed(client):
    for status in Status:
        InnovationFactory(title=f"状态为{status.value}的创新", status=status)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert listed_titles(response) == ["状态为approved的创新"]
    content = response.content.decode()
    for status in set(Status) - {Status.APPROVED}:
        assert f"状态为{status.value}的创新" not in content


def test_a_card_shows_what_a_visitor_needs_to_pick_an_innovation(client):
    employer = EnterpriseFactory(name="上海申江精密机械有限公司")
    innovation = approved(
        "刀具快速定位装置",
        category=Category.RENOVATION,
        technical_field=TechnicalField.BASIC_PARTS,
        tier=Tier.TRANSACT,
        is_excellent=True,
        employer=employer,
        expected_benefit=Decimal("120000.00"),
    )
    innovation.industries.set(Industry.objects.filter(slug__in=["automotive", "aerospace"]))
    PatentFactory(innovation=innovation, status=PatentStatus.GRANTED)
    PatentFactory(innovation=innovation, status=PatentStatus.PENDING)

    response = client.get("/en/innovations/")

    content = response.content.decode()
    assert f'href="/en/innovations/{innovation.pk}/"' in content
    assert "Small renovation" in content
    assert "Basic parts and components" in content
    assert "Automotive" in content and "Aerospace" in content
    assert "上海申江精密机械有限公司" in content
    assert "Ready to transact" in content
    assert "Excellent project" in content
    assert "¥120,000.00" in content
    card = response.context["page_obj"].object_list[0]
    assert (card.patent_count, card.has_granted_patent) == (2, True)


def test_an_innovation_without_benefit_or_patents_shows_dashes_and_zero(client):
    approved("未估算效益的建议", expected_benefit=None, tier="")

    response = client.get(LIST_URL)

    card = response.context["page_obj"].object_list[0]
    assert (card.patent_count, card.has_granted_patent) == (0, False)
    assert "¥" not in response.content.decode().split('class="innovation-cards"')[1]


@pytest.mark.parametrize(
    ("param", "value", "matching", "other"),
    [
        ("category", "creation", {"category": Category.CREATION}, {"category": Category.DESIGN}),
        (
            "technical_field",
            "key_instruments",
            {"technical_field": TechnicalField.KEY_INSTRUMENTS},
            {"technical_field": TechnicalField.OTHER},
        ),
        ("tier", "incubate", {"tier": Tier.INCUBATE}, {"tier": Tier.NURTURE}),
    ],
)
def test_choice_filters_narrow_the_list(client, param, value, matching, other):
    approved("匹配的创新", **matching)
    approved("不匹配的创新", **other)

    response = client.get(LIST_URL, {param: value})

    assert listed_titles(response) == ["匹配的创新"]


def test_industry_filter_uses_the_slug_and_lists_each_innovation_once(client):
    automotive, aerospace, transport = (
        Industry.objects.get(slug=slug) for slug in ("automotive", "aerospace", "transport")
    )
    approved("汽车和航空两用").industries.set([automotive, aerospace])
    approved("只用于汽车").industries.set([automotive])
    approved("交通运输").industries.set([transport])
    approved("没有行业")

    response = client.get(LIST_URL, {"industry": "automotive"})

    assert sorted(listed_titles(response)) == ["只用于汽车", "汽车和航空两用"]
    assert response.context["page_obj"].paginator.count == 2


def test_industry_choices_come_from_the_industry_table_in_the_page_language(client):
    zh = client.get(LIST_URL).content.decode()
    en = client.get("/en/innovations/").content.decode()

    assert '<option value="steel-metallurgy">钢铁冶金</option>' in zh
    assert '<option value="steel-metallurgy">Steel and metallurgy</option>' in en


def test_granted_patent_filter_counts_an_innovation_with_two_granted_patents_once(client):
    two_granted = approved("两项授权专利")
    PatentFactory(innovation=two_granted, status=PatentStatus.GRANTED)
    PatentFactory(innovation=two_granted, status=PatentStatus.GRANTED)
    PatentFactory(innovation=two_granted, status=PatentStatus.PENDING)
    pending_only = approved("只有申请中的专利")
    PatentFactory(innovation=pending_only, status=PatentStatus.PENDING)
    lapsed_only = approved("只有失效专利")
    PatentFactory(innovation=lapsed_only, status=PatentStatus.LAPSED)
    approved("没有专利")

    with_granted = client.get(LIST_URL, {"has_granted_patent": "true"})
    without_granted = client.get(LIST_URL, {"has_granted_patent": "false"})

    assert listed_titles(with_granted) == ["两项授权专利"]
    assert with_granted.context["page_obj"].paginator.count == 1
    assert with_granted.context["page_obj"].object_list[0].patent_count == 3
    assert sorted(listed_titles(without_granted)) == sorted(
        ["只有申请中的专利", "只有失效专利", "没有专利"]
    )


def test_employer_filter_narrows_and_offers_only_employers_of_public_innovations(client):
    shenjiang = EnterpriseFactory(name="申江精密")
    approved("申江的创新", employer=shenjiang)
    approved("别家的创新", employer=EnterpriseFactory(name="浦江电气"))
    InnovationFactory(title="草稿", employer=EnterpriseFactory(name="只有草稿的企业"))

    response = client.get(LIST_URL, {"employer": shenjiang.pk})

    assert listed_titles(response) == ["申江的创新"]
    content = response.content.decode()
    assert "浦江电气</option>" in content
    assert "只有草稿的企业" not in content


def test_search_finds_a_chinese_word_inside_a_longer_title(client):
    approved("上海工匠创新工作室研制的刀具")
    approved("数控车床夹具", summary="由工匠团队改进的夹紧方式。")
    approved("焊接机器人")

    response = client.get(LIST_URL, {"q": "工匠"})

    assert sorted(listed_titles(response)) == sorted(
        ["上海工匠创新工作室研制的刀具", "数控车床夹具"]
    )


def test_search_ignores_case_of_latin_letters(client):
    approved("PLC 控制的分拣线")

    assert listed_titles(client.get(LIST_URL, {"q": "plc"})) == ["PLC 控制的分拣线"]


def test_filters_combine(client):
    employer = EnterpriseFactory()
    approved("工匠发明", category=Category.INVENTION, employer=employer)
    approved("工匠建议", category=Category.SUGGESTION, employer=employer)
    approved("其他发明", category=Category.INVENTION, employer=employer)

    response = client.get(LIST_URL, {"q": "工匠", "category": "invention", "employer": employer.pk})

    assert listed_titles(response) == ["工匠发明"]


def test_newest_decision_comes_first_by_default_and_when_asked(client):
    approved("一月批准", decided_at=DAY_ONE - timedelta(days=59))
    approved("三月批准", decided_at=DAY_ONE)
    approved("二月批准", decided_at=DAY_ONE - timedelta(days=28))

    expected = ["三月批准", "二月批准", "一月批准"]
    assert listed_titles(client.get(LIST_URL)) == expected
    assert listed_titles(client.get(LIST_URL, {"ordering": "newest"})) == expected


def test_ordering_by_benefit_puts_the_largest_first_and_unknown_last(client):
    approved("五千元", expected_benefit=Decimal("5000.00"))
    approved("未估算", expected_benefit=None)
    approved("三十万元", expected_benefit=Decimal("300000.00"))
    approved("十二万元", expected_benefit=Decimal("120000.00"))

    response = client.get(LIST_URL, {"ordering": "benefit"})

    assert listed_titles(response) == ["三十万元", "十二万元", "五千元", "未估算"]


def test_pagination_shows_20_a_page_and_page_links_keep_the_filters(client):
    for n in range(21):
        approved(f"小创造{n:02d}", category=Category.CREATION, decided_at=DAY_ONE - timedelta(n))
    approved("小发明", category=Category.INVENTION)

    first = client.get(LIST_URL, {"category": "creation", "tier": ""})
    next_href = link_with_rel(first, "next")
    second = client.get(LIST_URL + next_href)

    assert len(listed_titles(first)) == 20
    assert next_href == "?category=creation&page=2"
    assert listed_titles(second) == ["小创造20"]
    assert link_with_rel(second, "prev") == "?category=creation&page=1"


@pytest.mark.parametrize(
    "query",
    [
        {"category": "nope"},
        {"technical_field": "nope"},
        {"tier": "nope"},
        {"employer": "abc"},
        {"employer": "999999"},
        {"industry": "no-such-industry"},
        {"ordering": "sideways"},
        {"q": "长" * 101},
    ],
)
def test_an_invalid_filter_shows_its_error_and_no_results(client, query):
    approved("任一创新")

    response = client.get(LIST_URL, query)

    assert response.status_code == 200
    assert listed_titles(response) == []
    assert response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_an_unrecognised_yes_no_value_leaves_that_filter_off(client):
    approved("任一创新")

    response = client.get(LIST_URL, {"has_granted_patent": "maybe"})

    assert response.status_code == 200
    assert listed_titles(response) == ["任一创新"]


@pytest.mark.parametrize(("page", "expected_page"), [("zzz", 1), ("99999", 2), ("-1", 2), ("", 1)])
def test_a_bad_page_number_shows_the_first_or_last_page(client, page, expected_page):
    for n in range(25):
        approved(f"创新{n:02d}")

    response = client.get(LIST_URL, {"page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == expected_page


def test_query_count_does_not_grow_with_the_number_of_results(
    client, django_assert_max_num_queries
):
    industries = list(Industry.objects.all()[:3])
    employer_pool = [EnterpriseFactory() for _ in range(5)]

    def add_innovations(count: int, start: int):
        for n in range(start, start + count):
            innovation = approved(f"创新{n:02d}", employer=employer_pool[n % 5], tier=Tier.NURTURE)
            innovation.industries.set(industries[: n % 3 + 1])
            PatentFactory(innovation=innovation, status=PatentStatus.GRANTED)

    add_innovations(5, start=0)
    client.get(LIST_URL)  # warm the cached header menu and the site look-ups
    with django_assert_max_num_queries(LISTING_QUERIES) as five:
        assert len(listed_titles(client.get(LIST_URL))) == 5

    add_innovations(35, start=5)
    with django_assert_max_num_queries(LISTING_QUERIES) as forty:
        assert len(listed_titles(client.get(LIST_URL, {"page": 2}))) == 20
    # Validating the chosen employer and industry looks each row up once.
    with django_assert_max_num_queries(LISTING_QUERIES + 2):
        response = client.get(
            LIST_URL, {"employer": employer_pool[0].pk, "industry": industries[0].slug}
        )
        assert len(listed_titles(response)) == 8

    assert len(five) == len(forty) == LISTING_QUERIES


def test_the_listing_is_chinese_at_the_root(client):
    approved("刀具定位装置", category=Category.INVENTION)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"
    content = response.content.decode()
    assert "小发明" in content
    assert "Small invention" not in content


def test_the_listing_is_english_under_the_en_prefix(client):
    approved("刀具定位装置", category=Category.INVENTION)

    response = client.get("/en/innovations/")

    assert response.status_code == 200
    assert html_lang(response) == "en"
    content = response.content.decode()
    assert "Small invention" in content
    assert 'role="search"' in content


def test_the_language_switcher_keeps_the_filters(client):
    response = client.get(LIST_URL, {"category": "design"})

    assert 'href="/en/innovations/?category=design"' in response.content.decode()


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1234567.5"), "¥1,234,567.50"),
        (Decimal("120000.00"), "¥120,000.00"),
        (Decimal("0"), "¥0.00"),
        (Decimal("0.005"), "¥0.01"),
        (Decimal("999.994"), "¥999.99"),
        (Decimal("-1500"), "-¥1,500.00"),
        (12000, "¥12,000.00"),
        (None, "—"),
    ],
)
def test_yuan_formats_decimal_amounts_with_two_places_and_thousands_separators(amount, shown):
    assert yuan(amount) == shown
