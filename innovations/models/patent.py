from django.db import models
from django.utils.translation import gettext_lazy as _

from innovations.choices import PatentKind, PatentStatus


class Patent(models.Model):
    """A Chinese patent or application. One patent belongs to at most one innovation."""

    innovation = models.ForeignKey(
        "innovations.Innovation",
        verbose_name=_("innovation"),
        on_delete=models.CASCADE,
        related_name="patents",
    )
    # Canonical form from innovations.patent_numbers.normalize_patent_number, so the unique
    # constraint catches the same patent written two ways.
    number = models.CharField(_("application or patent number"), max_length=20, unique=True)
    kind = models.CharField(_("patent type"), max_length=20, choices=PatentKind.choices)
    status = models.CharField(_("legal status"), max_length=20, choices=PatentStatus.choices)
    filing_date = models.DateField(_("filing date"))
    grant_date = models.DateField(_("grant date"), null=True, blank=True)
    holders = models.CharField(_("patent holders"), max_length=300)

    class Meta:
        ordering = ["filing_date", "id"]
        verbose_name = _("patent")
        verbose_name_plural = _("patents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grant_date__isnull=True)
                | models.Q(grant_date__gte=models.F("filing_date")),
                name="patent_granted_after_filing",
            ),
        ]

    def __str__(self) -> str:
        return self.number
