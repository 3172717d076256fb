"""GET /api/v1/goal: progress toward the union's goal, as the public goal page shows it.

Public (no authentication) and read-only. The figures and their definitions are
marketplace.goal_queries.goal_progress. Money and the percent are JSON strings with two
decimals ("12345.00"), like every amount of this API, so no float touches them.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import WithJsonSchema

from marketplace.api import Money
from marketplace.goal_queries import GoalProgress, goal_progress

router = Router(tags=["goal"])

Percent = Annotated[Decimal, WithJsonSchema({"type": "string", "examples": ["25.00"]})]


class GoalWindow(Schema):
    starts_on: date = Field(description="First day counted (Shanghai time).")
    ends_on: date = Field(description="Last day counted, included: a deal at 23:59 counts.")


class GoalOut(Schema):
    amount: Money = Field(description="The goal.")
    volume: Money = Field(
        description="Confirmed deals in the window: hammer prices of sales not defaulted, "
        "plus negotiated deals."
    )
    settled: Money = Field(description="The part of the volume already paid.")
    percent: Percent = Field(description="Volume ÷ amount × 100, rounded down.")
    remaining: Money = Field(description="Amount − volume, at least 0.")
    window: GoalWindow
    sessions_held: int = Field(description="Auction sessions of the window closed or settled.")
    sessions_left: int = Field(
        description="Auction sessions of the window (two a year) not held yet that still can be."
    )
    average_needed_per_session: Money | None = Field(
        description="Remaining ÷ sessions left, rounded up; null when no session is left."
    )
    projection: Money | None = Field(
        description="Volume ÷ elapsed days × window days; null before the window opens."
    )
    on_track: bool | None = Field(description="Projection ≥ amount; null before the window opens.")
    status: str = Field(
        description="reached, on_track, behind, missed (the window ended short) or not_started."
    )
    status_text: str = Field(description="The status in plain words, in the request's language.")
    as_of: date = Field(description="The Shanghai day the figures are for.")


def goal_body(progress: GoalProgress) -> dict:
    return {
        "amount": progress.amount,
        "volume": progress.volume,
        "settled": progress.settled,
        "percent": progress.percent,
        "remaining": progress.remaining,
        "window": {"starts_on": progress.starts_on, "ends_on": progress.ends_on},
        "sessions_held": progress.sessions_held,
        "sessions_left": progress.sessions_left,
        "average_needed_per_session": progress.average_needed,
        "projection": progress.projection,
        "on_track": progress.on_track,
        "status": progress.status,
        "status_text": progress.status_text,
        "as_of": progress.today,
    }


@router.get("/goal", response=GoalOut, summary="Progress toward the goal")
def goal_read(request: HttpRequest):
    """The goal's amount and window, the volume and settled amount so far, sessions held and
    left, the average needed per remaining session, the projection and whether it is on track."""
    return goal_body(goal_progress())
