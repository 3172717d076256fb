from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from cms.countdown import session_countdown
from cms.models.innovation_choice import InnovationChoice
from cms.models.news import NewsPage
from craftsmen.selectors import craftsmen_for_listing
from marketplace.catalogue_queries import current_or_next_session
from marketplace.goal_queries import goal_progress

LATEST_NEWS_COUNT = 4


class HomePage(Page):
    """The site's front page. The editors write the text and choose the featured items; the
    session countdown and the goal figure are live."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("featured_innovations", label=_("Featured innovations"), max_num=6),
        InlinePanel("featured_craftsmen", label=_("Featured craftsmen"), max_num=6),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.ContentPage",
        "cms.NewsIndexPage",
        "cms.CraftsmanIndexPage",
        "cms.ShowcaseIndexPage",
        "cms.AuctionSessionIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def featured_innovation_list(self):
        """The featured innovations still approved, in the editors' order."""
        # Imported here: the filters module builds querysets, which models cannot do at import.
        from innovations.selectors import public_innovations_in_order

        return public_innovations_in_order(
            [i.innovation_id for i in self.featured_innovations.all()]
        )

    def featured_craftsman_list(self):
        """The featured craftsmen still published, in the editors' order, with the index page
        their profiles live under; none without a live index page in this language."""
        from cms.models.craftsmen import CraftsmanIndexPage

        index = CraftsmanIndexPage.objects.live().public().child_of(self).first()
        chosen = [item.craftsman_id for item in self.featured_craftsmen.all()]
        if index is None or not chosen:
            return None, []
        by_pk = {
            craftsman.pk: craftsman for craftsman in craftsmen_for_listing().filter(pk__in=chosen)
        }
        return index, [by_pk[pk] for pk in chosen if pk in by_pk]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Articles of every news index (and the forum) under this home, so only this language.
        context["latest_news"] = (
            NewsPage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-date", "-pk")[:LATEST_NEWS_COUNT]
        )
        context["featured_innovations"] = self.featured_innovation_list()
        context["craftsman_index"], context["featured_craftsmen"] = self.featured_craftsman_list()
        context["countdown"] = session_countdown(current_or_next_session(), timezone.now())
        context["goal"] = goal_progress()
        return context


class HomeFeaturedInnovation(InnovationChoice):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_innovations")

    class Meta(InnovationChoice.Meta):
        verbose_name = _("featured innovation")
        verbose_name_plural = _("featured innovations")


class HomeFeaturedCraftsman(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_craftsmen")
    craftsman = models.ForeignKey(
        "craftsmen.Craftsman",
        verbose_name=_("craftsman"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"is_published": True},
    )

    panels = [FieldPanel("craftsman")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured craftsman")
        verbose_name_plural = _("featured craftsmen")
