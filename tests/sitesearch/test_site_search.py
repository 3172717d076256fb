"""The search page at /search/ (Chinese) and /en/search/ (English): what it finds, what it never
shows, ranking, bad input, paging and its query count. Runs the same on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import PageViewRestriction

from cms.demo_pages import paragraphs
from innovations.choices import Status
from sitesearch.models import SearchDocument
from tests.cms.page_tree import english_copy
from tests.factories.innovations import InnovationFactory
from tests.sitesearch.conftest import approved_innovation, content_page

pytestmark = pytest.mark.django_db

SENTENCE = "他是一名优秀的上海工匠代表，带领班组完成了多项技术革新。"


def search(client, query, *, prefix="", **params):
    response = client.get(f"{prefix}/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def results_part(content):
    """The results section only: the header form and the query echoed in the form are left
    out, so a title found there is a result."""
    if 'class="site-search-results"' not in content:
        return ""
    return content.split('class="site-search-results"')[1].split("</section>")[0]


def test_a_chinese_word_inside_a_sentence_is_found_in_a_page_body_and_an_innovation_summary(
    client, homes
):
    content_page(homes["zh-hans"], "班组风采", SENTENCE, slug="team")
    approved_innovation(title="刀具快速定位装置", summary=f"发明人{SENTENCE}")

    results = results_part(search(client, "工匠"))

    assert "班组风采" in results and 'href="/team/"' in results
    assert "刀具快速定位装置" in results
    assert "上海<mark>工匠</mark>代表" in results


def test_english_search_finds_the_english_page_and_each_language_only_its_own_pages(client, homes):
    page = content_page(homes["zh-hans"], "班组风采", SENTENCE, slug="team")
    english_copy(
        page,
        title="Our teams",
        body=paragraphs("He is an outstanding Shanghai craftsman who leads his team."),
    )

    english = results_part(search(client, "Craftsman", prefix="/en"))
    chinese_query_in_english = results_part(search(client, "工匠", prefix="/en"))
    english_query_in_chinese = results_part(search(client, "craftsman"))

    assert "Our teams" in english and 'href="/en/team/"' in english
    assert "Shanghai <mark>craftsman</mark> who" in english
    assert "班组风采" not in chinese_query_in_english
    assert "Our teams" not in english_query_in_chinese


def test_several_words_find_pages_holding_all_of_them_in_any_order(client, homes):
    page = content_page(homes["zh-hans"], "班组", "占位", slug="team")
    english_copy(page, title="Teams", body=paragraphs("The craftsman trained twelve apprentices."))
    english_copy(
        content_page(homes["zh-hans"], "其他", "占位", slug="other"),
        title="Other",
        body=paragraphs("Apprentices only."),
    )

    results = results_part(search(client, "apprentices craftsman", prefix="/en"))

    assert "Teams" in results and "Other" not in results


def test_drafts_and_unpublished_changes_are_not_found(client, homes):
    content_page(homes["zh-hans"], "草稿页面", SENTENCE, publish=False)
    live = content_page(homes["zh-hans"], "已发布页面", "旧的正文", slug="live")
    live.body = paragraphs("尚未发布的工匠修改")
    live.save_revision()

    results = results_part(search(client, "工匠"))

    assert "草稿页面" not in results and "已发布页面" not in results
    assert "已发布页面" in results_part(search(client, "旧的正文"))


def test_an_unpublished_page_leaves_the_search_at_once(client, homes):
    page = content_page(homes["zh-hans"], "班组风采", SENTENCE)
    assert SearchDocument.objects.filter(page=page).exists()

    page.unpublish()

    assert not SearchDocument.objects.filter(page=page).exists()
    assert "班组风采" not in results_part(search(client, "工匠"))


def test_a_page_under_a_view_restriction_is_hidden_from_the_moment_it_is_saved(client, homes):
    section = content_page(homes["zh-hans"], "内部栏目", "内部", slug="internal")
    child = content_page(section, "内部通知", SENTENCE, slug="notice")
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    hidden = results_part(search(client, "工匠"))
    restriction.delete()
    shown = results_part(search(client, "工匠"))

    assert "内部通知" not in hidden
    assert "内部通知" in shown and child.title in shown


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.REJECTED]
)
def test_an_innovation_not_approved_is_never_found(client, status):
    InnovationFactory(status=status, title="工匠的未批准成果", summary=SENTENCE)

    content = search(client, "工匠")

    assert "未批准成果" not in content
    assert "0 results" in search(client, "工匠", prefix="/en")


def test_title_matches_come_before_text_matches_even_when_older(client, homes):
    approved_innovation(title="上海工匠刀具", summary="换刀更快")
    content_page(homes["zh-hans"], "较新的页面", SENTENCE)  # newer, match in the body only

    results = results_part(search(client, "工匠"))

    assert results.index("上海<mark>工匠</mark>刀具") < results.index("较新的页面")


def test_a_query_over_100_characters_is_refused_with_a_message_and_searches_nothing(client, homes):
    content_page(homes["zh-hans"], "班组风采", SENTENCE)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/search/", {"q": "工" * 101})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Search for at most 100 characters (this has 101)." in content
    assert 'class="site-search-results"' not in content
    searched = [q["sql"] for q in queries.captured_queries if "sitesearch_" in q["sql"]]
    assert searched == []


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_shows_the_form_only(client, query):
    content = search(client, query)

    assert 'name="q"' in content and 'class="site-search-results"' not in content
    assert 'class="form__errors"' not in content


def test_a_null_character_is_a_message_not_an_error(client):
    with translation.override("en"):
        content = search(client, "工\x00匠", prefix="/en")

    assert "Null characters are not allowed." in content


def test_the_query_is_shown_escaped_and_page_text_is_escaped_before_marking(client, homes):
    content_page(homes["zh-hans"], "转义", "正文里写着 <script>工匠</script> 字样")

    content = search(client, "<script>")

    assert "<script>" not in content
    assert "&lt;script&gt;" in content
    assert "<mark>&lt;script&gt;</mark>工匠&lt;/script&gt;" in results_part(content)


@pytest.mark.parametrize("page_number", ["abc", "0", "-1", "9999", "1.5"])
def test_an_odd_page_number_shows_a_page_of_results(client, homes, page_number):
    for number in range(12):
        approved_innovation(title=f"工匠成果{number:02d}")

    results = results_part(search(client, "工匠", page=page_number))

    assert "<mark>工匠</mark>成果" in results


def test_results_are_paged_ten_at_a_time(client, homes):
    for number in range(12):
        approved_innovation(title=f"工匠成果{number:02d}")

    first = results_part(search(client, "工匠"))
    second = results_part(search(client, "工匠", page=2))

    assert first.count('class="site-search-result"') == 10
    assert second.count('class="site-search-result"') == 2
    assert "page=2" in first and "q=%E5%B7%A5%E5%8C%A0" in first


def test_the_search_costs_the_same_queries_for_2_or_12_results(
    client, homes, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            content_page(homes["zh-hans"], "工匠页面", SENTENCE)
            approved_innovation(summary=SENTENCE)

    add(1)
    client.get("/search/", {"q": "工匠"})  # warm the site and locale look-ups
    with CaptureQueriesContext(connection) as two:
        assert results_part(search(client, "工匠")).count('class="site-search-result"') == 2
    # Counted now: the next request empties the connection's query log.
    queries_for_two = len(two.captured_queries)
    add(5)
    client.get("/search/", {"q": "工匠"})  # publishing rebuilt the header menu: warm it again
    with django_assert_max_num_queries(queries_for_two):
        assert results_part(search(client, "工匠")).count('class="site-search-result"') == 10


def test_the_header_search_form_is_on_the_app_views_in_the_language_shown(client):
    chinese = client.get("/innovations/").content.decode()
    english = client.get("/en/innovations/").content.decode()

    assert 'action="/search/"' in chinese and 'id="site-search-q"' in chinese
    assert 'action="/en/search/"' in english
    assert "Search the site" in english
