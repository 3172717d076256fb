"""The site search's own copy of every live page as plain text.

Why a copy: neither of Wagtail's database search indexes finds a Chinese word inside a longer
Chinese sentence (PostgreSQL's tsvector and SQLite's FTS5 both cut text at spaces, and Chinese
has none), and a StreamField body is stored as JSON, where Chinese may be \\u-escaped, so a
substring match on the page table is unreliable. Here each page is one row of plain text that a
substring match (``icontains``) reads the same way on both databases.

Rows are written only by ``sitesearch.services.indexing``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    # One row per page; deleting the page deletes its row. The page's URL is not copied: it is
    # worked out from the page when results are shown, so moving a page or renaming a parent's
    # slug needs no re-indexing.
    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    # The page's locale, so a search shows only pages of the language being read.
    language_code = models.CharField(_("language"), max_length=100, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return self.title
