"""Every sharing statement in the Wagtail admin: a read-only list, filtered by agreement, sale
and date, each row opening the statement with all its lines (staff see them all)."""

import django_filters
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView

from licensing.models import Agreement, SharingEvent
from marketplace.admin.base import NOT_SET, ShanghaiTimeColumn, YuanColumn
from marketplace.models import Sale

STATEMENTS_ICON = "list-ul"


def _label(name: str) -> str:
    return capfirst(SharingEvent._meta.get_field(name).verbose_name)


class SharingEventFilterSet(WagtailFilterSet):
    agreement = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Agreement"),
        queryset=lambda request: (
            Agreement.objects.filter(sharing_events__isnull=False).distinct().order_by("-id")
        ),
    )
    sale = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Auction sale"),
        queryset=lambda request: (
            Sale.objects.filter(sharing_events__isnull=False)
            .select_related("lot", "winner")
            .distinct()
            .order_by("-id")
        ),
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Shared between"), widget=DateRangePickerWidget
    )

    class Meta:
        model = SharingEvent
        fields = ["agreement", "sale", "created_at"]


class LotColumn(Column):
    def get_value(self, instance):
        if instance.sale_id is None:
            return NOT_SET
        lot = instance.sale.lot
        return _("Lot %(number)s") % {"number": lot.number} + f" {lot.title}"


class StatementKindColumn(Column):
    def get_value(self, instance):
        return _("Reversal") if instance.reverses_id else _("Sharing")


class SharingStatementIndexView(IndexView):
    add_url_name = None
    default_ordering = "-created_at"

    def get_base_queryset(self):
        return SharingEvent.objects.select_related("agreement", "sale__lot")

    @cached_property
    def columns(self):
        return [
            ShanghaiTimeColumn("created_at", label=_label("created_at"), sort_key="created_at"),
            TitleColumn(
                "source_label",
                label=_label("source_label"),
                get_url=lambda event: reverse("licensing:statement", args=(event.pk,)),
            ),
            StatementKindColumn("kind", label=_("Kind")),
            Column(
                "agreement",
                label=_label("agreement"),
                accessor=lambda event: event.agreement or NOT_SET,
            ),
            LotColumn("sale", label=_("Lot")),
            YuanColumn("amount", label=_label("amount"), sort_key="amount"),
        ]
