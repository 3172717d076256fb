from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from cms.innovation_chooser import innovation_chooser_viewset


class InnovationChoice(Orderable):
    """An innovation an editor picked for a page (featured on the home page, pinned on a
    showcase page), in the editors' order. Subclasses add the ParentalKey to their page."""

    innovation = models.ForeignKey(
        "innovations.Innovation",
        verbose_name=_("innovation"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("innovation", widget=innovation_chooser_viewset.widget_class)]

    class Meta(Orderable.Meta):
        abstract = True
