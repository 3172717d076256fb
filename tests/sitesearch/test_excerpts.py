"""Excerpts around the first match, escaped before the matches are marked."""

from sitesearch.excerpts import excerpt, highlight, terms_pattern


def test_every_match_is_marked_whatever_its_case():
    pattern = terms_pattern(["craftsman"])

    assert highlight("Craftsman and craftsman", pattern) == (
        "<mark>Craftsman</mark> and <mark>craftsman</mark>"
    )


def test_the_longest_term_is_marked_whole():
    assert highlight("上海工匠", terms_pattern(["上海", "上海工匠"])) == "<mark>上海工匠</mark>"


def test_markup_in_the_text_and_in_the_match_is_escaped():
    result = highlight('<a href="x">工匠</a>', terms_pattern(['"x">工匠']))

    assert result == "&lt;a href=<mark>&quot;x&quot;&gt;工匠</mark>&lt;/a&gt;"


def test_a_long_text_is_cut_around_the_first_match_with_ellipses():
    text = "甲" * 300 + "工匠" + "乙" * 300

    result = excerpt(text, terms_pattern(["工匠"]))

    assert result.startswith("…" + "甲" * 40 + "<mark>工匠</mark>")
    assert result.endswith("乙…")
    assert len(result.replace("<mark>", "").replace("</mark>", "")) == 160 + 2


def test_an_english_excerpt_starts_at_a_word():
    text = "word " * 30 + "craftsman at the end"

    result = excerpt(text, terms_pattern(["craftsman"]))

    assert result.startswith("…word ")


def test_without_a_match_in_the_text_the_excerpt_is_its_beginning():
    assert excerpt("正文开头" + "字" * 200, terms_pattern(["标题"])).startswith("正文开头")
