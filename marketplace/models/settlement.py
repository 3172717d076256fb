"""After the hammer: what a buyer owes and has paid, and the deposits given back.

Written only by marketplace.services.settlement, .refunds, .defaults and .negotiated_sales.
A Settlement is one buyer's obligation to pay for a lot: the auction's winner, the runner-up a
defaulted lot was offered to, or the highest bidder of a passed lot who agreed a price
afterwards. The Sale stays the record of the hammer; a defaulted settlement does not count
toward the goal, whichever Sale it belongs to.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.choices import PaymentMethod
from marketplace.models.deposit import StripeCheckout

MONEY = {"max_digits": 14, "decimal_places": 2}


class SettlementKind(models.TextChoices):
    AUCTION = "auction", _("Auction sale")
    RUNNER_UP = "runner_up", _("Offered to the runner-up")
    NEGOTIATED = "negotiated", _("Negotiated after the auction")


class SettlementStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid in full")
    DEFAULTED = "defaulted", _("Defaulted")


class DefaultResolution(models.TextChoices):
    RUNNER_UP = "runner_up", _("Offered to the runner-up")
    RELISTED = "relisted", _("Re-listed")


class ReceiptSource(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit applied")
    STRIPE = "stripe", _("Online payment")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class RefundStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent to Stripe")
    FAILED = "failed", _("Failed; will be retried")
    SENT = "sent", _("Sent; waiting for Stripe")
    BANK_TRANSFER_DUE = "bank_transfer_due", _("To refund by bank transfer")
    SUCCEEDED = "succeeded", _("Refunded")


ALLOWED_SETTLEMENT_TRANSITIONS: dict[str, set[str]] = {
    SettlementStatus.AWAITING_PAYMENT: {SettlementStatus.PAID, SettlementStatus.DEFAULTED},
    SettlementStatus.PAID: set(),
    SettlementStatus.DEFAULTED: set(),
}


class SettlementQuerySet(models.QuerySet):
    def counting_toward_goal(self):
        """Confirmed deals: every settlement but a defaulted one (its price is `price`)."""
        return self.exclude(status=SettlementStatus.DEFAULTED)

    def of_enterprise(self, enterprise_id: int):
        return self.filter(buyer_id=enterprise_id)


class Settlement(models.Model):
    sale = models.ForeignKey(
        "marketplace.Sale",
        verbose_name=_("sale"),
        on_delete=models.PROTECT,
        related_name="settlements",
    )
    lot = models.ForeignKey(
        "marketplace.Lot", verbose_name=_("lot"), on_delete=models.PROTECT, related_name="+"
    )
    buyer = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="settlements",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SettlementKind.choices)
    price = models.DecimalField(_("price"), **MONEY)
    premium_rate = models.DecimalField(_("buyer's premium rate"), max_digits=5, decimal_places=4)
    premium = models.DecimalField(_("buyer's premium"), **MONEY)
    amount_due = models.DecimalField(_("amount due"), **MONEY)
    deposit = models.ForeignKey(
        "marketplace.Deposit",
        verbose_name=_("deposit applied"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    deposit_applied = models.DecimalField(_("deposit applied"), default=0, **MONEY)
    # The sum of the receipts, kept here so the balance is read (and checked) under one lock.
    amount_received = models.DecimalField(_("received"), default=0, **MONEY)
    due_at = models.DateTimeField(_("balance due by"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SettlementStatus.choices,
        default=SettlementStatus.AWAITING_PAYMENT,
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    defaulted_at = models.DateTimeField(_("defaulted at"), null=True, blank=True)
    resolution = models.CharField(
        _("after the default"), max_length=20, choices=DefaultResolution.choices, blank=True
    )
    relisted_as = models.ForeignKey(
        "marketplace.Lot",
        verbose_name=_("re-listed as"),
        on_delete=models.PROTECT,
        related_name="relisted_from",
        null=True,
        blank=True,
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SettlementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            # One live buyer per lot at a time; a new one only after a default.
            models.UniqueConstraint(
                fields=["lot"],
                condition=~models.Q(status="defaulted"),
                name="settlement_one_live_per_lot",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_due__gt=0), name="settlement_amount_due_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_received__gte=0)
                & models.Q(amount_received__lte=models.F("amount_due")),
                name="settlement_received_within_due",
            ),
            models.CheckConstraint(
                condition=models.Q(deposit_applied__gte=0)
                & models.Q(deposit_applied__lte=models.F("amount_due")),
                name="settlement_deposit_within_due",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="settlement_status_due")]

    def __str__(self) -> str:
        return f"{self.lot} → {self.buyer} ¥{self.amount_due}"

    @property
    def balance(self):
        return self.amount_due - self.amount_received

    def can_move_to(self, status: str) -> bool:
        return status in ALLOWED_SETTLEMENT_TRANSITIONS[self.status]


class SettlementReceipt(models.Model):
    """Money counted toward a settlement: the deposit applied, an online or a bank payment.

    One row per receipt, with the ledger transaction that credited proceeds-to-share; the
    unique (settlement, source, reference) makes a replay a no-op.
    """

    settlement = models.ForeignKey(
        Settlement, verbose_name=_("settlement"), on_delete=models.PROTECT, related_name="receipts"
    )
    source = models.CharField(_("source"), max_length=20, choices=ReceiptSource.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(_("reference"), max_length=100)
    receipt = models.FileField(_("bank receipt"), upload_to="receipts/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    ledger_transaction = models.ForeignKey(
        "marketplace.LedgerTransaction", on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("settlement receipt")
        verbose_name_plural = _("settlement receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["settlement", "source", "reference"], name="settlement_receipt_once"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="settlement_receipt_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.reference} ¥{self.amount}"


class BalanceCheckout(StripeCheckout):
    """A Stripe Checkout paying a settlement's balance (deposits use CheckoutSession).

    As for deposits, the idempotency key is saved before Stripe is called.
    """

    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="checkouts")

    class Meta:
        verbose_name = _("balance checkout")
        verbose_name_plural = _("balance checkouts")


class DepositRefund(models.Model):
    """Giving money back: a deposit (or the part of it not applied to the price), a payment
    that a defaulting buyer made beyond its forfeited deposit (`payment`), or an online
    balance payment the settlement no longer took (`balance_checkout`: paid after a default,
    or after a bank transfer settled it). Exactly one of the three.

    Online payments go back through the Stripe Refunds API, retried with backoff; bank
    transfers are refunded by hand and confirmed by staff. `stripe_attempt` is part of the
    Stripe idempotency key: it stays the same when Stripe could not be reached (the retry must
    find the refund Stripe may have made) and moves on only once Stripe answered "no".
    """

    deposit = models.OneToOneField(
        "marketplace.Deposit",
        verbose_name=_("deposit"),
        on_delete=models.PROTECT,
        related_name="refund",
        null=True,
        blank=True,
    )
    payment = models.OneToOneField(
        SettlementReceipt,
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        related_name="refund",
        null=True,
        blank=True,
    )
    balance_checkout = models.OneToOneField(
        BalanceCheckout,
        verbose_name=_("online payment not applied"),
        on_delete=models.PROTECT,
        related_name="refund",
        null=True,
        blank=True,
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    method = models.CharField(_("payment method"), max_length=20, choices=PaymentMethod.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=RefundStatus.choices, default=RefundStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    stripe_attempt = models.PositiveIntegerField(default=1)
    stripe_refund_id = models.CharField(
        _("Stripe refund"), max_length=255, unique=True, null=True, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    succeeded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("deposit refund")
        verbose_name_plural = _("deposit refunds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="deposit_refund_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    deposit__isnull=False, payment__isnull=True, balance_checkout__isnull=True
                )
                | models.Q(
                    deposit__isnull=True, payment__isnull=False, balance_checkout__isnull=True
                )
                | models.Q(
                    deposit__isnull=True, payment__isnull=True, balance_checkout__isnull=False
                ),
                name="refund_of_one_deposit_or_payment",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="refund_status_next")]

    def __str__(self) -> str:
        return f"{self.refunded} → ¥{self.amount}"

    @property
    def refunded(self):
        """The deposit, settlement payment or unapplied online payment given back."""
        if self.deposit_id is not None:
            return self.deposit
        return self.payment if self.payment_id is not None else self.balance_checkout

    @property
    def settlement(self) -> "Settlement | None":
        if self.payment_id is not None:
            return self.payment.settlement
        if self.balance_checkout_id is not None:
            return self.balance_checkout.settlement
        return None

    @property
    def enterprise(self):
        """Who is owed the money: the deposit's enterprise or the settlement's buyer."""
        if self.deposit_id is not None:
            return self.deposit.enterprise
        return self.settlement.buyer

    @property
    def stripe_idempotency_key(self) -> str:
        return f"deposit-refund:{self.pk}:{self.stripe_attempt}"


class SettlementReminder(models.Model):
    """A reminder sent to a buyer that its balance falls due in `days_before` days.

    The unique (settlement, days_before) is what makes the close_lots pass send each one once,
    however often it runs, and in however many workers.
    """

    settlement = models.ForeignKey(
        Settlement, verbose_name=_("settlement"), on_delete=models.PROTECT, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("days before the due date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["settlement", "days_before"], name="settlement_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.settlement_id} −{self.days_before}d"
