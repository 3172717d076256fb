"""The whole report for one filter: every table, and the chart drawn from each.

A fixed number of queries whatever the data, each over the summary rows
(marketplace.models.GoalDeal): two for the DealCube every table but the top lots is summed
from, one for the top lots, one for the industries' names, one for the sessions' names, one
for the volume before the range when it starts after the goal's first day, and four for the
per-session report when a session is chosen.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from marketplace.goal_report.breakdowns import DIMENSIONS, breakdown
from marketplace.goal_report.charts import BarChart, LineChart, bar_chart, line_chart
from marketplace.goal_report.cube import DealCube, deal_cube
from marketplace.goal_report.deals import DealFilter
from marketplace.goal_report.sessions import session_report
from marketplace.goal_report.tables import (
    Table,
    breakdown_table,
    monthly_table,
    session_report_table,
    sessions_table,
    top_lots_table,
    yearly_table,
)
from marketplace.goal_report.timeline import by_session, monthly


@dataclass(frozen=True)
class Goal:
    amount: Decimal
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Section:
    table: Table
    chart: LineChart | BarChart | None = None


def _bars(table: Table, *, label_column: int = 0, amount_column: int = 2) -> list:
    return [(str(row[label_column]), row[amount_column]) for row in table.rows]


def report_table(deal_filter: DealFilter, goal: Goal, key: str) -> Table | None:
    """One table, for an export: only its own queries. None for an unknown key, or the
    per-session report without a session."""
    if key in DIMENSIONS:
        return breakdown_table(breakdown(deal_cube(deal_filter), key))
    if key == "top_lots":
        return top_lots_table(deal_filter)
    if key in ("months", "years"):
        points = _months(deal_cube(deal_filter), goal)
        return monthly_table(points) if key == "months" else yearly_table(points)
    if key == "sessions":
        return sessions_table(by_session(deal_cube(deal_filter)))
    if key == "session_report" and deal_filter.session is not None:
        return session_report_table(session_report(deal_filter.session))
    return None


def _months(cube: DealCube, goal: Goal):
    return monthly(
        cube,
        goal_amount=goal.amount,
        goal_starts_on=goal.starts_on,
        goal_ends_on=goal.ends_on,
    )


def full_report(deal_filter: DealFilter, goal: Goal) -> list[Section]:
    """Every section, in the page's order."""
    cube = deal_cube(deal_filter)
    points = _months(cube, goal)
    months = monthly_table(points)
    sessions = sessions_table(by_session(cube))
    sections = [
        Section(
            months,
            line_chart(
                chart_id="chart-months",
                title=gettext("Cumulative volume against the pace line to the goal"),
                points=points,
            ),
        ),
        Section(yearly_table(points)),
        Section(
            sessions,
            bar_chart(chart_id="chart-sessions", title=sessions.title, items=_bars(sessions)),
        ),
    ]
    if deal_filter.session is not None:
        sections.append(Section(session_report_table(session_report(deal_filter.session))))
    for dimension in DIMENSIONS:
        table = breakdown_table(breakdown(cube, dimension))
        sections.append(
            Section(
                table,
                bar_chart(chart_id=f"chart-{dimension}", title=table.title, items=_bars(table)),
            )
        )
    top = top_lots_table(deal_filter)
    sections.append(
        Section(
            top,
            bar_chart(
                chart_id="chart-top-lots",
                title=top.title,
                items=_bars(top, label_column=1, amount_column=6),
            ),
        )
    )
    return sections
