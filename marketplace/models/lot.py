import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.choices import LotStatus, RightType

MONEY = {"max_digits": 14, "decimal_places": 2}


class LotQuerySet(models.QuerySet):
    def in_catalogue(self):
        """Lots the public may see: published, and the results of closed ones."""
        return self.filter(status__in=[LotStatus.PUBLISHED, LotStatus.SOLD, LotStatus.PASSED])


# A lot that closed now would be sold: it has a leader whose maximum reaches the reserve, or
# there is no reserve. The one rule, as SQL for public reads (the amounts stay in the database)
# and as Lot.reserve_is_met for a row already read (closing, a bid's reply).
RESERVE_MET = models.Q(leader__isnull=False) & (
    models.Q(reserve_price__isnull=True) | models.Q(leader_max__gte=models.F("reserve_price"))
)


class Lot(models.Model):
    """The rights in one innovation, or several as a technology package, offered in a session.

    Created and changed only through marketplace.services.auctions; the live bidding fields
    at the bottom belong to marketplace.services.bidding.
    """

    session = models.ForeignKey(
        "marketplace.AuctionSession",
        verbose_name=_("auction session"),
        on_delete=models.PROTECT,
        related_name="lots",
    )
    number = models.PositiveIntegerField(_("lot number"))
    title = models.CharField(_("title"), max_length=200)
    innovations = models.ManyToManyField(
        "innovations.Innovation",
        verbose_name=_("innovations"),
        through="marketplace.LotInnovation",
        related_name="lots",
    )
    right_type = models.CharField(_("right offered"), max_length=20, choices=RightType.choices)
    licence_term_years = models.PositiveSmallIntegerField(
        _("licence term (years)"), null=True, blank=True
    )
    territory = models.CharField(_("territory"), max_length=200, default="中华人民共和国境内")
    starting_price = models.DecimalField(
        _("starting price (yuan)"), validators=[MinValueValidator(1)], **MONEY
    )
    # Never shown to bidders: only "reserve met" is.
    reserve_price = models.DecimalField(_("reserve price (yuan)"), null=True, blank=True, **MONEY)
    deposit_amount = models.DecimalField(_("deposit (yuan)"), **MONEY)

    # Disclosure (披露), required before the lot can be published.
    patents_legal_status = models.TextField(_("legal status of the patents"), blank=True)
    is_service_invention = models.BooleanField(_("service invention"), default=False)
    employer_consent = models.BooleanField(_("employer consents"), default=False)
    co_owners_consent = models.BooleanField(_("co-owners consent"), default=False)
    known_limitations = models.TextField(_("known limitations"), blank=True)
    confidentiality_terms = models.TextField(_("confidentiality terms"), blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=LotStatus.choices, default=LotStatus.DRAFT
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    scheduled_close_at = models.DateTimeField(_("scheduled closing time"))

    # Live bidding state, denormalised so a bid locks and updates one row.
    closes_at = models.DateTimeField(_("closing time"))
    current_price = models.DecimalField(_("current price"), null=True, blank=True, **MONEY)
    leader = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name=_("leading bidder"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    leader_max = models.DecimalField(_("leader's maximum"), null=True, blank=True, **MONEY)
    runner_up_max = models.DecimalField(_("second-highest maximum"), null=True, blank=True, **MONEY)
    bid_count = models.PositiveIntegerField(_("bids"), default=0)
    version = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        ordering = ["session", "number"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="lot_number_per_session"),
            models.CheckConstraint(
                condition=models.Q(reserve_price__isnull=True)
                | models.Q(reserve_price__gte=models.F("starting_price")),
                name="lot_reserve_not_below_start",
            ),
            models.CheckConstraint(
                condition=models.Q(deposit_amount__gte=0), name="lot_deposit_not_negative"
            ),
        ]
        indexes = [
            # The catalogue's default order: open lots soonest first, then the rest newest first.
            models.Index(
                models.Case(models.When(status=LotStatus.PUBLISHED, then=models.F("closes_at"))),
                models.F("closes_at").desc(),
                models.F("id"),
                name="lot_catalogue_closing",
            ),
            models.Index(fields=["status", "closes_at"], name="lot_status_closes"),
            models.Index(fields=["session", "status"], name="lot_session_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def reserve_is_met(self) -> bool:
        """RESERVE_MET, for a row already read."""
        if self.leader_id is None or self.leader_max is None:
            return False
        return self.reserve_price is None or self.leader_max >= self.reserve_price


class LotInnovation(models.Model):
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="lot_innovations")
    innovation = models.ForeignKey(
        "innovations.Innovation", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "innovation"], name="lot_innovation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.lot} · {self.innovation}"


def lot_document_path(instance: "LotDocument", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"lots/{uuid.uuid4().hex}.{extension}"


class LotDocument(models.Model):
    """A confidential technical document: shown only once the lot's terms are accepted."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=lot_document_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("confidential document")
        verbose_name_plural = _("confidential documents")

    def __str__(self) -> str:
        return self.title


class ConfidentialityAcceptance(models.Model):
    lot = models.ForeignKey(
        Lot, on_delete=models.CASCADE, related_name="confidentiality_acceptances"
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    terms = models.TextField(_("terms accepted"))
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("confidentiality acceptance")
        verbose_name_plural = _("confidentiality acceptances")
        constraints = [
            models.UniqueConstraint(fields=["lot", "user"], name="confidentiality_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lot}"


class Watch(models.Model):
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lot", "user"], name="watch_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.lot}"
