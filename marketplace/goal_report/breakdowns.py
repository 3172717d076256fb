"""The confirmed-deal volume broken down by one attribute, and the top lots.

Each breakdown is two GROUP BY queries (sales, agreements) merged in Python, plus one for the
industries' names; its rows add up exactly to the whole, because deals.py attributes every
deal to exactly one value of each attribute (see its docstring for the rule).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from accounts.choices import District
from innovations.choices import Category, TechnicalField
from innovations.models import Industry
from marketplace.choices import RightType
from marketplace.goal_report.deals import DealFilter, confirmed_agreements, confirmed_sales
from marketplace.models import Settlement
from marketplace.money import quantize_yuan

ZERO = Decimal("0.00")
TOP_LOT_COUNT = 10
NOT_SPECIFIED = _("Not specified")

# The attribute name on the annotated deals, and its title in the report.
DIMENSIONS = {
    "category": _("Five-small category"),
    "technical_field": _("Technical field"),
    "industry": _("Industry"),
    "district": _("District"),
    "right_type": _("Right"),
}
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


def _grouped(queryset, attribute: str) -> list[dict]:
    return list(
        queryset.values(attribute).annotate(count=Count("pk"), total=Sum("amount")).order_by()
    )


def _labels(dimension: str, keys: set) -> dict:
    if dimension == "industry":
        ids = [key for key in keys if key is not None]
        return {industry.pk: industry.name for industry in Industry.objects.filter(pk__in=ids)}
    choices = CHOICE_LABELS[dimension]
    return {key: str(choices(key).label) for key in keys if key in choices.values}


def breakdown(deal_filter: DealFilter, dimension: str) -> Breakdown:
    """Volume and number of deals per value of `dimension`, largest first."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"Unknown breakdown {dimension!r}.")
    counts: dict = defaultdict(int)
    totals: dict = defaultdict(lambda: ZERO)
    for queryset in (confirmed_sales(deal_filter), confirmed_agreements(deal_filter)):
        for group in _grouped(queryset, dimension):
            # An empty district ("") and a missing value both mean "not specified".
            key = group[dimension] or None
            counts[key] += group["count"]
            totals[key] += group["total"] or ZERO
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
    return list(
        confirmed_sales(deal_filter)
        .select_related("lot__session", "buyer")
        .only(
            "price",
            "created_at",
            "lot__number",
            "lot__title",
            "lot__right_type",
            "lot__session__name",
            "buyer__name",
        )
        .order_by("-price", "created_at", "pk")[:limit]
    )
