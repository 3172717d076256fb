"""The editorial pages in the header (those marked "show in menus") and the breadcrumbs."""

from django import template
from django.utils import translation
from wagtail.models import Locale, Page, Site

register = template.Library()


def _home_in_current_language(request) -> Page | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    locale = Locale.objects.filter(language_code=translation.get_language()).first()
    if locale is None:
        return site.root_page
    return site.root_page.get_translation_or_none(locale) or site.root_page


@register.inclusion_tag("includes/menu_pages.html", takes_context=True)
def menu_pages(context):
    """Top-level live, public pages shown in menus, in the language being shown: two queries."""
    request = context.get("request")
    home = _home_in_current_language(request) if request is not None else None
    pages = home.get_children().live().public().in_menu() if home is not None else []
    return {"menu_pages": pages, "current": context.get("page")}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Home → … → this page, for a page below a home page."""
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": []}
    return {"ancestors": page.get_ancestors().filter(depth__gte=2), "page": page}
