"""Where the page being shown lives in another language."""

from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page, Site


def home_url_in_language(request: HttpRequest, language_code: str) -> str:
    site = Site.find_for_request(request)
    locale = Locale.objects.filter(language_code=language_code).first()
    if site is not None and locale is not None:
        home = site.root_page.get_translation_or_none(locale)
        if home is not None and home.live:
            return home.get_url(request)
    with translation.override(language_code):
        return translate_url("/", language_code)


def url_in_language(request: HttpRequest, page: Page | None, language_code: str) -> str:
    """The same page in `language_code`; its home page when the page has no live translation.

    Wagtail pages may have different slugs per language, so they are looked up through their
    translations. Other views are translated by URL, which works because the current path is
    resolved under the language it was served in. A routable page's sub-route (a craftsman's
    profile under the craftsmen index) is kept: the route is the same in every language.
    """
    if isinstance(page, Page):
        locale = Locale.objects.filter(language_code=language_code).first()
        translated = page.get_translation_or_none(locale) if locale else None
        if translated is not None and translated.live:
            return translated.get_url(request) + _sub_route(request, page)
        return home_url_in_language(request, language_code)
    return translate_url(request.get_full_path(), language_code)


def _sub_route(request: HttpRequest, page: Page) -> str:
    page_url = page.get_url(request)
    if page_url and request.path.startswith(page_url):
        return request.path[len(page_url) :]
    return ""
