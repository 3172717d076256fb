"""The chooser editors use to pin or feature an innovation on a page: approved innovations only,
newest decision first, searchable by title (a substring match, so Chinese words are found)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

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


class InnovationChooserViewSet(ChooserViewSet):
    model = Innovation
    icon = "list-ul"
    choose_one_text = _("Choose an approved innovation")
    choose_another_text = _("Choose another innovation")
    choose_view_class = InnovationChooseView
    choose_results_view_class = InnovationChooseResultsView
    url_prefix = "innovation-chooser"
    # Only the pages' panels use it; other admin forms keep their own innovation fields.
    register_widget = False


innovation_chooser_viewset = InnovationChooserViewSet("innovation_chooser")
