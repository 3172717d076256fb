from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.choices import CheckoutStatus, DepositStatus, PaymentMethod

ACTIVE_DEPOSIT_STATUSES = [DepositStatus.PENDING, DepositStatus.PAID, DepositStatus.APPLIED]


class StripeCheckout(models.Model):
    """Our record of one Stripe Checkout: what every checkout of ours keeps.

    The idempotency key is saved before Stripe is called, so a retry after a crash reuses it
    and Stripe returns the same checkout instead of making a second one.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=80, unique=True)
    stripe_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    amount_fen = models.BigIntegerField()
    status = models.CharField(
        max_length=20, choices=CheckoutStatus.choices, default=CheckoutStatus.CREATED
    )
    payment_intent_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.stripe_session_id or self.idempotency_key


class CheckoutSession(StripeCheckout):
    """A Stripe Checkout paying one or more deposits of one enterprise."""

    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")


class Deposit(models.Model):
    """A lot's deposit (保证金) owed or paid by an enterprise."""

    lot = models.ForeignKey(
        "marketplace.Lot", verbose_name=_("lot"), on_delete=models.PROTECT, related_name="deposits"
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="deposits",
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=20, choices=DepositStatus.choices, default=DepositStatus.PENDING
    )
    method = models.CharField(_("payment method"), max_length=20, choices=PaymentMethod.choices)
    checkout = models.ForeignKey(
        CheckoutSession, on_delete=models.PROTECT, related_name="deposits", null=True, blank=True
    )
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    receipt = models.FileField(_("receipt"), upload_to="receipts/", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "enterprise"],
                condition=models.Q(status__in=ACTIVE_DEPOSIT_STATUSES),
                name="deposit_one_active_per_lot_and_enterprise",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="deposit_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.lot} · ¥{self.amount}"


class StripeEvent(models.Model):
    """Every webhook event received, once: the unique event id makes redelivery a no-op."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
