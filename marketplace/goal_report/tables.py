"""Every table of the report as a title, typed columns and rows: the page shows them, the
exports write them, and the charts read the same figures. One builder per table."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innovations.templatetags.money import yuan
from marketplace.goal_report.breakdowns import DIMENSIONS, Breakdown, top_lots
from marketplace.goal_report.deals import DealFilter
from marketplace.goal_report.sessions import SessionReport
from marketplace.goal_report.timeline import MonthPoint, SessionVolume, yearly

TEXT, INTEGER, MONEY, PERCENT = "text", "integer", "money", "percent"
# A column whose rows each say their kind: cells are (kind, value) pairs.
MIXED = "mixed"
NOT_STATED = "—"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    # The total row, shown last and exported last; None when a total means nothing.
    footer: list | None = None

    def _typed(self, row: list) -> list[tuple[str, object]]:
        return [
            cell if column.kind == MIXED else (column.kind, cell)
            for column, cell in zip(self.columns, row, strict=True)
        ]

    def typed_rows(self) -> list[list[tuple[str, object]]]:
        """Every row (the total last) as (kind, value) cells."""
        rows = [*self.rows, self.footer] if self.footer is not None else self.rows
        return [self._typed(row) for row in rows]

    @property
    def display_footer(self) -> list[tuple[str, str]] | None:
        if self.footer is None:
            return None
        return [(kind, display(kind, value)) for kind, value in self._typed(self.footer)]

    @property
    def display_body(self) -> list[list[tuple[str, str]]]:
        return [
            [(kind, display(kind, value)) for kind, value in self._typed(row)] for row in self.rows
        ]


def display(kind: str, value) -> str:
    if value is None:
        return NOT_STATED
    if kind == MONEY:
        return yuan(value)
    if kind == PERCENT:
        return f"{value:.2f}%"
    if kind == INTEGER:
        return formats.number_format(value, force_grouping=True)
    return str(value)


def _total_label() -> str:
    return gettext("Total")


def breakdown_table(result: Breakdown) -> Table:
    return Table(
        key=result.dimension,
        title=gettext("Volume by %(dimension)s") % {"dimension": result.title},
        columns=[
            Column(result.title),
            Column(gettext("Deals"), INTEGER),
            Column(gettext("Volume (yuan)"), MONEY),
            Column(gettext("Share of the total (%)"), PERCENT),
        ],
        rows=[
            [row.label, row.count, row.amount, row.share_of(result.amount)] for row in result.rows
        ],
        footer=[
            _total_label(),
            result.count,
            result.amount,
            Decimal("100.00") if result.amount > 0 else Decimal("0.00"),
        ],
    )


def top_lots_table(deal_filter: DealFilter) -> Table:
    return Table(
        key="top_lots",
        title=gettext("Top 10 lots"),
        columns=[
            Column(gettext("Rank"), INTEGER),
            Column(gettext("Lot")),
            Column(gettext("Auction session")),
            Column(gettext("Right")),
            Column(gettext("Buyer")),
            Column(gettext("Date")),
            Column(gettext("Price (yuan)"), MONEY),
        ],
        rows=[
            [
                rank,
                str(settlement.lot),
                settlement.lot.session.name,
                settlement.lot.get_right_type_display(),
                settlement.buyer.name,
                formats.date_format(settlement.created_at.astimezone(), "Y-m-d"),
                settlement.price,
            ]
            for rank, settlement in enumerate(top_lots(deal_filter), start=1)
        ],
    )


def monthly_table(points: list[MonthPoint]) -> Table:
    return Table(
        key="months",
        title=gettext("Cumulative volume by month against the pace line"),
        columns=[
            Column(gettext("Month")),
            Column(gettext("Deals"), INTEGER),
            Column(gettext("Volume in the month (yuan)"), MONEY),
            Column(gettext("Cumulative volume (yuan)"), MONEY),
            Column(gettext("Pace line (yuan)"), MONEY),
        ],
        rows=[
            [point.month.strftime("%Y-%m"), point.count, point.volume, point.cumulative, point.pace]
            for point in points
        ],
    )


def yearly_table(points: list[MonthPoint]) -> Table:
    years = yearly(points)
    return Table(
        key="years",
        title=gettext("Volume by year"),
        columns=[
            Column(gettext("Year")),
            Column(gettext("Deals"), INTEGER),
            Column(gettext("Volume (yuan)"), MONEY),
        ],
        rows=[[str(year), count, amount] for year, count, amount in years],
        footer=[
            _total_label(),
            sum(count for _year, count, _amount in years),
            sum((amount for _year, _count, amount in years), Decimal("0.00")),
        ],
    )


def sessions_table(rows: list[SessionVolume]) -> Table:
    return Table(
        key="sessions",
        title=gettext("Volume by auction session"),
        columns=[
            Column(gettext("Auction session")),
            Column(gettext("Deals"), INTEGER),
            Column(gettext("Volume (yuan)"), MONEY),
        ],
        rows=[[row.label, row.count, row.amount] for row in rows],
        footer=[
            _total_label(),
            sum(row.count for row in rows),
            sum((row.amount for row in rows), Decimal("0.00")),
        ],
    )


def session_report_table(report: SessionReport) -> Table:
    figures = [
        (_("Lots offered"), INTEGER, report.lots_offered),
        (_("Lots still open"), INTEGER, report.lots_open),
        (_("Lots sold"), INTEGER, report.lots_sold),
        (_("Lots passed (unsold)"), INTEGER, report.lots_passed),
        (_("Sell-through rate (%)"), PERCENT, report.sell_through),
        (_("Hammer total (yuan)"), MONEY, report.hammer_total),
        (_("Starting prices of the lots sold (yuan)"), MONEY, report.starting_total_sold),
        (_("Hammer total over starting prices (%)"), PERCENT, report.hammer_over_starting),
        (_("Starting prices of all lots offered (yuan)"), MONEY, report.starting_total_offered),
        (_("Bidders"), INTEGER, report.bidders),
        (_("Bids"), INTEGER, report.bids),
        (_("Deposits received"), INTEGER, report.deposits_received_count),
        (_("Deposits received (yuan)"), MONEY, report.deposits_received),
        (_("Deposits held (yuan)"), MONEY, report.deposits_held),
        (_("Deposits applied to prices (yuan)"), MONEY, report.deposits_applied),
        (_("Deposits refunded (yuan)"), MONEY, report.deposits_refunded),
        (_("Deposits forfeited (yuan)"), MONEY, report.deposits_forfeited),
        (_("Defaults"), INTEGER, report.defaults),
        (_("Prices of defaulted sales (yuan)"), MONEY, report.defaulted_total),
    ]
    # One figure per row; the kind travels with the row so the exports type each value.
    return Table(
        key="session_report",
        title=gettext("Session report: %(session)s") % {"session": report.session.name},
        columns=[Column(gettext("Figure")), Column(gettext("Value"), MIXED)],
        rows=[[str(label), (kind, value)] for label, kind, value in figures],
    )


TABLE_KEYS = [*DIMENSIONS, "top_lots", "months", "years", "sessions", "session_report"]
