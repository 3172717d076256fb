"""Append-only rows: the ORM refuses to rewrite them in bulk, whatever path asks.

Ledger postings and accepted bids are records of what happened; a mistake is corrected by a
new row (a reversing posting), never by editing an old one. Each model's own save()/delete()
refuse single-row changes; this QuerySet refuses update/bulk_update/delete, which admin actions
and related managers would otherwise reach. On PostgreSQL, triggers refuse raw SQL too.
"""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    # The domain error raised on a refused change; subclasses name their own.
    immutable_error: type[Exception]

    def update(self, **kwargs):
        raise self.immutable_error()

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        raise self.immutable_error()

    bulk_update.alters_data = True

    def delete(self):
        raise self.immutable_error()

    delete.alters_data = True
    delete.queryset_only = True
