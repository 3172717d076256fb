"""The public listing's filters: what a visitor may narrow approved innovations by, and how.

Only approved innovations are ever in the queryset; every filter narrows that set and none can
widen it. Filters on other tables use EXISTS subqueries or a join that matches at most one row
per innovation, so an innovation never appears twice and the page count stays right.
"""

import django_filters
from django import forms
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from innovations.choices import Category, PatentStatus, TechnicalField, Tier
from innovations.models import Industry, Innovation, Patent

NEWEST = "newest"
BENEFIT = "benefit"
ORDERINGS = {
    # The primary key breaks ties, so a page boundary never splits or repeats an innovation.
    NEWEST: (F("decided_at").desc(nulls_last=True), F("pk").desc()),
    BENEFIT: (
        F("expected_benefit").desc(nulls_last=True),
        F("decided_at").desc(nulls_last=True),
        F("pk").desc(),
    ),
}


def _patents_of_outer_innovation() -> QuerySet[Patent]:
    return Patent.objects.filter(innovation=OuterRef("pk")).order_by()


def _granted_patent_exists() -> Exists:
    return Exists(_patents_of_outer_innovation().filter(status=PatentStatus.GRANTED))


def public_innovations_for_listing() -> QuerySet[Innovation]:
    """Approved innovations with everything a listing card shows, newest decision first.

    A fixed number of queries whatever the page size: the employer is joined, industries are
    one prefetch, and the patent figures are correlated subqueries rather than a join, so they
    cannot multiply rows or interact with the filters' joins.
    """
    patent_count = (
        _patents_of_outer_innovation().values("innovation").annotate(count=Count("pk"))
    ).values("count")
    return (
        Innovation.objects.public()
        .select_related("employer")
        .prefetch_related("industries")
        .annotate(
            patent_count=Coalesce(Subquery(patent_count, output_field=IntegerField()), 0),
            has_granted_patent=_granted_patent_exists(),
        )
        .order_by(*ORDERINGS[NEWEST])
    )


class AnyYesNoSelect(forms.NullBooleanSelect):
    """Any / Yes / No, where "Any" sends an empty value and leaves the filter off."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]

    def format_value(self, value):
        formatted = super().format_value(value)
        return "" if formatted == "unknown" else formatted


def _employers_with_public_innovations() -> QuerySet[Enterprise]:
    # Listing every enterprise would reveal who has only drafts or rejected work.
    return Enterprise.objects.filter(
        Exists(Innovation.objects.public().filter(employer=OuterRef("pk")))
    )


class PublicInnovationFilter(django_filters.FilterSet):
    """Filters for the public listing, read from the query string.

    An invalid value (an unknown category, a non-numeric employer) becomes a form error
    rather than an exception; `is_valid()` says whether the whole request was understood.
    """

    q = django_filters.CharFilter(
        label=_("Search titles and summaries"),
        method="filter_text",
        max_length=100,
        widget=forms.SearchInput,
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=_("Any")
    )
    technical_field = django_filters.ChoiceFilter(
        label=_("Technical field"), choices=TechnicalField.choices, empty_label=_("Any")
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"),
        queryset=Industry.objects.all(),
        to_field_name="slug",
        method="filter_industry",
        empty_label=_("Any"),
    )
    tier = django_filters.ChoiceFilter(
        label=_("Incubation tier"), choices=Tier.choices, empty_label=_("Any")
    )
    has_granted_patent = django_filters.BooleanFilter(
        label=_("Has a granted patent"), method="filter_granted_patent", widget=AnyYesNoSelect
    )
    employer = django_filters.ModelChoiceFilter(
        label=_("Employer"),
        queryset=_employers_with_public_innovations(),
        empty_label=_("Any"),
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(NEWEST, _("Newest first")), (BENEFIT, _("Highest expected benefit"))],
        empty_label=None,
        method="order",
    )

    class Meta:
        model = Innovation
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = public_innovations_for_listing()
        super().__init__(data, queryset, request=request, prefix=prefix)

    def filter_text(self, queryset, name, value):
        # icontains is LIKE on SQLite and UPPER(...) LIKE UPPER(...) on PostgreSQL: both find
        # a Chinese word anywhere in the text, with no word segmentation needed.
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))

    def filter_industry(self, queryset, name, value):
        # One through row per (innovation, industry), so this join cannot duplicate rows.
        return queryset.filter(industries=value)

    def filter_granted_patent(self, queryset, name, value):
        granted = _granted_patent_exists()
        return queryset.filter(granted if value else ~granted)

    def order(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])


class CategoryInnovationFilter(PublicInnovationFilter):
    """The public filters inside one five-small category (the showcase's category pages): the
    page fixes the category, so it is not offered as a filter."""

    def __init__(self, data=None, *, category: str, request=None, prefix=None):
        queryset = public_innovations_for_listing().filter(category=category)
        super().__init__(data, queryset, request=request, prefix=prefix)
        del self.filters["category"]


def filter_query_of(params: QueryDict, filter_names) -> QueryDict:
    """The filters that were set, for page links: no page number, no empty or unknown keys."""
    kept = QueryDict(mutable=True)
    for name in filter_names:
        value = params.get(name, "")
        if value:
            kept[name] = value
    return kept
