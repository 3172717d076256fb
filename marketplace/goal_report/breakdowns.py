"""The confirmed-deal volume broken down by one attribute, and the top lots.

Each breakdown is a sum over the report's DealCube (cube.py), plus one query for the
industries' names; its rows add up exactly to the whole, because every deal has exactly one
value of each attribute (marketplace.services.goal_deals holds the rule). The top lots are one
query.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from accounts.choices import District
from innovations.choices import Category, TechnicalField
from innovations.models import Industry
from marketplace.choices import RightType
from marketplace.goal_report.cube import DealCube
from marketplace.goal_report.deals import DealFilter, deals
from marketplace.models import Settlement
from marketplace.money import quantize_yuan

ZERO = Decimal("0.00")
TOP_LOT_COUNT = 10
NOT_SPECIFIED = _("Not specified")

# The breakdown's name, and its title in the report.
DIMENSIONS = {
    "category": _("Five-small category"),
    "technical_field": _("Technical field"),
    "industry": _("Industry"),
    "district": _("District"),
    "right_type": _("Right"),
}
# The summary's column for a breakdown, where it is not the breakdown's name.
COLUMNS = {"industry": "industry_id"}
CHOICE_LABELS = {
    "category": Category,
    "technical_field": TechnicalField,
    "district": District,
    "right_type": RightType,
}


@dataclass(frozen=True)
class BreakdownRow:
    key: str | int | None
    label: str
    count: int
    amount: Decimal

    def share_of(self, total: Decimal) -> Decimal:
        """Percent of `total`, to two places (0 when there is nothing)."""
        if total <= 0:
            return ZERO
        return (self.amount * 100 / total).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    title: str
    rows: list[BreakdownRow]
    count: int
    amount: Decimal


def _labels(dimension: str, keys: set) -> dict:
    if dimension == "industry":
        ids = [key for key in keys if key is not None]
        return {industry.pk: industry.name for industry in Industry.objects.filter(pk__in=ids)}
    choices = CHOICE_LABELS[dimension]
    return {key: str(choices(key).label) for key in keys if key in choices.values}


def breakdown(cube: DealCube, dimension: str) -> Breakdown:
    """Volume and number of deals per value of `dimension`, largest first."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"Unknown breakdown {dimension!r}.")
    counts: dict = defaultdict(int)
    totals: dict = defaultdict(lambda: ZERO)
    for value, total in cube.totals(COLUMNS.get(dimension, dimension)).items():
        # An empty text ("") and a missing value both mean "not specified".
        key = value or None
        counts[key] += total.count
        totals[key] += total.amount
    labels = _labels(dimension, set(counts))
    rows = [
        BreakdownRow(
            key=key,
            label=labels.get(key, str(NOT_SPECIFIED)),
            count=counts[key],
            amount=quantize_yuan(totals[key]),
        )
        for key in counts
    ]
    # Not specified last; otherwise the largest first, then by label.
    rows.sort(key=lambda row: (row.key is None, -row.amount, row.label))
    return Breakdown(
        dimension=dimension,
        title=str(DIMENSIONS[dimension]),
        rows=rows,
        count=sum(counts.values()),
        amount=quantize_yuan(sum(totals.values(), ZERO)),
    )


def top_lots(deal_filter: DealFilter, *, limit: int = TOP_LOT_COUNT) -> list[Settlement]:
    """The confirmed sales with the highest prices (negotiated agreements are not lots)."""
    top = (
        deals(deal_filter)
        .filter(settlement__isnull=False)
        .select_related("settlement__lot__session", "settlement__buyer")
        .only(
            "settlement__price",
            "settlement__created_at",
            "settlement__lot__number",
            "settlement__lot__title",
            "settlement__lot__right_type",
            "settlement__lot__session__name",
            "settlement__buyer__name",
        )
        .order_by("-amount", "deal_on", "settlement_id")[:limit]
    )
    return [deal.settlement for deal in top]
