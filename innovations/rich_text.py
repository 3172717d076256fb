"""The public submission form's rich-text description: what HTML survives, and when it is empty.

Anyone can submit the form and staff read the result in the Wagtail admin and on public pages,
so the allow-list is short and explicit: text structure only, links to the web or to an e-mail
address, and no attributes that could carry script or styling.
"""

import html

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = frozenset(
    {"p", "br", "h2", "h3", "h4", "blockquote", "pre"}
    | {"strong", "b", "em", "i", "u", "s", "sub", "sup", "code", "a"}
    | {"ul", "ol", "li"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)

# These go with everything inside them: their text is code or markup, never the author's prose.
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript"}
)

ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_ALLOWED_HREF_PREFIXES = tuple(f"{scheme}:" for scheme in sorted(ALLOWED_URL_SCHEMES))

BLANK_MESSAGE = _(
    "Please describe your innovation: what problem it solves and how. The description is empty."
)

# nofollow: a public form is a target for link spam, and we should not lend it our ranking.
LINK_REL = "noopener noreferrer nofollow"

# Characters that editors leave behind in "empty" paragraphs and that str.strip() keeps.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def _keep_absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    # nh3 has already removed hrefs with other schemes; it lets relative URLs through, and a
    # relative or protocol-relative ("//host") link from the public means nothing on our pages.
    if tag == "a" and attribute == "href":
        return value if value.strip().lower().startswith(_ALLOWED_HREF_PREFIXES) else None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={"a": {"href"}},
    attribute_filter=_keep_absolute_links_only,
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)

_text_only = nh3.Cleaner(tags=set(), clean_content_tags=set(_DROPPED_WITH_CONTENT))


def clean_rich_text(html_fragment: str) -> str:
    """The fragment with everything outside the allow-list removed; safe to render unescaped."""
    return _cleaner.clean(html_fragment)


def rich_text_is_blank(html_fragment: str) -> bool:
    """True when nothing but tags, whitespace and &nbsp; remains: the author wrote no text."""
    text = html.unescape(_text_only.clean(html_fragment))
    return not text.translate(_INVISIBLE).strip()


def validate_rich_text_has_text(html_fragment: str) -> None:
    """Django field validator for the description: refuse one with no text in it."""
    if rich_text_is_blank(html_fragment):
        raise ValidationError(BLANK_MESSAGE, code="rich_text_blank")
