"""Reads of innovations for pages: one place for the joins and prefetches."""

from django.db.models import Prefetch, QuerySet

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
