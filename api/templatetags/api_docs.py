from django import template

from api.docs import docs_asset_url

register = template.Library()


@register.simple_tag
def docs_asset(name: str) -> str:
    return docs_asset_url(name)
