"""The header menu: pages marked "show in menus" directly under the home page of a language.

Every view shows it, so it is kept in the cache, one entry per language: a page view costs
no query for it once the entry is there. Publishing, unpublishing, moving or deleting a page,
or changing a view restriction, drops the entries (cms.signal_handlers); the next view makes
them again (two queries).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from wagtail.models import Page

CACHE_KEY = "cms:menu:{language_code}"
# Long: the entries are dropped whenever a page changes, and the timeout is only a backstop.
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


def _menu_from_database(language_code: str) -> list[MenuItem]:
    pages = (
        Page.objects.live()
        .public()
        .in_menu()
        .filter(depth=3, locale__language_code=language_code)
        .order_by("path")
    )
    items = [MenuItem(title=page.title, url=page.get_url()) for page in pages]
    # A page on no site has no URL to link to.
    return [item for item in items if item.url]


def menu_items(language_code: str) -> list[MenuItem]:
    key = CACHE_KEY.format(language_code=language_code)
    items = cache.get(key)
    if items is None:
        items = _menu_from_database(language_code)
        cache.set(key, items, CACHE_SECONDS)
    return items


def menu_forget() -> None:
    """Drop every language's menu; the next view in each language rebuilds it."""
    cache.delete_many([CACHE_KEY.format(language_code=code) for code, _name in settings.LANGUAGES])
