"""The craftsmen index and profiles in both languages: the pyramid, cards, profiles with
honours, studio and approved innovations only; hidden profiles are 404; query counts stay
constant; portraits are renditions with alt text."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from craftsmen.choices import Level, Trade
from innovations.choices import Category, Status
from tests.craftsmen.conftest import make_image
from tests.factories.craftsmen import CraftsmanFactory, HonourFactory, StudioFactory
from tests.factories.innovations import InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang(portrait):
    craftsman = CraftsmanFactory(
        slug="wang-jianguo",
        name="王建国",
        name_en="Wang Jianguo",
        level=Level.SHANGHAI_CRAFTSMAN,
        is_model_worker=True,
        is_chief_technician=True,
        trade=Trade.CNC_OPERATOR,
        employer__name="上海临港智能装备有限公司",
        employer__district="fengxian",
        portrait=portrait,
        portrait_alt_zh="王建国在车床前",
        portrait_alt_en="Wang Jianguo at his lathe",
        story_zh="二十六年只做一件事。",
        story_en="Twenty-six years at one craft.",
    )
    HonourFactory(craftsman=craftsman, year=2019, name_zh="上海工匠", name_en="Shanghai Craftsman")
    HonourFactory(
        craftsman=craftsman,
        year=2021,
        name_zh="全国五一劳动奖章",
        name_en="National May Day Labour Medal",
    )
    StudioFactory(
        craftsman=craftsman,
        name_zh="王建国创新工作室",
        name_en="Wang Jianguo Innovation Studio",
        founded_year=2016,
    )
    return craftsman


def test_the_profile_renders_in_chinese(client, index_pages, wang):
    response = client.get("/craftsmen/wang-jianguo/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" in content and "王建国" in content
    assert "上海临港智能装备有限公司" in content
    assert "二十六年只做一件事。" in content
    assert "王建国创新工作室" in content
    # honours newest first, with their years
    assert content.index("全国五一劳动奖章") < content.index("上海工匠</li>")
    assert '<time datetime="2021"' in content
    with translation.override("zh-hans"):
        assert str(Level.SHANGHAI_CRAFTSMAN.label) in content
    crumbs = content.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert 'href="/"' in crumbs and 'href="/craftsmen/"' in crumbs


def test_the_profile_renders_in_english_under_en(client, index_pages, wang):
    response = client.get("/en/craftsmen/wang-jianguo/")

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en">' in content
    for text in (
        "Wang Jianguo",
        "Shanghai craftsman",
        "Model worker",
        "Chief technician",
        "CNC machine operator",
        "Twenty-six years at one craft.",
        "National May Day Labour Medal",
        "Wang Jianguo Innovation Studio",
        "Founded in 2016",
    ):
        assert text in content, text
    assert "二十六年只做一件事。" not in content
    assert 'href="/en/craftsmen/"' in content


@pytest.mark.parametrize(
    "path", ["/craftsmen/hidden/", "/craftsmen/nobody/", "/en/craftsmen/hidden/"]
)
def test_an_unpublished_or_unknown_profile_is_404(client, index_pages, path):
    CraftsmanFactory(slug="hidden", is_published=False)

    assert client.get(path).status_code == 404


def test_a_hidden_craftsman_is_neither_listed_nor_counted(client, index_pages):
    CraftsmanFactory(slug="shown", name="显示的人")
    CraftsmanFactory(slug="hidden", name="隐藏的人", is_published=False)

    with translation.override("en"):
        content = client.get("/en/craftsmen/").content.decode()

    assert "/en/craftsmen/shown/" in content and "/en/craftsmen/hidden/" not in content
    assert "1 craftsman found" in content


def test_the_profile_links_only_approved_innovations_to_their_pages(client, index_pages, wang):
    approved = InnovationFactory(title="数控车床刀具快速对刀装置", status=Status.APPROVED)
    submitted = InnovationFactory(title="高压电缆接头温度无线监测贴片", status=Status.SUBMITTED)
    rejected = InnovationFactory(title="废切削液回收建议", status=Status.REJECTED)
    draft = InnovationFactory(title="复合材料检测夹具草稿", status=Status.DRAFT)
    wang.innovations.set([approved, submitted, rejected, draft])

    chinese = client.get("/craftsmen/wang-jianguo/").content.decode()
    english = client.get("/en/craftsmen/wang-jianguo/").content.decode()

    assert f'href="/innovations/{approved.pk}/"' in chinese and approved.title in chinese
    assert f'href="/en/innovations/{approved.pk}/"' in english
    for hidden in (submitted, rejected, draft):
        assert hidden.title not in chinese
        assert f"/innovations/{hidden.pk}/" not in chinese
    with translation.override("en"):
        assert str(Category.INVENTION.label) in english


def test_the_portrait_is_a_rendition_with_the_alt_text_of_the_language(client, index_pages, wang):
    chinese = client.get("/craftsmen/wang-jianguo/").content.decode()
    english = client.get("/en/craftsmen/wang-jianguo/").content.decode()

    assert wang.portrait.renditions.filter(filter_spec="fill-480x600").exists()
    image_tag = re.search(r'<img[^>]*class="craftsman__portrait"[^>]*>', chinese).group(0)
    assert 'alt="王建国在车床前"' in image_tag
    assert 'width="480"' in image_tag and 'height="600"' in image_tag
    assert "/media/images/" in image_tag
    assert 'alt="Wang Jianguo at his lathe"' in english


def test_the_index_shows_the_pyramid_with_counts_linking_to_each_level(client, index_pages, wang):
    CraftsmanFactory.create_batch(2, level=Level.CRAFTSMAN_TALENT)
    CraftsmanFactory.create_batch(3, level=Level.SKILLED_WORKER)

    with translation.override("en"):
        content = client.get("/en/craftsmen/").content.decode()

    pyramid = content.split('class="craftsman-pyramid"')[1].split("</section>")[0]
    assert pyramid.index("Shanghai craftsman") < pyramid.index("Craftsman talent")
    assert pyramid.index("Craftsman talent") < pyramid.index("Skilled worker")
    assert "1 person" in pyramid and "2 people" in pyramid and "3 people" in pyramid
    assert 'href="/en/craftsmen/?title=shanghai_craftsman"' in pyramid
    assert 'href="/en/craftsmen/?title=model_worker"' in pyramid
    assert "About craftsmen" in content
    # the card of the top of the pyramid comes first, with its portrait and employer
    cards = content.split('class="craftsman-cards"')[1]
    assert cards.index("Wang Jianguo") < cards.index("Craftsman ")
    assert 'alt="Wang Jianguo at his lathe"' in cards
    assert wang.portrait.renditions.filter(filter_spec="fill-240x300").exists()
    assert "上海临港智能装备有限公司" in cards


def test_the_chinese_index_is_chinese(client, index_pages, wang):
    content = client.get("/craftsmen/").content.decode()

    assert "工匠风采" in content and "工匠简介" in content
    assert 'href="/craftsmen/wang-jianguo/"' in content
    assert 'href="/craftsmen/?title=shanghai_craftsman"' in content


def _queries_for(client, url) -> int:
    client.get(url)  # renditions are made on the first view; count a settled page
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def _craftsmen_with_everything(count: int, start: int):
    for n in range(start, start + count):
        craftsman = CraftsmanFactory(
            portrait=make_image(f"肖像{n}"),
            portrait_alt_zh=f"肖像{n}",
            portrait_alt_en=f"Portrait {n}",
            is_model_worker=n % 2 == 0,
        )
        HonourFactory(craftsman=craftsman)
        StudioFactory(craftsman=craftsman)
        craftsman.innovations.add(InnovationFactory(status=Status.APPROVED))


def test_the_index_costs_the_same_queries_for_2_or_12_craftsmen(client, index_pages):
    _craftsmen_with_everything(2, start=0)
    two = _queries_for(client, "/craftsmen/")

    _craftsmen_with_everything(10, start=2)
    twelve = _queries_for(client, "/craftsmen/")

    assert twelve == two
    content = client.get("/craftsmen/").content.decode()
    assert content.count('class="craftsman-card"') == 12


def test_a_profile_costs_the_same_queries_with_1_or_10_honours_and_innovations(
    client, index_pages, wang
):
    wang.innovations.add(InnovationFactory(status=Status.APPROVED))
    one = _queries_for(client, "/craftsmen/wang-jianguo/")

    for year in range(2000, 2009):
        HonourFactory(craftsman=wang, year=year)
        wang.innovations.add(InnovationFactory(status=Status.APPROVED))

    assert _queries_for(client, "/craftsmen/wang-jianguo/") == one


def test_a_craftsman_without_portrait_or_studio_still_renders(client, index_pages):
    CraftsmanFactory(slug="plain", name="赵平", story_zh="")

    response = client.get("/craftsmen/plain/")

    assert response.status_code == 200
    assert "赵平" in response.content.decode()
    assert "<img" not in response.content.decode().split("<main")[1]
