"""The five-small showcase (五小创新成果展示): an index and one page per category.

Each category page holds the editors' text and their pinned innovations; the list below them is
live: the approved innovations of that category, filterable like the public listing. The
innovations themselves stay in the innovations app; the page only points at them.
"""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.blocks import BodyBlock
from cms.models.innovation_choice import InnovationChoice
from innovations.choices import Category
from innovations.models import Innovation

INNOVATIONS_PER_PAGE = 12


class ShowcaseIndexPage(Page):
    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ShowcaseCategoryPage"]

    class Meta:
        verbose_name = _("five-small showcase index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        counts = dict(
            Innovation.objects.public()
            .order_by()
            .values_list("category")
            .annotate(count=Count("pk"))
        )
        categories = ShowcaseCategoryPage.objects.live().public().child_of(self).order_by("path")
        context["categories"] = [(page, counts.get(page.category, 0)) for page in categories]
        return context


class ShowcaseCategoryPage(Page):
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("category"),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("pins", label=_("Pinned innovations"), max_num=12),
    ]

    parent_page_types = ["cms.ShowcaseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("five-small category page")

    def pinned_innovations(self) -> list[Innovation]:
        """The pinned innovations still approved and still of this category, in the editors'
        order (an innovation pinned before it changed category is left out, not shown wrongly)."""
        # Imported here: the filters module builds querysets, which models cannot do at import.
        from innovations.selectors import public_innovations_in_order

        pinned_ids = [pin.innovation_id for pin in self.pins.all()]
        return public_innovations_in_order(pinned_ids, category=self.category)

    def get_context(self, request, *args, **kwargs):
        from innovations.filters import CategoryInnovationFilter, filter_query_of

        context = super().get_context(request, *args, **kwargs)
        pinned = self.pinned_innovations()
        innovation_filter = CategoryInnovationFilter(request.GET, category=self.category)
        if innovation_filter.is_valid():
            # The pinned ones are already on top; the list does not repeat them.
            results = innovation_filter.qs.exclude(pk__in=[i.pk for i in pinned])
        else:
            results = innovation_filter.queryset.none()
        context.update(
            pinned=pinned,
            form=innovation_filter.form,
            page_obj=Paginator(results, INNOVATIONS_PER_PAGE).get_page(request.GET.get("page")),
            filter_query=filter_query_of(request.GET, innovation_filter.form.fields),
        )
        return context


class ShowcasePin(InnovationChoice):
    page = ParentalKey(ShowcaseCategoryPage, on_delete=models.CASCADE, related_name="pins")

    class Meta(InnovationChoice.Meta):
        verbose_name = _("pinned innovation")
        verbose_name_plural = _("pinned innovations")
