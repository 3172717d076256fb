"""The language switcher links to the same page in the other language."""

import re

import pytest

from cms.models import CraftsmanIndexPage, HomePage
from tests.factories.craftsmen import CraftsmanFactory


def switcher_links(content: str) -> dict[str, str]:
    nav = re.search(r'<nav class="language-switcher".*?</nav>', content, re.S).group(0)
    return dict(
        (code, href) for href, code in re.findall(r'<a href="([^"]*)" hreflang="([^"]+)"', nav)
    )


@pytest.mark.parametrize(
    ("path", "links"),
    [
        ("/", {"zh-hans": "/", "en": "/en/"}),
        ("/en/", {"zh-hans": "/", "en": "/en/"}),
    ],
)
def test_home_page_links_to_itself_in_both_languages(client, db, path, links):
    assert switcher_links(client.get(path).content.decode()) == links


def test_the_current_language_is_marked(client, db):
    content = client.get("/en/").content.decode()

    assert 'hreflang="en" lang="en" aria-current="true"' in content
    assert 'hreflang="zh-hans" lang="zh-hans">' in content


def test_a_page_with_its_own_english_slug_is_linked_by_its_translation(client, db):
    home_zh = HomePage.objects.get(locale__language_code="zh-hans")
    home_en = HomePage.objects.get(locale__language_code="en")
    news_zh = home_zh.add_child(instance=HomePage(title="新闻", slug="xinwen"))
    news_en = news_zh.copy_for_translation(home_en.locale)
    news_en.slug = "news"
    news_en.save_revision().publish()

    links = switcher_links(client.get("/xinwen/").content.decode())

    assert links == {"zh-hans": "/xinwen/", "en": "/en/news/"}


def test_a_page_without_an_english_translation_links_to_the_english_home(client, db):
    home_zh = HomePage.objects.get(locale__language_code="zh-hans")
    home_zh.add_child(instance=HomePage(title="仅中文", slug="zhongwen"))

    links = switcher_links(client.get("/zhongwen/").content.decode())

    assert links["en"] == "/en/"


def test_a_craftsman_profile_links_to_the_same_profile_in_the_other_language(client, db):
    home_zh = HomePage.objects.get(locale__language_code="zh-hans")
    index = home_zh.add_child(instance=CraftsmanIndexPage(title="工匠风采", slug="gongjiang"))
    english = index.copy_for_translation(HomePage.objects.get(locale__language_code="en").locale)
    english.slug = "craftsmen"
    english.save_revision().publish()
    CraftsmanFactory(slug="chen-zhigang")

    links = switcher_links(client.get("/gongjiang/chen-zhigang/").content.decode())

    assert links == {"zh-hans": "/gongjiang/chen-zhigang/", "en": "/en/craftsmen/chen-zhigang/"}
