"""Where a lot stands for someone watching it, from its status and the clock."""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.choices import LotStatus


class LivePhase(models.TextChoices):
    UPCOMING = "upcoming", _("Bidding has not opened yet")
    OPEN = "open", _("Bidding open")
    CLOSED = "closed", _("Bidding closed, result to follow")
    SOLD = "sold", _("Sold")
    PASSED = "passed", _("Passed (unsold)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Nothing about the lot can change any more: watchers may stop asking.
FINAL_PHASES = frozenset({LivePhase.SOLD, LivePhase.PASSED, LivePhase.WITHDRAWN})
# Phases in which bids are (or soon will be) taken, so the countdown and the next bid matter.
BIDDING_PHASES = frozenset({LivePhase.UPCOMING, LivePhase.OPEN})

_BY_STATUS = {
    LotStatus.SOLD: LivePhase.SOLD,
    LotStatus.PASSED: LivePhase.PASSED,
    LotStatus.WITHDRAWN: LivePhase.WITHDRAWN,
}


def lot_phase(
    *, status: str, closes_at: datetime, bidding_start: datetime, now: datetime
) -> LivePhase:
    """A published lot is open from its session's bidding start until its closing time (the
    window bid_place accepts), then closed until the closing task records the result."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if now >= closes_at:
        return LivePhase.CLOSED
    if now < bidding_start:
        return LivePhase.UPCOMING
    return LivePhase.OPEN
