"""The lot catalogue's filters: what a visitor may narrow the visible lots by, and how.

The queryset is marketplace.catalogue_queries.catalogue_lots(), so every filter narrows the
visible lots and none can widen them (the status choices cannot reach a draft). Filters on
the lot's innovations are EXISTS subqueries: a lot offering two matching innovations is still
one row, and the page count stays right.
"""

import django_filters
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from innovations.choices import Category, TechnicalField
from innovations.filters import AnyYesNoSelect
from innovations.models import Industry
from marketplace.catalogue_queries import (
    CLOSING_SOONEST,
    PUBLIC_SESSION_STATUSES,
    catalogue_lots,
    granted_patent_exists,
)
from marketplace.choices import LotStatus, RightType
from marketplace.models import AuctionSession, Lot, LotInnovation

CLOSING = "closing"
PRICE_LOW = "price_low"
PRICE_HIGH = "price_high"
MOST_BIDS = "bids"
ORDERINGS = {
    CLOSING: CLOSING_SOONEST,
    PRICE_LOW: (F("display_price").asc(), F("closes_at").asc(), F("pk").asc()),
    PRICE_HIGH: (F("display_price").desc(), F("closes_at").asc(), F("pk").asc()),
    MOST_BIDS: (F("bid_count").desc(), F("closes_at").asc(), F("pk").asc()),
}
# Withdrawn lots are visible (with their reason) and may be asked for; drafts are not offered.
PUBLIC_STATUS_CHOICES = [
    (status.value, status.label)
    for status in (LotStatus.PUBLISHED, LotStatus.SOLD, LotStatus.PASSED, LotStatus.WITHDRAWN)
]
# The largest price a lot may have is ¥10,000,000,000.00: 13 digits, 2 after the point.
PRICE_FIELD = {"min_value": 0, "max_digits": 14, "decimal_places": 2}


def _innovation_of_outer_lot_exists(**conditions) -> Exists:
    return Exists(LotInnovation.objects.filter(lot=OuterRef("pk"), **conditions))


class LotCatalogueFilter(django_filters.FilterSet):
    """Filters for the public lot catalogue, read from the query string.

    An invalid value (an unknown category, a price that is not a number) becomes a form error
    rather than an exception; `is_valid()` says whether the whole request was understood.
    """

    session = django_filters.ModelChoiceFilter(
        label=_("Auction session"),
        queryset=AuctionSession.objects.filter(status__in=PUBLIC_SESSION_STATUSES).order_by(
            "-bidding_start", "-pk"
        ),
        empty_label=_("Any"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=Category.choices,
        empty_label=_("Any"),
        method="filter_innovation_field",
    )
    technical_field = django_filters.ChoiceFilter(
        label=_("Technical field"),
        choices=TechnicalField.choices,
        empty_label=_("Any"),
        method="filter_innovation_field",
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"),
        queryset=Industry.objects.all(),
        to_field_name="slug",
        method="filter_industry",
        empty_label=_("Any"),
    )
    right_type = django_filters.ChoiceFilter(
        label=_("Right offered"), choices=RightType.choices, empty_label=_("Any")
    )
    price_min = django_filters.NumberFilter(
        label=_("Lowest price (yuan)"),
        field_name="display_price",
        lookup_expr="gte",
        **PRICE_FIELD,
    )
    price_max = django_filters.NumberFilter(
        label=_("Highest price (yuan)"),
        field_name="display_price",
        lookup_expr="lte",
        **PRICE_FIELD,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PUBLIC_STATUS_CHOICES, empty_label=_("Any")
    )
    has_granted_patent = django_filters.BooleanFilter(
        label=_("Has a granted patent"), method="filter_granted_patent", widget=AnyYesNoSelect
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            (CLOSING, _("Closing soonest")),
            (PRICE_LOW, _("Lowest price first")),
            (PRICE_HIGH, _("Highest price first")),
            (MOST_BIDS, _("Most bids first")),
        ],
        empty_label=None,
        method="order",
    )

    class Meta:
        model = Lot
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = catalogue_lots()
        super().__init__(data, queryset, request=request, prefix=prefix)

    def filter_innovation_field(self, queryset: QuerySet[Lot], name: str, value: str):
        return queryset.filter(_innovation_of_outer_lot_exists(**{f"innovation__{name}": value}))

    def filter_industry(self, queryset: QuerySet[Lot], name: str, value: Industry):
        return queryset.filter(_innovation_of_outer_lot_exists(innovation__industries=value))

    def filter_granted_patent(self, queryset: QuerySet[Lot], name: str, value: bool):
        granted = granted_patent_exists()
        return queryset.filter(granted if value else ~granted)

    def order(self, queryset: QuerySet[Lot], name: str, value: str):
        return queryset.order_by(*ORDERINGS[value])
