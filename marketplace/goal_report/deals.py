"""The deals a report covers: the summary rows (marketplace.models.GoalDeal) its filter selects.

A confirmed deal is what marketplace.goal_queries.deal_volume sums: every settlement that did
not default (its `price`), dated by its creation in Shanghai days, plus every confirmed
negotiated agreement (its `deal_amount`), dated by `confirmed_on`. Each has one summary row,
written with the deal by marketplace.services.goal_deals, which also holds the attribution
rule (each deal counted once, under its primary innovation), so every breakdown adds up to
the whole and each table is one GROUP BY over the summary.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from marketplace.models import AuctionSession, GoalDeal


@dataclass(frozen=True)
class DealFilter:
    """Which deals the report covers. Days are Shanghai days, both ends included.

    With a session, only that session's sales: negotiated agreements belong to no session.
    """

    starts_on: date
    ends_on: date
    session: AuctionSession | None = None
    category: str = ""
    district: str = ""

    def as_query(self) -> dict[str, str]:
        """The filter as GET parameters (for export links)."""
        query = {"starts_on": self.starts_on.isoformat(), "ends_on": self.ends_on.isoformat()}
        if self.session is not None:
            query["session"] = str(self.session.pk)
        if self.category:
            query["category"] = self.category
        if self.district:
            query["district"] = self.district
        return query


def deals(deal_filter: DealFilter) -> QuerySet[GoalDeal]:
    """The summary rows of the filter's deals (`amount`, `deal_on`, `session`, attributes)."""
    rows = GoalDeal.objects.filter(
        deal_on__gte=deal_filter.starts_on, deal_on__lte=deal_filter.ends_on
    ).order_by()
    if deal_filter.session is not None:
        rows = rows.filter(session_id=deal_filter.session.pk)
    if deal_filter.category:
        rows = rows.filter(category=deal_filter.category)
    if deal_filter.district:
        rows = rows.filter(district=deal_filter.district)
    return rows
