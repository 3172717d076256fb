"""Reads for the craftsmen pages: the pyramid's counts, the listing, one profile.

Each costs a fixed number of queries whatever the number of craftsmen: related rows are
joined or prefetched, and portraits come with their renditions at the size the page shows.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from wagtail.images import get_image_model

from craftsmen.choices import Distinction, Level
from craftsmen.models import Craftsman
from innovations.models import Innovation

# The renditions the templates ask for: keep them in step with templates/cms/craftsman_*.html.
CARD_PORTRAIT = "fill-240x300"
PROFILE_PORTRAIT = "fill-480x600"

LEVEL_RANK = Case(
    *(When(level=level, then=Value(rank)) for rank, level in enumerate(Level.values)),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class PyramidTier:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Pyramid:
    levels: list[PyramidTier]  # top (上海工匠) to bottom
    distinctions: list[PyramidTier]

    @property
    def total(self) -> int:
        return sum(tier.count for tier in self.levels)


def craftsman_pyramid() -> Pyramid:
    """Published craftsmen per level and per distinction, in one query."""
    counts = Craftsman.objects.published().aggregate(
        **{level.value: Count("pk", filter=Q(level=level)) for level in Level},
        **{
            distinction.value: Count("pk", filter=Q(**{f"is_{distinction.value}": True}))
            for distinction in Distinction
        },
    )
    return Pyramid(
        levels=[PyramidTier(level.value, level.label, counts[level.value]) for level in Level],
        distinctions=[
            PyramidTier(distinction.value, distinction.label, counts[distinction.value])
            for distinction in Distinction
        ],
    )


def _portraits(spec: str) -> Prefetch:
    return Prefetch("portrait", queryset=get_image_model().objects.prefetch_renditions(spec))


def craftsmen_for_listing() -> QuerySet[Craftsman]:
    """Published craftsmen with what a card shows, top of the pyramid first, then by name."""
    return (
        Craftsman.objects.published()
        .select_related("employer")
        .prefetch_related(_portraits(CARD_PORTRAIT))
        .order_by(LEVEL_RANK, "name_en", "pk")
    )


def craftsman_profile(*, slug: str) -> Craftsman | None:
    """A published craftsman with employer, portrait, honours, studio and approved
    innovations (newest decision first); None for an unknown or hidden one."""
    return (
        Craftsman.objects.published()
        .select_related("employer", "employer__industry", "studio")
        .prefetch_related(
            _portraits(PROFILE_PORTRAIT),
            "honours",
            Prefetch(
                "innovations",
                queryset=Innovation.objects.public().order_by("-decided_at", "-pk"),
                to_attr="public_innovations",
            ),
        )
        .filter(slug=slug)
        .first()
    )
