"""The site search: live public pages of one language and approved innovations, by substring.

A substring match (``icontains``: ``LIKE`` on SQLite, ``UPPER(…) LIKE UPPER(…)`` on PostgreSQL)
finds 工匠 inside 他是一名优秀的上海工匠代表 on both databases, where word-based full-text
search does not. A query of several words separated by spaces finds what contains every word
(in the title or the text); results whose title holds every word come first, then the newest.
Pages and innovations are one ``UNION`` so they page and rank together.
"""

from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction

from innovations.models import Innovation
from sitesearch.excerpts import excerpt, highlight, terms_pattern
from sitesearch.models import SearchDocument

MAX_TERMS = 10
KIND_PAGE = 1
KIND_INNOVATION = 2
KIND_LABELS = {KIND_PAGE: _("Page"), KIND_INNOVATION: _("Worker innovation")}
RESULT_COLUMNS = ("kind", "object_id", "hit_title", "hit_text", "rank", "hit_date")


def search_terms(query: str) -> list[str]:
    """The words of the query (split at spaces), each once, at most MAX_TERMS."""
    return list(dict.fromkeys(query.split()))[:MAX_TERMS]


def _all_terms_in(terms: list[str], *fields: str) -> Q:
    """Every term is in at least one of the fields."""
    return reduce(
        and_, (reduce(Q.__or__, (Q(**{f"{name}__icontains": t}) for name in fields)) for t in terms)
    )


def _title_first(terms: list[str], title_field: str) -> Case:
    return Case(
        When(_all_terms_in(terms, title_field), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def _page_hits(terms: list[str], language_code: str):
    # A view restriction on the page or an ancestor hides it, checked in the same query so a
    # restriction counts from the moment it is saved.
    restricted = PageViewRestriction.objects.filter(
        StartsWith(OuterRef("page__path"), F("page__path"))
    )
    return (
        SearchDocument.objects.filter(language_code=language_code, page__live=True)
        .filter(~Exists(restricted))
        .filter(_all_terms_in(terms, "title", "text"))
        .annotate(
            kind=Value(KIND_PAGE, output_field=IntegerField()),
            object_id=F("page_id"),
            hit_title=F("title"),
            hit_text=F("text"),
            rank=_title_first(terms, "title"),
            hit_date=Coalesce("published_at", "updated_at"),
        )
        .values(*RESULT_COLUMNS)
        .order_by()
    )


def _innovation_hits(terms: list[str]):
    return (
        Innovation.objects.public()
        .filter(_all_terms_in(terms, "title", "summary"))
        .annotate(
            kind=Value(KIND_INNOVATION, output_field=IntegerField()),
            object_id=F("pk"),
            hit_title=F("title"),
            hit_text=F("summary"),
            rank=_title_first(terms, "title"),
            hit_date=Coalesce("decided_at", "created_at"),
        )
        .values(*RESULT_COLUMNS)
        .order_by()
    )


def site_search(*, query: str, language_code: str):
    """An ordered queryset of result rows (dicts of RESULT_COLUMNS) for a cleaned, non-empty
    query; pages only of ``language_code`` (innovations have one text for both languages)."""
    terms = search_terms(query)
    return (
        _page_hits(terms, language_code)
        .union(_innovation_hits(terms), all=True)
        .order_by("rank", "-hit_date", "kind", "-object_id")
    )


@dataclass(frozen=True)
class SearchResult:
    kind_label: str
    url: str | None
    title: SafeString
    excerpt: SafeString


def results_for_display(rows, *, query: str, request) -> list[SearchResult]:
    """One page of rows as results: URL, title and excerpt with the terms marked. One query for
    the pages' URLs, whatever the number of rows."""
    pattern = terms_pattern(search_terms(query))
    page_ids = [row["object_id"] for row in rows if row["kind"] == KIND_PAGE]
    pages = Page.objects.only("id", "url_path", "locale_id").in_bulk(page_ids) if page_ids else {}
    results = []
    for row in rows:
        if row["kind"] == KIND_PAGE:
            page = pages.get(row["object_id"])
            url = page.get_url(request) if page else None
        else:
            url = reverse("innovations:detail", args=[row["object_id"]])
        results.append(
            SearchResult(
                kind_label=KIND_LABELS[row["kind"]],
                url=url,
                title=highlight(row["hit_title"], pattern),
                excerpt=excerpt(row["hit_text"], pattern),
            )
        )
    return results
