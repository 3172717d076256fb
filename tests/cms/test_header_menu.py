"""The header menu of editorial sections on every view, cached per language and dropped when
the page tree changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.models import ContentPage
from tests.cms.page_tree import english_copy, homes, publish_under

pytestmark = pytest.mark.django_db


def menu_of(content: str) -> str:
    return content.split('class="site-nav"')[1].split("</nav>")[0]


@pytest.fixture
def about():
    page = publish_under(
        homes()["zh-hans"], ContentPage(title="关于平台", slug="about", show_in_menus=True)
    )
    english_copy(page, title="About the platform")
    return page


def test_the_app_views_show_the_menu_in_their_language(client, about):
    chinese = menu_of(client.get("/innovations/").content.decode())
    english = menu_of(client.get("/en/search/").content.decode())

    assert '<a href="/about/">关于平台</a>' in chinese
    assert '<a href="/en/about/">About the platform</a>' in english


def test_the_section_being_read_is_marked(client, about):
    menu = menu_of(client.get("/about/").content.decode())

    assert '<a href="/about/" aria-current="true">' in menu


def test_once_cached_the_menu_costs_no_query(client, about):
    client.get("/innovations/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/innovations/")

    assert not any("wagtailcore_page" in query["sql"] for query in warm.captured_queries)


def test_publishing_unpublishing_and_restricting_pages_change_the_menu_at_once(client, about):
    client.get("/innovations/")  # cached without the new page
    rules = publish_under(
        homes()["zh-hans"], ContentPage(title="拍卖规则", slug="rules", show_in_menus=True)
    )
    assert "拍卖规则" in menu_of(client.get("/innovations/").content.decode())

    rules.unpublish()
    assert "拍卖规则" not in menu_of(client.get("/innovations/").content.decode())

    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    assert "关于平台" not in menu_of(client.get("/innovations/").content.decode())
