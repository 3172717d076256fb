"""A visitor's tour of the public site in Chromium: the Chinese home page, English, a news
article, the site search, a craftsman's profile in both languages, a five-small showcase, and
the header on a phone."""

import re

from playwright.sync_api import expect

from cms.demo import HOME_CONTENT
from tests.e2e.browsing import (
    PHONE,
    expect_language,
    expect_no_horizontal_scroll,
    open_home,
    open_link,
    open_menu_page,
    search,
    switch_language,
)


def test_a_visitor_reads_the_home_page_in_chinese_then_english_news(page, shot, demo_pages):
    open_home(page)
    expect(page.locator("main h1")).to_have_text(HOME_CONTENT["zh-hans"]["title"])
    shot("home-zh")

    switch_language(page, "en")
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("main h1")).to_have_text(HOME_CONTENT["en"]["title"])
    shot("home-en")

    open_link(page, page.locator(".home-news .news-summary__title a").first)
    expect(page).to_have_url(re.compile(r"/en/news/[\w-]+/$"))
    expect_language(page, "en")
    shot("news-article-en")


def test_a_visitor_searches_then_opens_a_craftsman_and_a_showcase(page, shot, demo_site):
    open_home(page)
    search(page, "工匠")
    # 工匠 inside a longer title and sentence: 2026年度上海工匠选树结果公布.
    results = page.locator(".site-search-result")
    expect(results.filter(has_text="上海工匠选树结果公布")).to_have_count(1)
    expect(page.locator(".site-search-result mark").first).to_have_text("工匠")
    shot("search-zh")

    open_menu_page(page, "工匠风采")
    expect(page.locator(".craftsman-pyramid")).to_contain_text("上海工匠")
    shot("craftsmen-zh")
    first_card = page.locator(".craftsman-card__name a").first
    name = first_card.inner_text().strip()
    first_card.click()
    expect(page.locator("main h1")).to_contain_text(name)
    expect(page.locator("main")).to_contain_text("创新工作室")
    shot("craftsman-profile-zh")

    switch_language(page, "en")
    # The same profile, not the English index.
    expect(page).to_have_url(re.compile(r"/en/craftsmen/[\w-]+/$"))
    expect(page.locator("main h1")).to_contain_text(name)
    shot("craftsman-profile-en")

    open_menu_page(page, "Five-small showcase")
    category = page.locator(".showcase-category").first
    title = category.locator(".showcase-category__title").inner_text().strip()
    category.click()
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.locator(".innovation-card").first).to_be_visible()
    shot("showcase-category-en")


def test_the_keyboard_reaches_the_skip_link_first_and_it_jumps_to_the_content(page, demo_pages):
    open_home(page)

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#main$"))


def test_the_header_fits_a_phone_screen(page, shot, demo_pages):
    page.set_viewport_size(PHONE)

    open_home(page)

    expect(page.locator(".language-switcher")).to_be_visible()
    expect_no_horizontal_scroll(page)
    shot("home-zh-phone")
