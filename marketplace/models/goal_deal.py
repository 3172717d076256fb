"""The goal report's summary: one row per confirmed deal, with what the report groups by.

Reading 100,000 settlements and looking up each one's primary innovation took the report
seconds (bench/README.md "Goal report at scale"); these rows hold the answers, so each table
is one GROUP BY over a narrow table. marketplace.services.goal_deals writes them in the same
transaction as the change that makes or unmakes a deal, from the same rule
marketplace.goal_queries counts by; `manage.py rebuild_goal_deals --check` compares them with
that rule.

A row exists exactly while its deal counts: a settlement that did not default, or a signed
(in force, expired) negotiated agreement. Its attributes are the deal's at the moment it was
confirmed (a later correction of an innovation's category shows after a rebuild).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GoalDeal(models.Model):
    settlement = models.OneToOneField(
        "marketplace.Settlement",
        on_delete=models.CASCADE,
        related_name="goal_deal",
        null=True,
        blank=True,
    )
    agreement = models.OneToOneField(
        "licensing.Agreement",
        on_delete=models.CASCADE,
        related_name="goal_deal",
        null=True,
        blank=True,
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # The Shanghai day the deal counts on: a settlement's creation, an agreement's signing.
    deal_on = models.DateField(_("deal date"))
    session = models.ForeignKey(
        "marketplace.AuctionSession",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The primary innovation and its attributes (see services/goal_deals.py for the rule).
    innovation = models.ForeignKey(
        "innovations.Innovation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    category = models.CharField(max_length=20, blank=True)
    technical_field = models.CharField(max_length=30, blank=True)
    industry = models.ForeignKey(
        "innovations.Industry",
        # Deleting an industry files its deals under "not specified" until a rebuild.
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    district = models.CharField(max_length=20, blank=True)
    right_type = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("confirmed deal")
        verbose_name_plural = _("confirmed deals")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(settlement__isnull=False, agreement__isnull=True)
                    | models.Q(settlement__isnull=True, agreement__isnull=False)
                ),
                name="goal_deal_is_a_sale_or_an_agreement",
            )
        ]
        indexes = [
            models.Index(fields=["deal_on"], name="goal_deal_day"),
            models.Index(fields=["session", "deal_on"], name="goal_deal_session_day"),
            models.Index(fields=["-amount"], name="goal_deal_amount_desc"),
        ]

    def __str__(self) -> str:
        return f"{self.deal_on} {self.amount}"
