from django.db import models
from django.utils.translation import gettext_lazy as _


class Season(models.TextChoices):
    SPRING = "spring", _("Spring")
    AUTUMN = "autumn", _("Autumn")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Preview (registration open)")
    OPEN = "open", _("Bidding open")
    CLOSED = "closed", _("Closed")
    SETTLED = "settled", _("Settled")


class RightType(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assignment")
    EXCLUSIVE_LICENCE = "exclusive", _("Exclusive licence")
    SOLE_LICENCE = "sole", _("Sole licence")
    NON_EXCLUSIVE_LICENCE = "non_exclusive", _("Non-exclusive licence")


class LotStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In the catalogue")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SOLD = "sold", _("Sold")
    PASSED = "passed", _("Passed (unsold)")


class DepositStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    APPLIED = "applied", _("Applied to the price")
    REFUNDED = "refunded", _("Refunded")
    FORFEITED = "forfeited", _("Forfeited")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    STRIPE = "stripe", _("Online payment")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class CheckoutStatus(models.TextChoices):
    CREATED = "created", _("Created")
    OPEN = "open", _("Waiting for payment")
    COMPLETED = "completed", _("Paid")
    EXPIRED = "expired", _("Expired")
