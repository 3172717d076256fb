"""The craftsmen index's filters: title (a level of the pyramid or a distinction), trade, and
the employer's district and industry.

Every filter narrows the published craftsmen and joins at most one row per craftsman (the
employer and its industry), so nobody appears twice. A value that is not one of the choices is
a form error, shown above an empty list, never an exception.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.choices import District
from craftsmen.choices import Distinction, Level, Trade
from craftsmen.models import Craftsman
from craftsmen.selectors import craftsmen_for_listing
from innovations.models import Industry

TITLE_CHOICES = [
    (_("Level"), Level.choices),
    (_("Distinction"), Distinction.choices),
]


class CraftsmanFilter(django_filters.FilterSet):
    title = django_filters.ChoiceFilter(
        label=_("Honorary title"),
        choices=TITLE_CHOICES,
        method="filter_title",
        empty_label=_("Any"),
    )
    trade = django_filters.ChoiceFilter(
        label=_("Trade"), choices=Trade.choices, empty_label=_("Any")
    )
    district = django_filters.ChoiceFilter(
        label=_("District"),
        field_name="employer__district",
        choices=District.choices,
        empty_label=_("Any"),
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"),
        field_name="employer__industry",
        queryset=Industry.objects.all(),
        to_field_name="slug",
        empty_label=_("Any"),
    )

    class Meta:
        model = Craftsman
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = craftsmen_for_listing()
        super().__init__(data, queryset, request=request, prefix=prefix)

    def filter_title(self, queryset, name, value):
        if value in Level.values:
            return queryset.filter(level=value)
        return queryset.filter(**{f"is_{Distinction(value).value}": True})
