"""The home page and the admin login render, Chinese by default and English under /en/."""

import re

import pytest
from wagtail.models import Locale, Page, Site
from wagtail.users.models import UserProfile

from cms.models import HomePage


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def home_pages(db):
    return {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}


def test_migrations_create_the_site_and_its_home_page_in_both_languages(home_pages):
    site = Site.objects.get(is_default_site=True)

    assert set(home_pages) == {"zh-hans", "en"}
    assert site.root_page.specific == home_pages["zh-hans"]
    assert home_pages["en"].translation_key == home_pages["zh-hans"].translation_key
    assert Locale.get_default().language_code == "zh-hans"
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()


def test_home_page_is_chinese_by_default(client, home_pages):
    response = client.get("/")

    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"
    content = response.content.decode()
    assert "上海职工创新成果交易平台" in content
    assert "跳到主要内容" in content
    assert "“五小”创新" in content


def test_home_page_is_english_under_the_en_prefix(client, home_pages):
    response = client.get("/en/")

    assert response.status_code == 200
    assert html_lang(response) == "en"
    content = response.content.decode()
    assert "Worker Innovation Exchange" in content
    assert "Skip to main content" in content
    assert "上海职工创新成果交易平台" not in content


def test_english_home_serves_the_english_translation_page(client, home_pages):
    home_pages["en"].title = "Welcome, enterprises and workers"
    home_pages["en"].save_revision().publish()

    assert "Welcome, enterprises and workers" in client.get("/en/").content.decode()
    assert "Welcome, enterprises and workers" not in client.get("/").content.decode()


def test_admin_login_is_chinese_by_default(client, db):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"
    assert "登录" in response.content.decode()


def test_admin_stays_chinese_for_an_english_browser(client, db):
    response = client.get("/admin/login/", headers={"accept-language": "en-US,en"})

    assert html_lang(response) == "zh-hans"


def test_admin_is_english_for_staff_who_prefer_english(client, union_staff):
    UserProfile.get_for_user(union_staff)
    union_staff.wagtail_userprofile.preferred_language = "en"
    union_staff.wagtail_userprofile.save()
    client.force_login(union_staff)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert "Dashboard" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [("/no-such-page/", "zh-hans", "页面未找到"), ("/en/no-such-page/", "en", "Page not found")],
)
def test_unknown_pages_get_the_site_404_in_their_language(client, home_pages, path, lang, text):
    response = client.get(path)

    assert response.status_code == 404
    assert html_lang(response) == lang
    assert text in response.content.decode()


def test_admin_404_stays_a_404_and_is_not_redirected_to_a_language(client, union_staff):
    client.force_login(union_staff)

    assert client.get("/admin/no-such-thing/").status_code == 404
