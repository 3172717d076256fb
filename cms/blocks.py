"""The blocks editors build page bodies from. Text only for now: images, with alt text
required, come with the showcase and craftsman pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "h3", "h4", "hr"]


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("heading"),
        max_length=120,
        form_classname="title",
        template="cms/blocks/heading.html",
    )
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=RICH_TEXT_FEATURES)
    quote = blocks.BlockQuoteBlock(label=_("quotation"))

    class Meta:
        label = _("body")
