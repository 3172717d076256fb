"""The editorial pages in the header (those marked "show in menus") and the breadcrumbs."""

from django import template
from django.utils import translation

from cms.navigation import menu_items

register = template.Library()


@register.inclusion_tag("includes/menu_pages.html", takes_context=True)
def menu_pages(context):
    """The editorial sections in the header of every view, in the language shown (cached:
    cms.navigation); the one holding the current address is marked."""
    request = context.get("request")
    path = request.path if request is not None else ""
    items = menu_items(translation.get_language())
    current = next((item.url for item in items if path.startswith(item.url)), None)
    return {"menu_items": items, "current": current}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Home → … → this page, for a page below a home page."""
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": []}
    return {"ancestors": page.get_ancestors().filter(depth__gte=2), "page": page}
