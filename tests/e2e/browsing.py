"""Steps a visitor takes on the public site, for the browser tests to string into journeys.

Each step acts the way a visitor would (a click on a visible link, not a typed URL) and waits
until the new page is there, so the next step and the next screenshot see it.
"""

import re

from playwright.sync_api import Page, expect

PHONE = {"width": 375, "height": 812}
LANGUAGE_PREFIX = {"zh-hans": "/", "en": "/en/"}


def expect_language(page: Page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)


def open_home(page: Page, *, language: str = "zh-hans") -> None:
    """Open the home page in one language by its address: / for Chinese, /en/ for English."""
    page.goto(LANGUAGE_PREFIX[language])
    expect_language(page, language)
    expect(page.locator("header.site-header")).to_be_visible()


def switch_language(page: Page, code: str) -> None:
    """Click the header's language switcher; the same page opens in that language."""
    page.locator(f'.language-switcher a[hreflang="{code}"]').click()
    expect_language(page, code)
    if code != "zh-hans":
        expect(page).to_have_url(re.compile(rf"^[^/]+//[^/]+/{code}/"))


def open_link(page: Page, link) -> str:
    """Follow a link (a Locator) and check that the page it opens is headed by its text;
    returns that heading."""
    title = link.inner_text().strip()
    link.click()
    expect(page.locator("main h1")).to_have_text(title)
    return title


def search(page: Page, query: str) -> None:
    """Type into the header's search box and press Enter; the results page opens."""
    box = page.locator('header input[name="q"]')
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))


def open_menu_page(page: Page, title: str) -> None:
    """Follow the header's menu link to an editorial section; it opens headed by its title."""
    open_link(page, page.locator(".site-nav").get_by_role("link", name=title, exact=True))


def expect_no_horizontal_scroll(page: Page) -> None:
    """Nothing on the page is wider than the window (so no sideways scrolling)."""
    widths = page.evaluate(
        "() => ({content: document.documentElement.scrollWidth, window: window.innerWidth})"
    )
    assert widths["content"] <= widths["window"], (
        f"the page is {widths['content']} px wide in a {widths['window']} px window"
    )
