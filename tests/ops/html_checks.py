"""Reading a page's HTML for what a strict content security policy would block, and following
its links the way a visitor would."""

import re
from urllib.parse import urldefrag, urlsplit

from bs4 import BeautifulSoup

# Script elements with these types are data, never run, so CSP does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def csp_directives(header: str) -> dict[str, list[str]]:
    """'default-src 'self'; img-src 'self' data:' → {"default-src": ["'self'"], …}"""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def inline_code(html: str) -> list[str]:
    """Everything in the page that script-src 'self' / style-src 'self' would block."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.find_all("script"):
        script_type = (script.get("type") or "").strip().lower()
        if not script.get("src") and script_type not in DATA_SCRIPT_TYPES:
            found.append(f"inline script: {str(script)[:120]}")
    for style in soup.find_all("style"):
        found.append(f"<style> block: {str(style)[:120]}")
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            if attribute == "style":
                found.append(f"style attribute on <{element.name}>: {value!r}")
            elif attribute.startswith("on"):
                found.append(f"event handler {attribute} on <{element.name}>")
            elif attribute in {"href", "src", "action"} and re.match(
                r"\s*javascript:", str(value), re.I
            ):
                found.append(f"javascript: URL on <{element.name}>")
    return found


def same_site_links(html: str) -> list[str]:
    """The paths (with their query) of the page's links that stay on this site."""
    soup = BeautifulSoup(html, "html.parser")
    links = []
    for anchor in soup.find_all("a", href=True):
        href, _fragment = urldefrag(anchor["href"])
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links
