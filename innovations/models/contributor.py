from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Contributor(models.Model):
    """One inventor and their contribution share; the shares of an innovation sum to 100."""

    innovation = models.ForeignKey(
        "innovations.Innovation",
        verbose_name=_("innovation"),
        on_delete=models.CASCADE,
        related_name="contributors",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker account"),
        on_delete=models.PROTECT,
        related_name="contributions",
        null=True,
        blank=True,
    )
    # Kept for people without an account, and as written at the time for those with one.
    name = models.CharField(_("name"), max_length=100)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share__gt=Decimal("0")) & models.Q(share__lte=Decimal("100")),
                name="contributor_share_between_0_and_100",
            ),
            models.UniqueConstraint(
                fields=["innovation", "user"],
                condition=models.Q(user__isnull=False),
                name="contributor_once_per_innovation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.share}%)"
