from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class AgreementOrigin(models.TextChoices):
    AUCTION = "auction", _("Auction sale")
    NEGOTIATED = "negotiated", _("Negotiated deal")


class RoyaltyBasis(models.TextChoices):
    NONE = "none", _("No royalty")
    NET_SALES = "net_sales", _("Net sales of licensed products")
    GROSS_REVENUE = "gross_revenue", _("Gross revenue")
    PER_UNIT = "per_unit", _("Per unit sold")


class IncomeKind(models.TextChoices):
    UPFRONT = "upfront", _("Upfront payment")
    ROYALTY = "royalty", _("Royalty statement")
    MILESTONE = "milestone", _("Milestone payment")


class SharingParty(models.TextChoices):
    INVENTOR = "inventor", _("Inventor")
    EMPLOYER = "employer", _("Employer")
    UNION_FUND = "union_fund", _("Union transformation fund")
    PLATFORM = "platform", _("Platform fee")


class PayoutStatus(models.TextChoices):
    PENDING = "pending", _("In a batch, not yet paid")
    PAID = "paid", _("Paid")


class PayoutBatchStatus(models.TextChoices):
    OPEN = "open", _("Sent to the bank, not yet paid")
    PAID = "paid", _("Paid")
