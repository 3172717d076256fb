"""Licence and assignment agreements (许可/转让合同) and their status transitions.

Created and changed only through licensing.services.agreements, which checks
ALLOWED_TRANSITIONS. The goal tracker (issue 8) sums `deal_amount` of confirmed agreements by
`confirmed_on`; district and industry come from the licensee and the innovations, the category
from the innovations. Auction agreements point at their Sale, whose hammer price the tracker
already counts: it adds only `Agreement.objects.confirmed().negotiated()` to the sales.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from licensing.choices import AgreementOrigin, AgreementStatus, RoyaltyBasis
from marketplace.choices import RightType

MONEY = {"max_digits": 14, "decimal_places": 2}

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    # A draft that will never be signed (the buyer defaulted, the deal fell through) is
    # terminated rather than deleted, so its history stays.
    AgreementStatus.DRAFT: {AgreementStatus.SIGNED, AgreementStatus.TERMINATED},
    AgreementStatus.SIGNED: {AgreementStatus.ACTIVE, AgreementStatus.TERMINATED},
    AgreementStatus.ACTIVE: {AgreementStatus.EXPIRED, AgreementStatus.TERMINATED},
    AgreementStatus.EXPIRED: set(),
    AgreementStatus.TERMINATED: set(),
}
# A deal is confirmed once signed; it stays a deal when it later runs out.
CONFIRMED_STATUSES = {AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.EXPIRED}
# Money can arrive under an agreement once it is signed.
INCOME_STATUSES = {AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.EXPIRED}


class AgreementQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status__in=CONFIRMED_STATUSES)

    def negotiated(self):
        return self.filter(origin=AgreementOrigin.NEGOTIATED)

    def for_licensee(self, enterprise_id: int):
        return self.filter(licensee_id=enterprise_id)

    def involving_inventor(self, user):
        """Agreements over an innovation the user submitted or co-invented."""
        return self.filter(
            models.Q(innovations__owner=user) | models.Q(innovations__contributors__user=user)
        ).distinct()


class Agreement(models.Model):
    origin = models.CharField(_("origin"), max_length=20, choices=AgreementOrigin.choices)
    sale = models.OneToOneField(
        "marketplace.Sale",
        verbose_name=_("auction sale"),
        on_delete=models.PROTECT,
        related_name="agreement",
        null=True,
        blank=True,
    )
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    licensors = models.CharField(
        _("licensors (patent holders)"),
        max_length=300,
        help_text=_("The patent holders granting the rights, separated by “；”."),
    )
    licensee = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name=_("licensee"),
        on_delete=models.PROTECT,
        related_name="licence_agreements",
    )
    innovations = models.ManyToManyField(
        "innovations.Innovation", verbose_name=_("innovations"), related_name="agreements"
    )
    patents = models.ManyToManyField(
        "innovations.Patent", verbose_name=_("patents"), related_name="agreements", blank=True
    )
    right_type = models.CharField(_("right granted"), max_length=20, choices=RightType.choices)
    is_service_invention = models.BooleanField(_("service invention"), default=False)
    scope = models.TextField(_("scope of use"), blank=True)
    territory = models.CharField(_("territory"), max_length=200, default="中华人民共和国境内")
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    deal_amount = models.DecimalField(
        _("deal amount (yuan)"),
        help_text=_("The price of the deal: the hammer price, or the negotiated price."),
        **MONEY,
    )
    upfront_amount = models.DecimalField(
        _("upfront amount (yuan)"), default=Decimal("0.00"), **MONEY
    )
    royalty_rate = models.DecimalField(
        _("royalty rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    royalty_basis = models.CharField(
        _("royalty basis"), max_length=20, choices=RoyaltyBasis.choices, default=RoyaltyBasis.NONE
    )
    milestones = models.TextField(_("milestones"), blank=True)
    cnipa_record_number = models.CharField(_("CNIPA record number"), max_length=60, blank=True)
    cnipa_record_date = models.DateField(_("CNIPA record date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deal_amount__gte=0) & models.Q(upfront_amount__gte=0),
                name="agreement_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_start__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="agreement_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(royalty_rate__isnull=True)
                | (models.Q(royalty_rate__gte=0) & models.Q(royalty_rate__lte=100)),
                name="agreement_royalty_rate_percent",
            ),
            models.CheckConstraint(
                condition=~models.Q(origin=AgreementOrigin.AUCTION) | models.Q(sale__isnull=False),
                name="agreement_auction_has_sale",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "confirmed_on"], name="agreement_status_confirmed"),
        ]

    def __str__(self) -> str:
        return self.contract_number or _("Agreement %(pk)s") % {"pk": self.pk}

    @property
    def is_confirmed(self) -> bool:
        return self.status in CONFIRMED_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status == AgreementStatus.DRAFT

    def can_move_to(self, status: str) -> bool:
        return status in ALLOWED_TRANSITIONS[self.status]
