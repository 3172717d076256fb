"""Profit-sharing (收益分享): each innovation's plan, and the statement of every sharing.

Written only by licensing.services.profit_sharing. A SharingEvent and its lines are the
statement of one amount shared: who got what, the exact part and the part rounded to the fen.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from licensing.choices import SharingParty

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class SharingPlan(models.Model):
    """How an innovation's proceeds are shared, in percent; the parts sum to exactly 100.

    An innovation without a plan is shared by settings.LICENSING_DEFAULT_SHARING_PLAN.
    """

    innovation = models.OneToOneField(
        "innovations.Innovation",
        verbose_name=_("innovation"),
        on_delete=models.CASCADE,
        related_name="sharing_plan",
    )
    inventors_percent = models.DecimalField(_("inventor team (%)"), **PERCENT)
    employer_percent = models.DecimalField(_("employer (%)"), **PERCENT)
    union_fund_percent = models.DecimalField(_("union transformation fund (%)"), **PERCENT)
    platform_percent = models.DecimalField(_("platform fee (%)"), **PERCENT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("profit-sharing plan")
        verbose_name_plural = _("profit-sharing plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    inventors_percent__gte=0,
                    employer_percent__gte=0,
                    union_fund_percent__gte=0,
                    platform_percent__gte=0,
                ),
                name="sharing_plan_parts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    inventors_percent=100
                    - models.F("employer_percent")
                    - models.F("union_fund_percent")
                    - models.F("platform_percent")
                ),
                name="sharing_plan_sums_to_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.innovation)


class SharingEvent(models.Model):
    """One amount received and shared out at once: the statement's header."""

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    source_label = models.CharField(_("source"), max_length=200)
    amount = models.DecimalField(_("amount shared (yuan)"), **MONEY)
    sale = models.ForeignKey(
        "marketplace.Sale",
        verbose_name=_("auction sale"),
        on_delete=models.PROTECT,
        related_name="sharing_events",
        null=True,
        blank=True,
    )
    agreement = models.ForeignKey(
        "licensing.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="sharing_events",
        null=True,
        blank=True,
    )
    ledger_transaction = models.OneToOneField(
        "marketplace.LedgerTransaction", on_delete=models.PROTECT, related_name="+"
    )
    # Set on a reversing statement: the same lines, negative (licensing.services.income_reversals).
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        related_name="reversal",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sharing statement")
        verbose_name_plural = _("sharing statements")

    def __str__(self) -> str:
        return self.source_label


class SharingLine(models.Model):
    """One party's part of a SharingEvent, exact and rounded to the fen (negative on a
    reversing statement)."""

    event = models.ForeignKey(SharingEvent, on_delete=models.CASCADE, related_name="lines")
    innovation = models.ForeignKey(
        "innovations.Innovation",
        verbose_name=_("innovation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    party = models.CharField(_("party"), max_length=20, choices=SharingParty.choices)
    contributor = models.ForeignKey(
        "innovations.Contributor",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sharing_lines",
        null=True,
        blank=True,
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        on_delete=models.PROTECT,
        related_name="sharing_lines",
        null=True,
        blank=True,
    )
    payee_name = models.CharField(_("payee"), max_length=200)
    account = models.ForeignKey(
        "marketplace.LedgerAccount", on_delete=models.PROTECT, related_name="+"
    )
    # The party's fraction of the whole amount, in percent (plan part × contribution share ×
    # the innovation's part of a package), before rounding.
    weight_percent = models.DecimalField(
        _("share of the amount (%)"), max_digits=12, decimal_places=8
    )
    exact_amount = models.DecimalField(_("exact part (yuan)"), max_digits=24, decimal_places=8)
    amount = models.DecimalField(_("part (yuan)"), **MONEY)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event", "position"]
        verbose_name = _("sharing line")
        verbose_name_plural = _("sharing lines")

    def __str__(self) -> str:
        return f"{self.payee_name}: {self.amount}"
