"""Excerpts of search results with the searched words marked.

Safety: the text is split at the matches and every piece — matched or not — is HTML-escaped
before ``<mark>`` is put around the matched ones, so nothing from a page, an innovation or the
query can become markup.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EXCERPT_LENGTH = 160
CONTEXT_BEFORE = 40
# Within this many characters, an excerpt starts after a space rather than inside a word.
WORD_SNAP = 15
ELLIPSIS = "…"


def terms_pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    # Longest first, so "上海工匠" is marked whole rather than as "上海" when both are searched.
    alternatives = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in alternatives), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    if pattern is None:
        return escape(text)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


def excerpt(text: str, pattern: re.Pattern | None) -> SafeString:
    """About EXCERPT_LENGTH characters of text around the first match (its start when nothing
    matches: the match was in the title), with the matches marked."""
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - CONTEXT_BEFORE) if match else 0
    if start:
        space = text.find(" ", start, min(start + WORD_SNAP, match.start()))
        if space != -1:
            start = space + 1
    end = min(len(text), start + EXCERPT_LENGTH)
    marked = highlight(text[start:end], pattern)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(f"{prefix}{marked}{suffix}")  # noqa: S308 - marked is escaped
