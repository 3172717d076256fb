"""Keeping ``SearchDocument`` — the plain text of every live page — in step with the pages.

Which text of a page is searchable, for any page type (no page class needs to know about this
app):

- every ``index.SearchField`` in the class's ``search_fields`` (and those inside an
  ``index.RelatedFields``), the contract Wagtail itself indexes;
- every text field the page type adds to ``Page``: ``StreamField`` and ``RichTextField``
  through their own ``get_searchable_content()`` (HTML and JSON removed), ``CharField`` and
  ``TextField`` as they are (not slugs, URLs, email addresses or fields with choices), and tag
  names. A page type leaves a field out by naming it in a ``sitesearch_exclude_fields`` tuple.

The title has its own column (results that match it rank first). Privacy is not decided here:
a page that gains or loses a view restriction keeps its row and the search filters it out when
it runs, so a restriction takes effect at once without re-indexing.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from taggit.managers import TaggableManager
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText, get_text_for_indexing
from wagtail.search import index

from sitesearch.models import SearchDocument

# Text fields that hold addresses or codes rather than prose.
NOT_PROSE = (models.SlugField, models.URLField, models.EmailField)
REBUILD_DELETE_BATCH = 500


def _as_strings(value) -> list[str]:
    """Flatten what a field or a search field gives (a string, a list of strings, related
    objects, a manager) into strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, RichText):
        return [get_text_for_indexing(value.source)]
    if isinstance(value, models.Manager):
        value = value.all()
    if isinstance(value, models.Model):
        return [str(value)]
    if isinstance(value, Iterable):
        return [string for item in value for string in _as_strings(item)]
    return [str(value)]


def _search_field_text(obj, search_field: index.SearchField) -> list[str]:
    return _as_strings(search_field.get_value(obj))


def _related_fields_text(obj, related: index.RelatedFields) -> list[str]:
    value = getattr(obj, related.field_name, None)
    if value is None:
        return []
    related_objects = value.all() if isinstance(value, models.Manager) else [value]
    pieces = []
    for related_object in related_objects:
        for inner in related.fields:
            if isinstance(inner, index.SearchField):
                pieces.extend(_search_field_text(related_object, inner))
    return pieces


def _own_field_text(page: Page, field) -> list[str]:
    if isinstance(field, TaggableManager):
        return [tag.name for tag in getattr(page, field.name).all()]
    if isinstance(field, (StreamField, RichTextField)):
        return _as_strings(field.get_searchable_content(field.value_from_object(page)))
    if isinstance(field, (models.CharField, models.TextField)):
        if isinstance(field, NOT_PROSE) or field.choices:
            return []
        return _as_strings(field.value_from_object(page))
    return []


def page_text(page: Page) -> str:
    """The searchable text of a page (a specific instance), whitespace collapsed, without its
    title."""
    page_class = type(page)
    excluded = {"title", *getattr(page_class, "sitesearch_exclude_fields", ())}
    pieces: list[str] = []
    done: set[str] = set()
    for search_field in page_class.get_search_fields():
        name = search_field.field_name
        if name in excluded or name in done:
            continue
        if isinstance(search_field, index.RelatedFields):
            pieces.extend(_related_fields_text(page, search_field))
            done.add(name)
        elif isinstance(search_field, index.SearchField):
            pieces.extend(_search_field_text(page, search_field))
            done.add(name)
    for field in page_class._meta.get_fields():
        # Page's own fields (slug, SEO title, …) are not the page's content.
        if getattr(field, "model", None) is Page or field.name in excluded or field.name in done:
            continue
        pieces.extend(_own_field_text(page, field))
        done.add(field.name)
    return " ".join(" ".join(piece.split()) for piece in pieces if piece and piece.strip())


def _is_indexable(page: Page) -> bool:
    # A page outside every site (or the tree's root) has no URL to show.
    return page.live and page.depth > 1 and page.get_url_parts() is not None


@dataclass(frozen=True)
class _Row:
    language_code: str
    title: str
    text: str
    published_at: object

    @classmethod
    def of(cls, page: Page, *, language_code: str) -> "_Row":
        return cls(
            language_code=language_code,
            title=page.title,
            text=page_text(page),
            published_at=page.last_published_at or page.first_published_at,
        )

    @classmethod
    def of_document(cls, document: SearchDocument) -> "_Row":
        return cls(
            language_code=document.language_code,
            title=document.title,
            text=document.text,
            published_at=document.published_at,
        )


def page_index(*, page: Page) -> SearchDocument | None:
    """Write the page's row from its live (published) content, or remove the row when the page
    is not live or has no URL. Called when a page is published; safe to call again."""
    page = page.specific
    if not _is_indexable(page):
        page_unindex(page_id=page.pk)
        return None
    row = _Row.of(page, language_code=page.locale.language_code)
    document, _ = SearchDocument.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "language_code": row.language_code,
            "title": row.title,
            "text": row.text,
            "published_at": row.published_at,
        },
    )
    return document


def page_unindex(*, page_id: int) -> None:
    """Remove the page's row (unpublished, expired). A deleted page's row goes with it (the
    foreign key cascades)."""
    SearchDocument.objects.filter(page_id=page_id).delete()


@dataclass(frozen=True)
class RebuildResult:
    created: int
    updated: int
    deleted: int
    unchanged: int


def documents_rebuild() -> RebuildResult:
    """Make the rows exactly the live pages' current text: create the missing, rewrite the
    changed, delete the rest. Running it again changes nothing. For pages written without a
    publish signal (data migrations, the demo seeder, an index lost or changed in format)."""
    with transaction.atomic():
        language_codes = dict(Locale.objects.values_list("pk", "language_code"))
        existing = {document.page_id: document for document in SearchDocument.objects.all()}
        to_create, to_update, unchanged = [], [], 0
        now = timezone.now()
        pages = Page.objects.live().filter(depth__gt=1).specific()
        for page in pages.iterator(chunk_size=200):
            if not _is_indexable(page):
                continue
            row = _Row.of(page, language_code=language_codes[page.locale_id])
            document = existing.pop(page.pk, None)
            if document is None:
                to_create.append(SearchDocument(page_id=page.pk, updated_at=now, **vars(row)))
            elif _Row.of_document(document) != row:
                for name, value in vars(row).items():
                    setattr(document, name, value)
                document.updated_at = now
                to_update.append(document)
            else:
                unchanged += 1
        SearchDocument.objects.bulk_create(to_create, batch_size=200)
        SearchDocument.objects.bulk_update(
            to_update, ["language_code", "title", "text", "published_at", "updated_at"], 200
        )
        stale = sorted(existing)
        for start in range(0, len(stale), REBUILD_DELETE_BATCH):
            batch = stale[start : start + REBUILD_DELETE_BATCH]
            SearchDocument.objects.filter(page_id__in=batch).delete()
    return RebuildResult(
        created=len(to_create), updated=len(to_update), deleted=len(stale), unchanged=unchanged
    )
