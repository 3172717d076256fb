"""The five-small showcase: the index with live counts, a category page with the editors' pins
on top and a live, filterable list of that category's approved innovations, in both languages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cms.demo_pages import paragraphs
from cms.demo_showcase import seed_showcase_pages
from cms.models import ShowcaseCategoryPage, ShowcaseIndexPage, ShowcasePin
from innovations.choices import Category, Status, TechnicalField
from tests.cms.page_tree import english_copy, homes, publish_under
from tests.factories.innovations import InnovationFactory

pytestmark = pytest.mark.django_db


def approved(title, category=Category.INVENTION, **kwargs):
    return InnovationFactory(title=title, category=category, status=Status.APPROVED, **kwargs)


@pytest.fixture
def showcase():
    index = publish_under(
        homes()["zh-hans"], ShowcaseIndexPage(title="五小创新成果展示", slug="showcase")
    )
    english_copy(index, title="Five-small showcase")
    return index


def category_page(index, category=Category.INVENTION, pins=(), slug="invention"):
    page = ShowcaseCategoryPage(
        title="小发明",
        slug=slug,
        category=category,
        intro="职工发明的新工具",
        body=paragraphs("小发明解决一线难题。"),
    )
    for innovation in pins:
        page.pins.add(ShowcasePin(innovation=innovation))
    return publish_under(index, page)


def test_the_index_links_each_category_with_its_count_of_approved_innovations(client, showcase):
    category_page(showcase)
    category_page(showcase, Category.SUGGESTION, slug="suggestion")
    approved("液压缓冲装置")
    approved("刀具定位装置")
    approved("节能建议", category=Category.SUGGESTION)
    InnovationFactory(title="草稿", category=Category.SUGGESTION)

    content = client.get("/showcase/").content.decode()

    assert 'href="/showcase/invention/"' in content
    with translation.override("zh-hans"):
        two = translation.ngettext(
            "%(counter)s approved innovation", "%(counter)s approved innovations", 2
        ) % {"counter": 2}
        one = translation.ngettext(
            "%(counter)s approved innovation", "%(counter)s approved innovations", 1
        ) % {"counter": 1}
    assert two in content and one in content


def test_a_category_page_lists_only_approved_innovations_of_its_category(client, showcase):
    category_page(showcase)
    approved("岸桥吊具防摇摆装置")
    approved("班组节能建议", category=Category.SUGGESTION)
    InnovationFactory(title="未提交的草稿")
    InnovationFactory(title="被退回的方案", status=Status.RETURNED)

    content = client.get("/showcase/invention/").content.decode()

    assert "岸桥吊具防摇摆装置" in content and "小发明解决一线难题。" in content
    for hidden in ("班组节能建议", "未提交的草稿", "被退回的方案"):
        assert hidden not in content


def test_pinned_innovations_come_first_in_the_editors_order_and_are_not_repeated(client, showcase):
    first, second = approved("钢轨探伤小车"), approved("焊缝检测夹具")
    approved("普通成果")
    category_page(showcase, pins=[second, first])

    content = client.get("/showcase/invention/").content.decode()

    assert content.index("焊缝检测夹具") < content.index("钢轨探伤小车") < content.index("普通成果")
    assert content.count("钢轨探伤小车</a>") == 1


def test_a_pin_that_is_no_longer_approved_or_of_this_category_is_left_out(client, showcase):
    moved = approved("改投小建议的成果")
    page = category_page(showcase, pins=[moved, approved("仍然有效的成果")])
    moved.category = Category.SUGGESTION
    moved.save()

    pinned_titles = [innovation.title for innovation in page.pinned_innovations()]

    assert pinned_titles == ["仍然有效的成果"]


def test_the_list_filters_by_technical_field_and_a_bad_value_shows_a_message(client, showcase):
    category_page(showcase)
    approved("基础材料成果", technical_field=TechnicalField.BASIC_MATERIALS)
    approved("基础工艺成果", technical_field=TechnicalField.BASIC_PROCESSES)

    filtered = client.get("/showcase/invention/", {"technical_field": "basic_materials"})
    bad = client.get("/showcase/invention/", {"technical_field": "nonsense", "page": "x"})

    assert "基础材料成果" in filtered.content.decode()
    assert "基础工艺成果" not in filtered.content.decode()
    assert bad.status_code == 200
    with translation.override("zh-hans"):
        message = translation.gettext(
            "No innovations are shown until the filters above are corrected."
        )
    assert message in bad.content.decode()
    # The page fixes the category; it is not a filter here.
    assert 'name="category"' not in filtered.content.decode()


def test_the_english_page_shows_the_english_text_and_interface(client, showcase):
    page = category_page(showcase)
    english_copy(page, title="Small inventions", body=paragraphs("Inventions from the shop floor."))
    approved("岸桥吊具防摇摆装置")

    content = client.get("/en/showcase/invention/").content.decode()

    assert "Small inventions" in content and "Inventions from the shop floor." in content
    assert "小发明解决一线难题。" not in content
    assert "Find innovations in this category" in content
    assert "岸桥吊具防摇摆装置" in content


def test_a_draft_category_page_is_not_public(client, showcase):
    page = category_page(showcase)
    page.unpublish()

    assert client.get("/showcase/invention/").status_code == 404
    assert "小发明" not in client.get("/showcase/").content.decode()


def test_the_category_page_runs_the_same_queries_for_2_and_12_innovations(client, showcase):
    category_page(showcase, pins=[approved("置顶成果")])

    def queries() -> int:
        client.get("/showcase/invention/")  # warm the cached header menu and the site look-ups
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/showcase/invention/").status_code == 200
        return len(captured.captured_queries)

    for n in range(2):
        approved(f"成果{n}")
    with_two = queries()
    for n in range(2, 12):
        approved(f"成果{n}")

    assert queries() == with_two


def test_seed_showcase_pages_builds_every_category_in_both_languages_once():
    seed_showcase_pages()
    seed_showcase_pages()

    pages = ShowcaseCategoryPage.objects.all()
    assert sorted(p.category for p in pages if p.locale.language_code == "zh-hans") == sorted(
        Category.values
    )
    assert pages.count() == 10
