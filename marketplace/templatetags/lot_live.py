"""{% lot_live_region lot %}: the live part of a lot's page, rendered into the full page.

The page's view passes the lot; the tag renders the same include the fragment URL returns
(marketplace.views.live), so the page works without JavaScript and the markup is written once.
"""

from django import template

from marketplace.live.fragment import live_lot

register = template.Library()


@register.inclusion_tag("marketplace/live/lot_region.html", takes_context=True)
def lot_live_region(context, lot) -> dict:
    live = live_lot(lot.pk, user=context["request"].user, fresh=True)
    if live is None:
        return {"live": None}
    return live.context()
