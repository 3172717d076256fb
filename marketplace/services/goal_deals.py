"""Keeping the goal report's summary rows (marketplace.models.GoalDeal) equal to the deals.

What counts is the rule of marketplace.goal_queries (`Settlement.objects.counting_toward_goal`,
`Agreement.objects.confirmed().negotiated()`); the row's attributes are resolved here, once.

Attribution rule, so that every breakdown adds up exactly to the whole: a deal is attributed
in full to ONE innovation, its *primary innovation* — for a lot, the first of its innovations
(LotInnovation by position, then id: the package's lead innovation); for an agreement, the
innovation with the lowest id (an agreement's innovations are not ordered). The category and
technical field are that innovation's; the industry is its first industry by slug (an
innovation may have several). District is the buyer's (the settlement's buyer, the
agreement's licensee); the right is the lot's or the agreement's. A deal without one of these
is reported as "not specified". Nothing is split, so counts are deals and amounts stay whole fen.

Writers: settlement_create and settlement_default (marketplace.services.settlement, .defaults)
and agreement_transition (licensing.services.agreements) call the sync functions inside their
own transactions. Data written straight into the tables (an import, the benchmark's
generator, test factories) is brought in with goal_deals_rebuild().
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.fields import CharField, DateField, IntegerField
from django.db.models.functions import TruncDate
from django.utils import timezone

from innovations.models import Innovation
from licensing.models import Agreement
from marketplace.models import GoalDeal, LotInnovation, Settlement

IndustryLink = Innovation.industries.through
AgreementInnovation = Agreement.innovations.through
# The columns a summary row is made of, besides its settlement or agreement.
ROW_FIELDS = (
    "amount",
    "deal_on",
    "session_id",
    "innovation_id",
    "category",
    "technical_field",
    "industry_id",
    "district",
    "right_type",
)
REBUILD_BATCH = 5000


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


def _as_rows(queryset, key: str) -> list[dict]:
    """Values under the summary's column names (the annotations carry a `summary_` prefix, so they
    cannot clash with the model's own fields); `key` names the settlement or agreement id."""
    return [
        {key: values["pk"], **{name: values[f"summary_{name}"] for name in ROW_FIELDS}}
        for values in queryset.values("pk", *(f"summary_{name}" for name in ROW_FIELDS))
    ]


def sale_rows(settlements=None) -> list[dict]:
    """The summary rows the counting settlements (of `settlements`, default all) should have."""
    settlements = Settlement.objects.all() if settlements is None else settlements
    queryset = (
        settlements.counting_toward_goal()
        .annotate(
            summary_amount=F("price"),
            summary_deal_on=TruncDate("created_at", tzinfo=timezone.get_default_timezone()),
            summary_session_id=F("lot__session_id"),
            summary_innovation_id=_lot_primary("innovation_id", IntegerField()),
            summary_category=_lot_primary("innovation__category", CharField()),
            summary_technical_field=_lot_primary("innovation__technical_field", CharField()),
            summary_district=F("buyer__district"),
            summary_right_type=F("lot__right_type"),
        )
        .annotate(summary_industry_id=_first_industry(OuterRef("summary_innovation_id")))
        .order_by("pk")
    )
    return _as_rows(queryset, "settlement_id")


def agreement_rows(agreements=None) -> list[dict]:
    """The summary rows the confirmed negotiated agreements (of `agreements`) should have."""
    agreements = Agreement.objects.all() if agreements is None else agreements
    queryset = (
        agreements.confirmed()
        .negotiated()
        .annotate(
            summary_amount=F("deal_amount"),
            summary_deal_on=F("confirmed_on"),
            summary_session_id=Value(None, output_field=IntegerField()),
            summary_innovation_id=_agreement_primary("innovation_id", IntegerField()),
            summary_category=_agreement_primary("innovation__category", CharField()),
            summary_technical_field=_agreement_primary("innovation__technical_field", CharField()),
            summary_district=F("licensee__district"),
            summary_right_type=F("right_type"),
        )
        .annotate(summary_industry_id=_first_industry(OuterRef("summary_innovation_id")))
        .order_by("pk")
    )
    return _as_rows(queryset, "agreement_id")


def _cleaned(row: dict) -> dict:
    """A row as the model stores it: blanks rather than nulls in the text columns, the day as a
    date (SQLite's TruncDate can return a string)."""
    cleaned = dict(row)
    for name in ("category", "technical_field", "district", "right_type"):
        cleaned[name] = cleaned[name] or ""
    if not isinstance(cleaned["deal_on"], date):
        cleaned["deal_on"] = DateField().to_python(cleaned["deal_on"])
    cleaned["amount"] = Decimal(cleaned["amount"]).quantize(Decimal("0.01"))
    return cleaned


def _sync(key: str, object_id: int, rows: list[dict]) -> None:
    if not rows:
        GoalDeal.objects.filter(**{key: object_id}).delete()
        return
    row = _cleaned(rows[0])
    GoalDeal.objects.update_or_create(
        **{key: object_id}, defaults={name: row[name] for name in ROW_FIELDS}
    )


def goal_deal_sync_settlement(settlement_id: int) -> None:
    """Write, update or remove the settlement's summary row to match whether it counts.
    Two statements; call inside the transaction that changed the settlement."""
    _sync(
        "settlement_id",
        settlement_id,
        sale_rows(Settlement.objects.filter(pk=settlement_id)),
    )


def goal_deal_sync_agreement(agreement_id: int) -> None:
    """The same for a negotiated agreement (an auction agreement never has a row: its sale
    counts)."""
    _sync(
        "agreement_id",
        agreement_id,
        agreement_rows(Agreement.objects.filter(pk=agreement_id)),
    )


def expected_rows() -> list[dict]:
    """Every summary row the deals call for, as stored."""
    return [_cleaned(row) for row in (*sale_rows(), *agreement_rows())]


@transaction.atomic
def goal_deals_rebuild() -> int:
    """Replace every summary row with the ones the deals call for; the number written."""
    rows = expected_rows()
    GoalDeal.objects.all().delete()
    GoalDeal.objects.bulk_create((GoalDeal(**row) for row in rows), batch_size=REBUILD_BATCH)
    return len(rows)


def _stored_rows() -> list[dict]:
    keys = ("settlement_id", "agreement_id", *ROW_FIELDS)
    return list(GoalDeal.objects.values(*keys))


def goal_deals_differences() -> list[str]:
    """How the stored rows differ from the deals, one line per deal (none when they agree)."""

    def keyed(rows):
        return {
            (row.get("settlement_id"), row.get("agreement_id")): {
                name: row[name] for name in ROW_FIELDS
            }
            for row in rows
        }

    expected = keyed(expected_rows())
    stored = keyed(_stored_rows())
    differences = []
    for key in sorted(set(expected) | set(stored), key=lambda k: (k[0] or 0, k[1] or 0)):
        label = f"settlement {key[0]}" if key[0] else f"agreement {key[1]}"
        if key not in stored:
            differences.append(f"{label}: missing")
        elif key not in expected:
            differences.append(f"{label}: counted but is not a deal")
        elif stored[key] != expected[key]:
            changed = [name for name in ROW_FIELDS if stored[key][name] != expected[key][name]]
            differences.append(f"{label}: differs in {', '.join(changed)}")
    return differences
