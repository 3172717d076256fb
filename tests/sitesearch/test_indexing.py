"""The plain-text copy of the pages: which text goes in, and the rebuild command."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, get_page_models

from cms.demo_pages import paragraphs
from cms.models import ContentPage, NewsIndexPage, NewsPage
from sitesearch.models import SearchDocument
from sitesearch.services.indexing import page_text
from tests.cms.page_tree import english_copy, publish_under
from tests.sitesearch.conftest import content_page

pytestmark = pytest.mark.django_db


def rebuild() -> str:
    out = StringIO()
    call_command("rebuild_site_search", stdout=out)
    return out.getvalue()


def test_a_streamfield_body_is_stored_as_plain_chinese_text(homes):
    page = content_page(homes["zh-hans"], "班组风采", "他是一名<b>优秀</b>的上海工匠代表")

    document = SearchDocument.objects.get(page=page)

    assert document.title == "班组风采"
    assert document.language_code == "zh-hans"
    assert "他是一名<b>优秀</b>的上海工匠代表" in document.text  # the words, not the markup
    assert "\\u" not in document.text and '"type"' not in document.text


def test_a_page_types_own_text_fields_and_tags_are_searchable_but_not_its_slug(homes):
    news = publish_under(homes["zh-hans"], NewsIndexPage(title="新闻", slug="news-index"))
    article = NewsPage(
        title="工匠论坛开幕",
        slug="forum-opening-slug",
        date=date(2026, 9, 1),
        intro="论坛摘要",
        body=[("heading", "论坛议程"), *paragraphs("正文段落")],
    )
    news.add_child(instance=article)
    article.tags.set(["上海工匠"])

    text = page_text(article)

    for expected in ("论坛摘要", "论坛议程", "正文段落", "上海工匠"):
        assert expected in text
    assert "forum-opening-slug" not in text
    assert "工匠论坛开幕" not in text  # the title has its own column


def test_a_page_type_can_leave_a_field_out(homes, monkeypatch):
    page = ContentPage(title="关于", slug="about", intro="内部备注", body=paragraphs("正文"))
    monkeypatch.setattr(ContentPage, "sitesearch_exclude_fields", ("intro",), raising=False)

    assert page_text(page) == "正文"


def test_the_english_translation_gets_its_own_english_row(homes):
    page = content_page(homes["zh-hans"], "班组风采", "工匠")
    english = english_copy(page, title="Our teams", body=paragraphs("Craftsmen"))

    assert SearchDocument.objects.get(page=english).language_code == "en"
    assert SearchDocument.objects.get(page=page).language_code == "zh-hans"


def test_deleting_a_page_deletes_its_row(homes):
    page = content_page(homes["zh-hans"], "班组风采", "工匠")

    page.delete()

    assert not SearchDocument.objects.exists()


def test_the_rebuild_command_indexes_what_signals_missed_and_a_second_run_changes_nothing(homes):
    indexed = content_page(homes["zh-hans"], "已索引", "工匠")
    changed = content_page(homes["zh-hans"], "将被改动", "旧正文")
    SearchDocument.objects.filter(page=changed).update(text="过时的正文")
    gone = content_page(homes["zh-hans"], "将下线", "工匠")
    Page.objects.filter(pk=gone.pk).update(live=False)  # as a raw update would, no signal
    unseen = ContentPage(title="未经信号", slug="unseen", body=paragraphs("无信号的工匠"))
    homes["zh-hans"].add_child(instance=unseen)  # live, but never published through a revision
    content_page(homes["zh-hans"], "草稿", "工匠", publish=False)

    first = rebuild()
    rows = dict(SearchDocument.objects.values_list("page_id", "text"))
    second = rebuild()

    live_pages = set(Page.objects.live().filter(depth__gt=1).values_list("pk", flat=True))
    assert set(rows) == live_pages  # the two home pages too
    assert rows[unseen.pk] == "无信号的工匠" and rows[changed.pk] == "旧正文"
    assert indexed.pk in rows and gone.pk not in rows
    assert "3 created, 1 updated, 1 deleted, 1 unchanged" in first
    assert "0 created, 0 updated, 0 deleted, 5 unchanged" in second
    assert dict(SearchDocument.objects.values_list("page_id", "text")) == rows


@pytest.mark.parametrize(
    "page_class", [model for model in get_page_models() if model is not Page], ids=str
)
def test_every_page_type_gives_its_intro_and_body_text(page_class):
    page = page_class(title="标题", slug="x")
    fields = {field.name for field in page_class._meta.get_fields()}
    if "intro" in fields:
        page.intro = (
            "<p>简介</p>"
            if isinstance(page_class._meta.get_field("intro"), RichTextField)
            else "简介"
        )
    if "body" in fields:
        body_field = page_class._meta.get_field("body")
        page.body = paragraphs("正文") if isinstance(body_field, StreamField) else "<p>正文</p>"

    text = page_text(page)

    assert ("简介" in text) == ("intro" in fields)
    assert ("正文" in text) == ("body" in fields)
    assert "<p>" not in text


def test_a_page_whose_text_cannot_be_read_is_still_published(homes, monkeypatch, caplog):
    def broken(page):
        raise ValueError("unreadable block")

    monkeypatch.setattr("sitesearch.services.indexing.page_text", broken)

    page = content_page(homes["zh-hans"], "班组风采", "工匠")

    assert Page.objects.get(pk=page.pk).live
    assert not SearchDocument.objects.filter(page=page).exists()
    assert "could not index page" in caplog.text
