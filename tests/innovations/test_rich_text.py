"""The public description's rich text: the allow-list, links, and telling an empty one apart."""

import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from innovations.rich_text import (
    clean_rich_text,
    rich_text_is_blank,
    validate_rich_text_has_text,
)

# The lead adds the zh-hans msgstr entries to config/locale; until then the Chinese-message tests
# fail by design, and strict=True makes the suite say so once the catalog has them.
CJK = re.compile(r"[\u4e00-\u9fff]")

REL = 'rel="noopener noreferrer nofollow"'


# --- what survives -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>改进了<strong>车床</strong>夹具</p>",
        "<p>a<br>b</p>",
        "<p><b>b</b> <em>em</em> <i>i</i> <u>u</u> <s>s</s> <sub>2</sub> <sup>3</sup></p>",
        "<h2>背景</h2><h3>方法</h3><h4>效果</h4>",
        "<ul><li>one</li></ul><ol><li>two</li></ol>",
        "<blockquote>quoted</blockquote>",
        "<pre><code>G01 X10 Y20</code></pre>",
        "<table><thead><tr><th>项目</th></tr></thead>"
        "<tbody><tr><td>节约 30%</td></tr></tbody></table>",
    ],
)
def test_allowed_markup_comes_through_unchanged(fragment):
    assert clean_rich_text(fragment) == fragment


@pytest.mark.parametrize(
    "href",
    ["https://www.cnipa.gov.cn/", "http://example.com/a?b=1&amp;c=2", "mailto:union@example.com"],
)
def test_web_and_mail_links_are_kept_and_marked_nofollow(href):
    assert clean_rich_text(f'<a href="{href}">link</a>') == f'<a href="{href}" {REL}>link</a>'


def test_the_authors_own_rel_and_target_are_replaced():
    fragment = '<a href="https://example.com" rel="opener" target="_blank">x</a>'

    assert clean_rich_text(fragment) == f'<a href="https://example.com" {REL}>x</a>'


# --- what is removed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "cleaned"),
    [
        pytest.param("<p>hi</p><script>alert(1)</script>", "<p>hi</p>", id="script"),
        pytest.param("<SCRIPT SRC=//evil.example/x.js></SCRIPT>ok", "ok", id="script-src"),
        pytest.param('<img src="x" onerror="alert(1)">ok', "ok", id="img-onerror"),
        pytest.param('<svg onload="alert(1)"><circle r="1"/></svg>ok', "ok", id="svg"),
        pytest.param('<iframe src="https://evil.example"></iframe>ok', "ok", id="iframe"),
        pytest.param('<object data="x.swf">fallback</object>ok', "ok", id="object"),
        pytest.param('<embed src="x.swf">ok', "ok", id="embed"),
        pytest.param("<style>p{display:none}</style>ok", "ok", id="style-element"),
        pytest.param('<p style="color:red">ok</p>', "<p>ok</p>", id="style-attribute"),
        pytest.param('<p class="x" id="y">ok</p>', "<p>ok</p>", id="class-and-id"),
        pytest.param('<p onclick="alert(1)" onmouseover="a()">ok</p>', "<p>ok</p>", id="on-attrs"),
        pytest.param('<td onclick="a()">x</td>', "x", id="stray-cell-outside-a-table"),
        pytest.param("<!-- note --><p>ok</p>", "<p>ok</p>", id="comment"),
        pytest.param("<!--[if IE]><script>a()</script><![endif]-->ok", "ok", id="ie-comment"),
        pytest.param("<h1>Title</h1>", "Title", id="h1-unwrapped"),
        pytest.param("<div><span>text</span></div>", "text", id="div-and-span-unwrapped"),
        pytest.param('<form action="x"><input name="a">ok</form>', "ok", id="form"),
    ],
)
def test_dangerous_or_unlisted_markup_is_removed(fragment, cleaned):
    assert clean_rich_text(fragment) == cleaned


@pytest.mark.parametrize(
    "href",
    [
        pytest.param("javascript:alert(1)", id="javascript"),
        pytest.param("JaVaScRiPt:alert(1)", id="javascript-mixed-case"),
        pytest.param("  javascript:alert(1)", id="javascript-leading-space"),
        pytest.param("java\tscript:alert(1)", id="javascript-with-tab"),
        pytest.param("&#106;avascript:alert(1)", id="javascript-entity-encoded"),
        pytest.param("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", id="data"),
        pytest.param("vbscript:msgbox(1)", id="vbscript"),
        pytest.param("file:///etc/passwd", id="file"),
        pytest.param("/admin/", id="relative"),
        pytest.param("//evil.example/", id="protocol-relative"),
    ],
)
def test_links_outside_http_https_and_mailto_lose_their_href(href):
    assert clean_rich_text(f'<a href="{href}">x</a>') == f"<a {REL}>x</a>"


def test_text_that_looks_like_markup_stays_escaped():
    assert clean_rich_text("<p>1 &lt; 2 &amp; &lt;script&gt;</p>") == (
        "<p>1 &lt; 2 &amp; &lt;script&gt;</p>"
    )


# --- blank or not --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fragment",
    [
        "",
        "   \n\t",
        "<p></p>",
        "<p>&nbsp;</p>",
        "<p>&#160; &nbsp;</p><p><br></p>",
        "<p>\u3000</p>",
        "<p>\u200b</p>",
        "<ul><li></li></ul>",
        "<script>alert('not a description')</script>",
        '<img src="diagram.png">',
        "<!-- describe here -->",
    ],
)
def test_markup_without_text_is_blank(fragment):
    assert rich_text_is_blank(fragment)


@pytest.mark.parametrize(
    "fragment",
    ["<p>节</p>", "0", "<p>&nbsp;x&nbsp;</p>", "<p>&lt;</p>", "<h1>Title only</h1>"],
)
def test_any_visible_character_is_not_blank(fragment):
    assert not rich_text_is_blank(fragment)


class DescriptionForm(forms.Form):
    description = forms.CharField(validators=[validate_rich_text_has_text])


def test_the_validator_refuses_an_empty_description_in_a_form():
    # given a description that is only an editor's empty paragraph
    form = DescriptionForm(data={"description": "<p>&nbsp;</p>"})

    # then
    assert not form.is_valid()
    assert form.errors.as_data()["description"][0].code == "rich_text_blank"


def test_the_validator_accepts_a_description_with_text():
    assert DescriptionForm(data={"description": "<p>更换了刀具</p>"}).is_valid()


# --- messages ------------------------------------------------------------------------------


def blank_message(language: str) -> str:
    # Messages are lazy: raising and reading must both happen in the language under test.
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            validate_rich_text_has_text("<p></p>")
        return refused.value.messages[0]


def test_the_blank_message_in_english_asks_for_a_description():
    assert blank_message("en").startswith("Please describe your innovation")


def test_the_blank_message_in_chinese_asks_for_a_description():
    assert CJK.search(blank_message("zh-hans"))
