"""The blocks editors build page bodies from: headings, paragraphs, quotations and images.

Images use Wagtail's ImageBlock, which refuses an image without alt text unless the editor
marks it decorative; the template serves a rendition no wider than the text column."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

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
    image = ImageBlock(label=_("image"), template="cms/blocks/image.html")

    class Meta:
        label = _("body")
