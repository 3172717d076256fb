from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.choices import District, VerificationStatus
from accounts.validators import validate_credit_code, validate_mobile


class Enterprise(models.Model):
    """An organisation: a bidder in auctions, or a worker's employer."""

    name = models.CharField(_("name"), max_length=200)
    # Blank for an employer named by a worker at registration; staff add the code when they
    # verify the organisation, and only verified enterprises may bid.
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    district = models.CharField(_("district"), max_length=20, choices=District.choices, blank=True)
    industry = models.ForeignKey(
        "innovations.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # Registered by its own members (an auction bidder) rather than named as an employer.
    registered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    verification_status = models.CharField(
        _("verification"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                name="accounts_enterprise_credit_code_unique",
                condition=~models.Q(credit_code=""),
                violation_error_message=_("An enterprise with this credit code already exists."),
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="accounts_enterprise_name"),
            models.Index(fields=["verification_status"], name="accounts_enterprise_verif"),
        ]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED


class User(AbstractUser):
    """A person who logs in. The role is the group they belong to (see accounts.services.roles).

    Login is by email or mobile number (accounts.backends); the username stays as a stable
    internal handle because Wagtail's user admin expects one.
    """

    mobile = models.CharField(
        _("mobile number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mobile],
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
        help_text=_("For enterprise members: the organisation they act for."),
    )
    employer = models.ForeignKey(
        Enterprise,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="employees",
        null=True,
        blank=True,
        help_text=_("For workers: the enterprise they work for."),
    )
    union_member_no = models.CharField(_("union membership number"), max_length=30, blank=True)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_unique_ci",
                condition=~models.Q(email=""),
                violation_error_message=_("A user with this email address already exists."),
            ),
        ]

    def get_full_name(self) -> str:
        # Chinese names are written family name first, without a space.
        family, given = self.last_name.strip(), self.first_name.strip()
        if any("\u4e00" <= char <= "\u9fff" for char in family + given):
            return f"{family}{given}"
        return f"{given} {family}".strip()

    def __str__(self) -> str:
        return self.get_full_name() or self.username
