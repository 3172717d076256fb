"""Payouts of what the platform owes workers and employers, single or in bank batches.

Written only by licensing.services.payouts: a payout marked paid posts Dr payable / Cr
clearing in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from licensing.choices import PayoutBatchStatus, PayoutStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


class PayoutProfile(models.Model):
    """Where a worker's or an employer's money is paid: one of `user` or `enterprise`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="payout_profile",
        null=True,
        blank=True,
    )
    enterprise = models.OneToOneField(
        "accounts.Enterprise",
        on_delete=models.CASCADE,
        related_name="payout_profile",
        null=True,
        blank=True,
    )
    bank_account_name = models.CharField(_("account holder"), max_length=100)
    bank_account_number = models.CharField(_("bank account number"), max_length=40)
    bank = models.CharField(_("bank and branch"), max_length=100)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payout profile")
        verbose_name_plural = _("payout profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, enterprise__isnull=True)
                | models.Q(user__isnull=True, enterprise__isnull=False),
                name="payout_profile_one_payee",
            ),
        ]

    def __str__(self) -> str:
        return self.bank_account_name


class PayoutBatch(models.Model):
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PayoutBatchStatus.choices,
        default=PayoutBatchStatus.OPEN,
    )
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")

    def __str__(self) -> str:
        return _("Payout batch %(pk)s") % {"pk": self.pk}


class Payout(models.Model):
    account = models.ForeignKey(
        "marketplace.LedgerAccount",
        verbose_name=_("payable account"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    payee_name = models.CharField(_("payee"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    batch = models.ForeignKey(
        PayoutBatch, on_delete=models.PROTECT, related_name="payouts", null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PayoutStatus.choices, default=PayoutStatus.PENDING
    )
    # The payee's bank details when the line was put in a bank batch (a copy of their
    # PayoutProfile, so the bank file does not change if they edit it later); blank for a
    # single payout staff made by hand.
    bank_account_name = models.CharField(_("account holder"), max_length=100, blank=True)
    bank_account_number = models.CharField(_("bank account number"), max_length=40, blank=True)
    bank = models.CharField(_("bank and branch"), max_length=100, blank=True)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    ledger_transaction = models.OneToOneField(
        "marketplace.LedgerTransaction",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount_positive"),
            models.UniqueConstraint(
                fields=["batch", "account"],
                condition=models.Q(batch__isnull=False),
                name="payout_once_per_account_in_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.amount}"
