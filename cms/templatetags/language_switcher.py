from django import template
from django.conf import settings
from django.utils import translation

from cms.translation_urls import url_in_language

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Plain links to this page in each language: no script, and each language has its own URL."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    return {
        "languages": [
            {
                "code": code,
                "name": name,
                "url": url_in_language(request, page, code),
                "is_current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    }
