"""The union's goal (DESIGN.md "The goal"): an amount of confirmed deals inside a window of
Shanghai days. Union staff change it in the admin through marketplace.services.goal.goal_update.

There is exactly one goal. Its row has the fixed primary key GOAL_ID, which a check constraint
enforces, so a second row cannot exist; migration 0011 creates it with the defaults below.
marketplace.goal_queries reads it.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GOAL_ID = 1
DEFAULT_GOAL_AMOUNT = Decimal("1000000000.00")
DEFAULT_GOAL_STARTS_ON = date(2024, 1, 1)
DEFAULT_GOAL_ENDS_ON = date(2026, 12, 31)


class GoalQuerySet(models.QuerySet):
    def current(self) -> "Goal":
        """The goal. Never writes: if the row is missing (a test database flushed after the
        migrations ran), an unsaved goal with the defaults stands in, and the first
        goal_update saves it."""
        return self.filter(pk=GOAL_ID).first() or self.model()


class Goal(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=GOAL_ID, editable=False)
    amount = models.DecimalField(
        _("goal amount (yuan)"), max_digits=14, decimal_places=2, default=DEFAULT_GOAL_AMOUNT
    )
    starts_on = models.DateField(_("window starts on"), default=DEFAULT_GOAL_STARTS_ON)
    ends_on = models.DateField(_("window ends on"), default=DEFAULT_GOAL_ENDS_ON)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goal")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=GOAL_ID), name="goal_single_row"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="goal_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="goal_window_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"¥{self.amount:,.2f} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


class GoalChange(models.Model):
    """One change of the goal: who, when, and its amount and window before and after. Written
    only by goal_update, in the transaction that changes the goal; never edited."""

    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount_before = models.DecimalField(_("amount before"), max_digits=14, decimal_places=2)
    amount_after = models.DecimalField(_("amount after"), max_digits=14, decimal_places=2)
    starts_on_before = models.DateField(_("window start before"))
    starts_on_after = models.DateField(_("window start after"))
    ends_on_before = models.DateField(_("window end before"))
    ends_on_after = models.DateField(_("window end after"))

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("goal change")
        verbose_name_plural = _("goal changes")

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.amount_before} → {self.amount_after}"
