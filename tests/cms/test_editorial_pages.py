"""Content pages, news and the forum: both languages, navigation, breadcrumbs, tags, drafts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.rich_text import RichText

from cms.demo_pages import paragraphs, policy_body, seed_editorial_pages
from cms.models import ContentPage, NewsIndexPage, NewsPage
from tests.cms import page_tree
from tests.cms.page_tree import english_copy, publish_under

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes():
    return page_tree.homes()


@pytest.fixture
def news(homes):
    return publish_under(homes["zh-hans"], NewsIndexPage(title="新闻动态", slug="news"))


def article(index, title, day, tags=(), live=True):
    page = NewsPage(title=title, slug=f"a-{day.isoformat()}", date=day, intro=f"{title}摘要")
    index.add_child(instance=page)
    page.tags.set(list(tags))
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        page.unpublish()
    return page


def test_a_content_page_renders_in_chinese_and_its_translation_in_english(client, homes):
    page = publish_under(
        homes["zh-hans"],
        ContentPage(
            title="拍卖规则", slug="rules", intro="规则简介", body=paragraphs("保证金说明")
        ),
    )
    english_copy(page, title="Auction rules", intro="Rules", body=paragraphs("About deposits"))

    chinese = client.get("/rules/").content.decode()
    english = client.get("/en/rules/").content.decode()

    assert "拍卖规则" in chinese and "保证金说明" in chinese
    assert "Auction rules" in english and "About deposits" in english
    assert "保证金说明" not in english


def test_the_news_index_lists_live_articles_newest_first_and_no_drafts(client, news):
    article(news, "九月", date(2026, 9, 1))
    article(news, "十一月", date(2026, 11, 1))
    article(news, "草稿", date(2026, 12, 1), live=False)

    content = client.get("/news/").content.decode()

    assert content.index("十一月") < content.index("九月")
    assert "草稿" not in content
    assert client.get("/news/a-2026-12-01/").status_code == 404
    assert client.get("/news/a-2026-11-01/").status_code == 200


def test_a_tag_filters_the_index_and_each_article_links_to_its_tags(client, news):
    article(news, "拍卖消息", date(2026, 9, 1), tags=["拍卖会"])
    article(news, "工匠消息", date(2026, 9, 2), tags=["上海工匠"])

    filtered = client.get("/news/", {"tag": "拍卖会"}).content.decode()
    page = client.get("/news/a-2026-09-01/").content.decode()

    assert "拍卖消息" in filtered and "工匠消息" not in filtered
    tag_link = "/news/?tag=%E6%8B%8D%E5%8D%96%E4%BC%9A"
    assert tag_link in page
    assert tag_link in client.get("/news/").content.decode()


@pytest.mark.parametrize("query", [{"page": "abc"}, {"page": "9999"}, {"tag": "x" * 5000}])
def test_odd_page_numbers_and_tags_show_a_page_not_an_error(client, news, query):
    article(news, "消息", date(2026, 9, 1))

    assert client.get("/news/", query).status_code == 200


def test_the_index_pages_through_articles_ten_at_a_time(client, news):
    for day in range(1, 13):
        article(news, f"消息{day:02d}", date(2026, 9, day))

    first = client.get("/news/").content.decode()
    second = client.get("/news/", {"page": 2}).content.decode()

    assert "消息12" in first and "消息03" in first and "消息02" not in first
    assert "消息02" in second and "消息01" in second and "消息12" not in second


def test_the_index_costs_the_same_queries_for_2_or_10_articles(
    client, news, django_assert_max_num_queries
):
    for day in range(1, 3):
        article(news, f"消息{day}", date(2026, 9, day), tags=["甲", "乙"])
    client.get("/news/")  # warm the site and locale look-ups
    with CaptureQueriesContext(connection) as two:
        client.get("/news/")
    # Counted now: the next request empties the connection's query log.
    queries_for_two = len(two.captured_queries)
    for day in range(3, 11):
        article(news, f"消息{day}", date(2026, 9, day), tags=["甲", "乙"])
    client.get("/news/")  # publishing rebuilt the header menu: warm it again
    with django_assert_max_num_queries(queries_for_two):
        client.get("/news/")


def test_the_home_page_shows_the_latest_news_of_its_own_language(client, homes, news):
    chinese = article(news, "中文消息", date(2026, 9, 1))
    english_copy(news, title="News")
    english_copy(chinese, title="English article", intro="In English")

    assert "中文消息" in client.get("/").content.decode()
    english_home = client.get("/en/").content.decode()
    assert "English article" in english_home and "中文消息" not in english_home
    assert "Latest news" in english_home


def test_menu_pages_appear_in_the_header_in_the_language_shown(client, homes):
    about = ContentPage(title="关于平台", slug="about", show_in_menus=True)
    publish_under(homes["zh-hans"], about)
    english_copy(about, title="About the platform")
    publish_under(homes["zh-hans"], ContentPage(title="不在菜单", slug="hidden"))

    chinese = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    assert 'href="/about/"' in chinese and "不在菜单" not in chinese
    assert 'href="/en/about/"' in english and "About the platform" in english


def test_breadcrumbs_lead_from_home_to_the_page(client, news):
    article(news, "消息", date(2026, 9, 1))

    content = client.get("/news/a-2026-09-01/").content.decode()

    crumbs = content.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert 'href="/"' in crumbs and 'href="/news/"' in crumbs
    assert '<li aria-current="page">消息</li>' in crumbs


def test_the_policy_document_keeps_its_headings_and_joins_broken_lines():
    body = policy_body()

    headings = [value for kind, value in body if kind == "heading"]
    assert "一、指导思想" in headings
    paragraph_texts = [value.source for kind, value in body if kind == "paragraph"]
    assert all(isinstance(value, RichText) for kind, value in body if kind == "paragraph")
    assert any("沪工总发〔2024〕7号" in text for text in paragraph_texts)


def test_the_demo_builds_every_editorial_page_in_both_languages_once(client):
    seed_editorial_pages()
    seed_editorial_pages()

    for model in (ContentPage, NewsIndexPage, NewsPage):
        by_language = {
            code: model.objects.live().filter(locale__language_code=code).count()
            for code in ("zh-hans", "en")
        }
        assert by_language["zh-hans"] == by_language["en"] > 0
    for url in ("/about/", "/en/auction-rules/", "/policies/shanghai-ftu-2024-7/", "/en/forum/"):
        assert client.get(url).status_code == 200
