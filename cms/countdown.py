"""What the home page counts down to: the session open for bidding (to its first closing) or
the next one in preview (to bidding opening)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from marketplace.choices import SessionStatus
from marketplace.models import AuctionSession


@dataclass(frozen=True)
class Countdown:
    """What the home page counts down to: bidding opening (a session in preview) or the first
    lot closing (a session open for bidding). `remaining` is zero once the moment has passed."""

    session: AuctionSession
    event: str  # "opens" or "closes"
    at: datetime
    remaining: timedelta

    @property
    def days(self) -> int:
        return self.remaining.days

    @property
    def hours(self) -> int:
        return self.remaining.seconds // 3600

    @property
    def minutes(self) -> int:
        return self.remaining.seconds % 3600 // 60


def session_countdown(session: AuctionSession | None, now: datetime) -> Countdown | None:
    if session is None:
        return None
    if session.status == SessionStatus.OPEN:
        event, at = "closes", session.first_lot_closes_at
    else:
        event, at = "opens", session.bidding_start
    return Countdown(session=session, event=event, at=at, remaining=max(at - now, timedelta(0)))
