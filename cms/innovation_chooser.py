"""The chooser editors use to pin or feature an innovation on a page: approved innovations only,
newest decision first, searchable by title (a substring match, so Chinese words are found)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet

from innovations.forms import ID_PATTERN
from innovations.models import Innovation


class InnovationTitleFilterForm(BaseFilterForm):
    q = forms.CharField(label=_("Title contains"), max_length=100, required=False)

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(title__icontains=query)
        return objects


class ApprovedInnovationsMixin:
    filter_form_class = InnovationTitleFilterForm

    def get_object_list(self):
        return Innovation.objects.public().order_by("-decided_at", "-pk")

    @property
    def columns(self):
        return [
            *super().columns,
            Column("category", label=_("Category"), accessor="get_category_display"),
        ]


class InnovationChooseView(ApprovedInnovationsMixin, ChooseView):
    pass


class InnovationChooseResultsView(ApprovedInnovationsMixin, ChooseResultsView):
    pass


def _innovation_id(value: str) -> int | None:
    # Wagtail's generic views pass the URL's text straight to the ORM: "x" was a 500.
    return int(value) if ID_PATTERN.fullmatch(value) else None


class InnovationChosenView(ChosenView):
    """The chosen one: approved innovations only, like the list; anything else is a 404."""

    def get_object(self, pk):
        return Innovation.objects.public().get(pk=_innovation_id(str(pk)))


class InnovationChosenMultipleView(ChosenMultipleView):
    def get_objects(self, pks):
        ids = [_innovation_id(pk) for pk in pks]
        return Innovation.objects.public().filter(pk__in=[pk for pk in ids if pk is not None])


class InnovationChooserViewSet(ChooserViewSet):
    model = Innovation
    icon = "list-ul"
    choose_one_text = _("Choose an approved innovation")
    choose_another_text = _("Choose another innovation")
    choose_view_class = InnovationChooseView
    choose_results_view_class = InnovationChooseResultsView
    chosen_view_class = InnovationChosenView
    chosen_multiple_view_class = InnovationChosenMultipleView
    url_prefix = "innovation-chooser"
    # Only the pages' panels use it; other admin forms keep their own innovation fields.
    register_widget = False


innovation_chooser_viewset = InnovationChooserViewSet("innovation_chooser")
