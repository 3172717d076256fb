from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class BidderRegistration(models.Model):
    """An enterprise's paddle number in a session: bidders are shown by paddle, never by name."""

    session = models.ForeignKey(
        "marketplace.AuctionSession", on_delete=models.PROTECT, related_name="registrations"
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, related_name="registrations"
    )
    paddle = models.PositiveIntegerField(_("paddle number"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bidder registration")
        verbose_name_plural = _("bidder registrations")
        constraints = [
            models.UniqueConstraint(fields=["session", "enterprise"], name="registration_once"),
            models.UniqueConstraint(fields=["session", "paddle"], name="registration_paddle"),
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.paddle}"


class Bid(models.Model):
    """An accepted bid (a maximum, for proxy bidding). Append-only, numbered per lot."""

    lot = models.ForeignKey("marketplace.Lot", on_delete=models.PROTECT, related_name="bids")
    sequence = models.PositiveIntegerField(_("bid number"))
    registration = models.ForeignKey(
        BidderRegistration, on_delete=models.PROTECT, related_name="bids"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    max_amount = models.DecimalField(_("maximum"), **MONEY)
    price_after = models.DecimalField(_("price after the bid"), **MONEY)
    leading_after = models.BooleanField(_("leading after the bid"))
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["lot", "sequence"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.UniqueConstraint(fields=["lot", "sequence"], name="bid_sequence_per_lot"),
            models.CheckConstraint(condition=models.Q(max_amount__gt=0), name="bid_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id}#{self.sequence} ¥{self.max_amount}"


class Sale(models.Model):
    """A lot sold at its closing time: the hammer price and the winner."""

    lot = models.OneToOneField("marketplace.Lot", on_delete=models.PROTECT, related_name="sale")
    winner = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, related_name="purchases"
    )
    hammer_price = models.DecimalField(_("hammer price"), **MONEY)
    created_at = models.DateTimeField(_("sold at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")

    def __str__(self) -> str:
        return f"{self.lot} → {self.winner} ¥{self.hammer_price}"
