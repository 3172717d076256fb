from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Industry(models.Model):
    """An industry tag. A managed list rather than free tags, so breakdowns add up."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_zh
