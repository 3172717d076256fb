"""The craftsmen's index (上海工匠 and the pyramid below them) and, under it, one profile per
person. The people are plain data (craftsmen.Craftsman), edited by staff in the admin; this page
only holds the editorial introduction and shows that data."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Page


class CraftsmanIndexPage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("craftsmen index page")
