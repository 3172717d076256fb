"""The editorial pages in the header (those marked "show in menus") and the breadcrumbs."""

from django import template
from wagtail.models import Page

register = template.Library()

# Page paths are 4 characters a level: the first 8 are the page's home (depth 2).
HOME_PATH_LENGTH = 2 * Page.steplen


@register.inclusion_tag("includes/menu_pages.html", takes_context=True)
def menu_pages(context):
    """Live, public pages marked "show in menus" directly under the home page of the page
    being shown, so in its language. Only on Wagtail pages: the app's own views keep their
    query counts (a cached menu for every view is still to do)."""
    page = context.get("page")
    if not isinstance(page, Page) or page.depth < 2:
        return {"menu_pages": [], "current": None}
    pages = (
        Page.objects.live()
        .public()
        .in_menu()
        .filter(depth=3, path__startswith=page.path[:HOME_PATH_LENGTH])
        .order_by("path")
    )
    current = page.path[: HOME_PATH_LENGTH + Page.steplen]
    return {"menu_pages": pages, "current": current}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Home → … → this page, for a page below a home page."""
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": []}
    return {"ancestors": page.get_ancestors().filter(depth__gte=2), "page": page}
