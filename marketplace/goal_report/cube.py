"""The filter's deals totalled once, for every table of the report: two GROUP BY queries.

One GROUP BY per breakdown read the 100,000-odd summary rows seven times (~25 ms each on the
benchmark's data). Grouped instead by (category, district, session, month) and by (technical
field, industry, right), the results are small whatever the number of deals — at most
categories × districts × (session, month) pairs, and fields × industries × rights — and each
table is their sum over the other columns, in Python.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from marketplace.goal_report.deals import DealFilter, deals

ZERO = Decimal("0.00")
# The summary's columns in each grouping (`month` is deal_on's first day of the month).
PLACE_AND_TIME = ("category", "district", "session_id", "month")
KIND = ("technical_field", "industry_id", "right_type")


@dataclass(frozen=True)
class Total:
    count: int
    amount: Decimal


@dataclass(frozen=True)
class DealCube:
    deal_filter: DealFilter
    groups: list[dict]  # one dict per grouping result: its columns, `count` and `total`

    def totals(self, column: str) -> dict:
        """{value of `column`: Total} over the filter's deals. The values add up to the whole
        because each deal sits in exactly one group of each grouping."""
        counts: dict = defaultdict(int)
        amounts: dict = defaultdict(lambda: ZERO)
        for group in self.groups:
            if column in group:
                counts[group[column]] += group["count"]
                amounts[group[column]] += group["total"] or ZERO
        return {key: Total(counts[key], amounts[key]) for key in counts}


def _month(value) -> date:
    """TruncMonth gives a date on PostgreSQL and may give a datetime elsewhere."""
    return value.date() if hasattr(value, "date") else value


def deal_cube(deal_filter: DealFilter) -> DealCube:
    rows = deals(deal_filter)
    by_place_and_time = (
        rows.annotate(month=TruncMonth("deal_on"))
        .values(*PLACE_AND_TIME)
        .annotate(count=Count("pk"), total=Sum("amount"))
    )
    by_kind = rows.values(*KIND).annotate(count=Count("pk"), total=Sum("amount"))
    groups = [{**group, "month": _month(group["month"])} for group in by_place_and_time]
    groups += list(by_kind)
    return DealCube(deal_filter=deal_filter, groups=groups)
