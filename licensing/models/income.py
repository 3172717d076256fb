from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from licensing.choices import IncomeKind

MONEY = {"max_digits": 14, "decimal_places": 2}


class IncomeRecord(models.Model):
    """Money received under an agreement (upfront, royalty, milestone), shared when recorded.

    Written only by licensing.services.income, with its ledger posting and its SharingEvent in
    the same transaction. The bank reference is unique per agreement, so the same transfer
    cannot be recorded twice.
    """

    agreement = models.ForeignKey(
        "licensing.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="income_records",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IncomeKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("bank or statement reference"), max_length=100)
    note = models.CharField(_("note"), max_length=300, blank=True)
    sharing_event = models.OneToOneField(
        "licensing.SharingEvent",
        verbose_name=_("sharing statement"),
        on_delete=models.PROTECT,
        related_name="income_record",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "reference"], name="income_reference_once_per_agreement"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="income_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class IncomeReversal(models.Model):
    """Income recorded by mistake, taken back: never an edit or a delete of the record, but a
    reversing ledger transaction and a reversing sharing statement (negative lines).

    Written only by licensing.services.income_reversals.
    """

    income = models.OneToOneField(
        IncomeRecord,
        verbose_name=_("income record"),
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.CharField(_("reason"), max_length=300)
    sharing_event = models.OneToOneField(
        "licensing.SharingEvent",
        verbose_name=_("reversing statement"),
        on_delete=models.PROTECT,
        related_name="income_reversal",
    )
    ledger_transaction = models.OneToOneField(
        "marketplace.LedgerTransaction", on_delete=models.PROTECT, related_name="+"
    )
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reversed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reversed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("income reversal")
        verbose_name_plural = _("income reversals")

    def __str__(self) -> str:
        return f"{self.income} ↩"
