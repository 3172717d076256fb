"""Charts drawn by the project as SVG: the geometry is computed here, the markup is in
templates/marketplace/admin/goal/ (charts/line.html, charts/bars.html). No script, no CDN.

Every chart carries an id for `aria-labelledby`, a title, and is shown beside the table of
the same figures, so nothing is only in the picture.
"""

from dataclasses import dataclass
from decimal import Decimal

from marketplace.goal_report.timeline import MonthPoint

LINE_WIDTH, LINE_HEIGHT = 720, 300
LINE_MARGIN = {"left": 120, "right": 20, "top": 20, "bottom": 40}
BAR_WIDTH = 720
BAR_LABEL_WIDTH = 220
BAR_VALUE_WIDTH = 150
BAR_ROW_HEIGHT = 26
BAR_THICKNESS = 18
Y_TICKS = 4


def whole_yuan(amount: Decimal) -> str:
    return f"¥{int(amount):,}"


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LineChart:
    chart_id: str
    title: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    volume_points: str
    pace_points: str
    y_ticks: list[Tick]
    x_ticks: list[Tick]


@dataclass(frozen=True)
class Bar:
    label: str
    value_label: str
    y: float
    text_y: float
    width: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    width: int
    height: int
    bar_x: int
    bar_thickness: int
    bars: list[Bar]


def _nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10^n at least `value` (at least 1)."""
    if value <= 1:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if magnitude * step >= value:
            return magnitude * step
    return magnitude * 10


def line_chart(*, chart_id: str, title: str, points: list[MonthPoint]) -> LineChart | None:
    """Cumulative volume (months begun so far) against the pace line; None without months."""
    if not points:
        return None
    margin = LINE_MARGIN
    plot_width = LINE_WIDTH - margin["left"] - margin["right"]
    plot_height = LINE_HEIGHT - margin["top"] - margin["bottom"]
    highest = max(
        [point.pace for point in points]
        + [point.cumulative for point in points if point.cumulative is not None]
    )
    ceiling = _nice_ceiling(highest)
    step = plot_width / max(len(points) - 1, 1)

    def x(index: int) -> float:
        return round(margin["left"] + index * step, 1)

    def y(amount: Decimal) -> float:
        return round(margin["top"] + plot_height * float(1 - amount / ceiling), 1)

    volume = " ".join(
        f"{x(i)},{y(point.cumulative)}"
        for i, point in enumerate(points)
        if point.cumulative is not None
    )
    pace = " ".join(f"{x(i)},{y(point.pace)}" for i, point in enumerate(points))
    y_ticks = [
        Tick(y(ceiling * k / Y_TICKS), whole_yuan(ceiling * k / Y_TICKS))
        for k in range(Y_TICKS + 1)
    ]
    # The first month, each January, and the last month.
    x_ticks = [
        Tick(x(i), point.month.strftime("%Y-%m"))
        for i, point in enumerate(points)
        if i == 0 or i == len(points) - 1 or point.month.month == 1
    ]
    return LineChart(
        chart_id=chart_id,
        title=title,
        width=LINE_WIDTH,
        height=LINE_HEIGHT,
        left=margin["left"],
        right=LINE_WIDTH - margin["right"],
        top=margin["top"],
        bottom=LINE_HEIGHT - margin["bottom"],
        volume_points=volume,
        pace_points=pace,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
    )


def bar_chart(*, chart_id: str, title: str, items: list[tuple[str, Decimal]]) -> BarChart | None:
    """Horizontal bars, one per (label, amount), scaled to the largest; None when empty."""
    if not items:
        return None
    largest = max((amount for _label, amount in items), default=Decimal(0))
    room = BAR_WIDTH - BAR_LABEL_WIDTH - BAR_VALUE_WIDTH
    bars = [
        Bar(
            label=label,
            value_label=whole_yuan(amount),
            y=index * BAR_ROW_HEIGHT + (BAR_ROW_HEIGHT - BAR_THICKNESS) / 2,
            text_y=index * BAR_ROW_HEIGHT + BAR_ROW_HEIGHT * 0.68,
            width=round(room * float(amount / largest), 1) if largest > 0 else 0,
            value_x=BAR_LABEL_WIDTH
            + (round(room * float(amount / largest), 1) if largest > 0 else 0)
            + 6,
        )
        for index, (label, amount) in enumerate(items)
    ]
    return BarChart(
        chart_id=chart_id,
        title=title,
        width=BAR_WIDTH,
        height=len(items) * BAR_ROW_HEIGHT,
        bar_x=BAR_LABEL_WIDTH,
        bar_thickness=BAR_THICKNESS,
        bars=bars,
    )
