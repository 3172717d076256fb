"""Keep the search documents in step with publishing. Deleting a page needs no handler: its
document's foreign key cascades.

A failure to index must never stop an editor publishing: it is logged and the page's row is
left as it was (``rebuild_site_search`` repairs it). The savepoint keeps a failed write from
breaking the publishing transaction on PostgreSQL.
"""

import logging

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from sitesearch.services import indexing

logger = logging.getLogger(__name__)


@receiver(page_published, dispatch_uid="sitesearch_page_published")
def index_published_page(sender, instance, **kwargs):
    try:
        with transaction.atomic():
            indexing.page_index(page=instance)
    except Exception:
        logger.exception("Site search could not index page %s", instance.pk)


@receiver(page_unpublished, dispatch_uid="sitesearch_page_unpublished")
def unindex_unpublished_page(sender, instance, **kwargs):
    indexing.page_unindex(page_id=instance.pk)
