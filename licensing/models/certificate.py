from django.db import models
from django.utils.translation import gettext_lazy as _


class TransactionCertificate(models.Model):
    """The transaction certificate (交易鉴证) of a confirmed deal: one per agreement.

    Numbered SHWIE-<year>-<six digits>, sequential per year (licensing.services.certificates).
    The PDF is drawn from the agreement when downloaded; a signed agreement no longer changes.
    """

    agreement = models.OneToOneField(
        "licensing.Agreement", on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("transaction certificate")
        verbose_name_plural = _("transaction certificates")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="certificate_sequence"),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateCounter(models.Model):
    """The last sequence issued in a year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_sequence = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_sequence}"
