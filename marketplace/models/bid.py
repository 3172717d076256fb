from django.conf import settings
from django.db import connections, models, transaction
from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import BidImmutableError
from marketplace.models.append_only import AppendOnlyQuerySet

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


# Read by the trigger of migration 0006_bid_append_only.
PURGE_SETTING = "marketplace.purge_bids"


class BidQuerySet(AppendOnlyQuerySet):
    immutable_error = BidImmutableError

    def purge(self) -> int:
        """Delete these bids: for test and benchmark clean-up only, never for the platform.

        The one way past the append-only guard, named so it stands out in review. On
        PostgreSQL it sets a transaction-local flag that the trigger lets DELETE (never UPDATE)
        through.
        """
        connection = connections[self.db]
        with transaction.atomic(using=self.db):
            if connection.vendor != "postgresql":
                return models.QuerySet.delete(self)[0]
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
                deleted, _by_model = models.QuerySet.delete(self)
                # Off again at once: inside an outer transaction the flag would outlive us.
                cursor.execute("SELECT set_config(%s, 'off', true)", [PURGE_SETTING])
        return deleted


class Bid(models.Model):
    """An accepted bid (a maximum, for proxy bidding). Append-only, numbered per lot.

    Written once by marketplace.services.bidding.bid_place; never updated or deleted (the ORM
    refuses here, and on PostgreSQL the trigger of migration 0006_bid_append_only refuses raw
    SQL too). The lot row carries the live state the bids add up to.
    """

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

    objects = BidQuerySet.as_manager()

    class Meta:
        ordering = ["lot", "sequence"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.UniqueConstraint(fields=["lot", "sequence"], name="bid_sequence_per_lot"),
            models.CheckConstraint(condition=models.Q(max_amount__gt=0), name="bid_positive"),
        ]
        # The staff live monitor counts a lot's bids per minute (marketplace.live_queries).
        indexes = [models.Index(fields=["lot", "created_at"], name="bid_lot_created")]

    def __str__(self) -> str:
        return f"{self.lot_id}#{self.sequence} ¥{self.max_amount}"

    def save(self, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise BidImmutableError()
        # A new instance given an existing primary key would otherwise UPDATE that row.
        kwargs["force_insert"] = True
        super().save(**kwargs)

    def delete(self, *args, **kwargs):
        raise BidImmutableError()


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
