"""Confirmed deals, as two annotated querysets: auction sales and negotiated agreements.

A confirmed deal is what marketplace.goal_queries.deal_volume sums (its window_settlements and
window_agreements are read here, so the rule is written once): every settlement that did
not default (its `price`), dated by its creation in Shanghai days, plus every confirmed
negotiated agreement (its `deal_amount`), dated by `confirmed_on`.

Attribution rule, so that every breakdown adds up exactly to the whole: a deal is attributed
in full to ONE innovation, its *primary innovation* — for a lot, the first of its innovations
(LotInnovation by position, then id: the package's lead innovation); for an agreement, the
innovation with the lowest id (an agreement's innovations are not ordered). The category and
technical field are that innovation's; the industry is its first industry by slug (an
innovation may have several). A deal with no such innovation or no industry falls in a
"not specified" row. District is the buyer's (the settlement's buyer, the agreement's
licensee). Nothing is split, so counts are deals and amounts stay whole fen.

The attributes are correlated subqueries on indexed columns (lot_innovation_once leads with
lot_id; the M2M tables' unique indexes lead with the agreement and the innovation), so each
breakdown is one GROUP BY query per kind of deal, whatever the number of deals.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, OuterRef, QuerySet, Subquery, Value
from django.db.models.fields import CharField, IntegerField

from innovations.models import Innovation
from licensing.models import Agreement
from marketplace.goal_queries import window_agreements, window_settlements
from marketplace.models import AuctionSession, LotInnovation, Settlement

IndustryLink = Innovation.industries.through
AgreementInnovation = Agreement.innovations.through


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


def _first_industry(innovation_ref) -> Subquery:
    return Subquery(
        IndustryLink.objects.filter(innovation_id=innovation_ref)
        .order_by("industry__slug", "industry_id")
        .values("industry_id")[:1],
        output_field=IntegerField(),
    )


def _lot_primary(field: str, output_field) -> Subquery:
    return Subquery(
        LotInnovation.objects.filter(lot_id=OuterRef("lot_id"))
        .order_by("position", "id")
        .values(field)[:1],
        output_field=output_field,
    )


def _agreement_primary(field: str, output_field) -> Subquery:
    return Subquery(
        AgreementInnovation.objects.filter(agreement_id=OuterRef("pk"))
        .order_by("innovation_id")
        .values(field)[:1],
        output_field=output_field,
    )


def confirmed_sales(deal_filter: DealFilter) -> QuerySet[Settlement]:
    """Settlements counting toward the goal, with `amount`, `deal_on` attributes and
    `category`, `technical_field`, `industry`, `district`, `right_type`, `session`."""
    sales = (
        window_settlements(deal_filter.starts_on, deal_filter.ends_on)
        .annotate(
            amount=F("price"),
            primary_innovation=_lot_primary("innovation_id", IntegerField()),
            category=_lot_primary("innovation__category", CharField()),
            technical_field=_lot_primary("innovation__technical_field", CharField()),
            district=F("buyer__district"),
            right_type=F("lot__right_type"),
            session=F("lot__session_id"),
        )
        .annotate(industry=_first_industry(OuterRef("primary_innovation")))
        .order_by()
    )
    if deal_filter.session is not None:
        sales = sales.filter(lot__session_id=deal_filter.session.pk)
    if deal_filter.category:
        sales = sales.filter(category=deal_filter.category)
    if deal_filter.district:
        sales = sales.filter(buyer__district=deal_filter.district)
    return sales


def confirmed_agreements(deal_filter: DealFilter) -> QuerySet[Agreement]:
    """Confirmed negotiated agreements, annotated like confirmed_sales (`session` is null);
    none when the filter names a session."""
    agreements = (
        window_agreements(deal_filter.starts_on, deal_filter.ends_on)
        .annotate(
            amount=F("deal_amount"),
            primary_innovation=_agreement_primary("innovation_id", IntegerField()),
            category=_agreement_primary("innovation__category", CharField()),
            technical_field=_agreement_primary("innovation__technical_field", CharField()),
            district=F("licensee__district"),
            session=Value(None, output_field=IntegerField()),
        )
        .annotate(industry=_first_industry(OuterRef("primary_innovation")))
        .order_by()
    )
    if deal_filter.session is not None:
        # Still annotated, so the callers' aggregates over `amount` work on the empty set.
        return agreements.none()
    if deal_filter.category:
        agreements = agreements.filter(category=deal_filter.category)
    if deal_filter.district:
        agreements = agreements.filter(licensee__district=deal_filter.district)
    return agreements
