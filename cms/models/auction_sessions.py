"""The story of each auction session (拍卖会), told by the editors, beside its live data: a link
to its catalogue and, once bidding has closed, its results. The session itself (times, lots,
bids) is marketplace data; the page only points at it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.blocks import BodyBlock
from marketplace.catalogue_queries import PUBLIC_SESSION_STATUSES
from marketplace.results_queries import session_results


class AuctionSessionIndexPage(Page):
    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.AuctionSessionPage"]

    class Meta:
        verbose_name = _("auction sessions index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["session_pages"] = (
            AuctionSessionPage.objects.live()
            .public()
            .child_of(self)
            .filter(session__status__in=PUBLIC_SESSION_STATUSES)
            .select_related("session")
            .order_by("-session__bidding_start", "-pk")
        )
        return context


class AuctionSessionPage(Page):
    session = models.ForeignKey(
        "marketplace.AuctionSession",
        verbose_name=_("auction session"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("story"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("session"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    parent_page_types = ["cms.AuctionSessionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("auction session page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A draft session has no public catalogue: the page tells the story without a link.
        context["session_is_public"] = self.session.status in PUBLIC_SESSION_STATUSES
        context["results"] = session_results(self.session)
        return context
