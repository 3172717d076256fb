"""Reads of innovations for pages: one place for the joins and prefetches."""

from django.db.models import Prefetch, QuerySet

from innovations.filters import public_innovations_for_listing
from innovations.models import Contributor, Innovation, ReviewEvent


def innovations_of(user) -> QuerySet[Innovation]:
    """The user's own innovations and those they are a co-inventor on, newest first."""
    return (
        Innovation.objects.involving(user)
        .select_related("employer", "owner")
        .order_by("-created_at")
    )


def innovation_for_detail(pk: int) -> Innovation:
    return (
        Innovation.objects.select_related("employer", "owner")
        .prefetch_related(
            "industries",
            "patents",
            "attachments",
            Prefetch("contributors", queryset=Contributor.objects.select_related("user")),
            Prefetch("review_events", queryset=ReviewEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def public_innovations_in_order(pks: list[int], *, category: str | None = None) -> list:
    """The approved innovations among `pks` (optionally only those of one category), in the
    order of `pks`, with everything a listing card shows: the innovations editors pin or
    feature on pages. One that is no longer approved, or has moved category, drops out."""
    innovations = public_innovations_for_listing().filter(pk__in=pks)
    if category is not None:
        innovations = innovations.filter(category=category)
    by_pk = {innovation.pk: innovation for innovation in innovations}
    return [by_pk[pk] for pk in pks if pk in by_pk]
