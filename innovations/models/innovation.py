from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from innovations.choices import Category, Status, TechnicalField, Tier

# Every status change goes through innovations.services.review, which checks this map.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.APPROVED, Status.RETURNED, Status.REJECTED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.APPROVED: set(),
    Status.REJECTED: set(),
}
EDITABLE_STATUSES = {Status.DRAFT, Status.RETURNED}


class InnovationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Status.APPROVED)

    def listable(self):
        """Innovations that may be sold: approved and graded ready to transact."""
        return self.filter(status=Status.APPROVED, tier=Tier.TRANSACT)

    def involving(self, user):
        """Innovations the user submitted or is a co-inventor on."""
        return self.filter(models.Q(owner=user) | models.Q(contributors__user=user)).distinct()


class Innovation(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="innovations",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("description"), help_text=_("Sanitised HTML."))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    technical_field = models.CharField(
        _("technical field"), max_length=30, choices=TechnicalField.choices
    )
    industries = models.ManyToManyField(
        "innovations.Industry", verbose_name=_("industries"), blank=True, related_name="+"
    )
    employer = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="innovations",
    )
    expected_benefit = models.DecimalField(
        _("expected yearly benefit (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    tier = models.CharField(_("incubation tier"), max_length=20, choices=Tier.choices, blank=True)
    is_excellent = models.BooleanField(_("excellent project"), default=False)
    is_high_value_patent = models.BooleanField(_("high-value patent"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InnovationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        indexes = [
            models.Index(fields=["status", "category"], name="innovation_status_category"),
            models.Index(fields=["status", "-decided_at"], name="innovation_status_decided"),
            models.Index(fields=["status", "-submitted_at"], name="innovation_status_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_benefit__isnull=True)
                | models.Q(expected_benefit__gte=0),
                name="innovation_benefit_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_listable(self) -> bool:
        return self.status == Status.APPROVED and self.tier == Tier.TRANSACT

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in ALLOWED_TRANSITIONS[self.status]
