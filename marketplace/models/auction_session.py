from datetime import timedelta
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.choices import Season, SessionStatus

# Upper bound of each price band (None: no bound) and the bid increment inside it, in yuan.
DEFAULT_INCREMENT_BANDS = [
    ["10000.00", "500.00"],
    ["100000.00", "2000.00"],
    ["1000000.00", "10000.00"],
    ["10000000.00", "50000.00"],
    [None, "100000.00"],
]

ALLOWED_SESSION_TRANSITIONS: dict[str, set[str]] = {
    SessionStatus.DRAFT: {SessionStatus.PUBLISHED},
    SessionStatus.PUBLISHED: {SessionStatus.OPEN, SessionStatus.DRAFT},
    SessionStatus.OPEN: {SessionStatus.CLOSED},
    SessionStatus.CLOSED: {SessionStatus.SETTLED},
    SessionStatus.SETTLED: set(),
}


def default_increment_bands() -> list:
    return [list(band) for band in DEFAULT_INCREMENT_BANDS]


class AuctionSession(models.Model):
    """One of the two auctions a year (拍卖会); marketplace.services.auctions checks its times."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2024), MaxValueValidator(2100)]
    )
    season = models.CharField(_("season"), max_length=10, choices=Season.choices)
    description = models.TextField(_("description"), blank=True)
    preview_start = models.DateTimeField(_("preview and registration open"))
    bidding_start = models.DateTimeField(_("bidding opens"))
    first_lot_closes_at = models.DateTimeField(_("first lot closes"))
    closing_interval = models.DurationField(
        _("interval between lot closings"), default=timedelta(minutes=2)
    )
    soft_close_window = models.DurationField(_("soft-close window"), default=timedelta(minutes=5))
    increment_bands = models.JSONField(
        _("bid increments by price band"), default=default_increment_bands
    )
    deposit_rate = models.DecimalField(
        _("deposit rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1000"),
        help_text=_("Share of the starting price, e.g. 0.1 for 10%."),
    )
    deposit_minimum = models.DecimalField(
        _("minimum deposit (yuan)"), max_digits=14, decimal_places=2, default=Decimal("1000.00")
    )
    buyers_premium_rate = models.DecimalField(
        _("buyer's premium rate"), max_digits=5, decimal_places=4, default=Decimal("0")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year", "-season"]
        verbose_name = _("auction session")
        verbose_name_plural = _("auction sessions")
        constraints = [
            # Two auctions a year, one per season.
            models.UniqueConstraint(
                fields=["year", "season"],
                name="auction_session_one_per_season",
                violation_error_message=_("There is already an auction session for this season."),
            ),
            models.CheckConstraint(
                condition=models.Q(bidding_start__gt=models.F("preview_start")),
                name="auction_session_preview_before_bidding",
            ),
            models.CheckConstraint(
                condition=models.Q(first_lot_closes_at__gt=models.F("bidding_start")),
                name="auction_session_bidding_before_closing",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def can_move_to(self, status: str) -> bool:
        return status in ALLOWED_SESSION_TRANSITIONS[self.status]
