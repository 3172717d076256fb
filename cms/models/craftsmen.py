"""The craftsmen's index (上海工匠 and the pyramid below them) and, under it, one profile per
person. The people are plain data (craftsmen.Craftsman), edited by staff in the admin; this page
only holds the editorial introduction and shows that data."""

from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from craftsmen.filters import CraftsmanFilter
from craftsmen.selectors import craftsman_profile, craftsman_pyramid

CRAFTSMEN_PER_PAGE = 24


class CraftsmanIndexPage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("craftsmen index page")

    def get_context(self, request, *args, craftsman=None, **kwargs):
        """The pyramid, the filters and a page of craftsmen; or, from the profile route, just
        the craftsman (the profile shows no listing, so it does not pay for one)."""
        context = super().get_context(request, *args, **kwargs)
        if craftsman is not None:
            context["craftsman"] = craftsman
            return context

        craftsman_filter = CraftsmanFilter(request.GET)
        # An invalid filter shows its error and nobody: a list that quietly ignored part of
        # the request would look like the answer to it (as the innovations listing).
        if craftsman_filter.is_valid():
            results = craftsman_filter.qs
        else:
            results = craftsman_filter.queryset.none()
        page_obj = Paginator(results, CRAFTSMEN_PER_PAGE).get_page(request.GET.get("page"))
        filter_query = QueryDict(mutable=True)
        for name in craftsman_filter.form.fields:
            value = request.GET.get(name, "")
            if value:
                filter_query[name] = value[:100]
        context.update(
            pyramid=craftsman_pyramid(),
            form=craftsman_filter.form,
            page_obj=page_obj,
            filter_query=filter_query,
            selected_title=request.GET.get("title", ""),
        )
        return context

    @path("<slug:slug>/", name="craftsman")
    def craftsman_profile(self, request, slug):
        craftsman = craftsman_profile(slug=slug)
        if craftsman is None:
            raise Http404
        return self.render(request, template="cms/craftsman_profile.html", craftsman=craftsman)
