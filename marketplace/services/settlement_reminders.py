"""Reminding a buyer before its balance falls due (3 days and 1 day before, once each).

The close_lots pass calls settlement_reminders_send. A settlement still awaiting payment gets
the reminder of the nearest tier it has entered: at due − 3 days the 3-day one, at due − 1 day
the 1-day one. A buyer whose settlement opened less than three days before it falls due gets
only the nearer one (no two reminders at once). Each is recorded (SettlementReminder, unique
per settlement and tier) before it is emailed, so a reminder goes at most once: a pass run
again, or in two workers at once, sends nothing more; a mail server that is down loses that
one reminder rather than risk sending it twice.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.models import Settlement
from marketplace.models.settlement import SettlementReminder, SettlementStatus
from marketplace.services.settlement_emails import settlement_reminder_notify

logger = logging.getLogger(__name__)

# Days before the due time; nearest last.
REMINDER_DAYS_BEFORE = (3, 1)


def reminder_tier(due_at: datetime, now: datetime) -> int | None:
    """The nearest tier `now` has entered before `due_at`, or None (too early, or overdue)."""
    if now >= due_at:
        return None
    entered = [days for days in REMINDER_DAYS_BEFORE if now >= due_at - timedelta(days=days)]
    return min(entered, default=None)


def settlement_reminders_send(*, now: datetime | None = None, limit: int = 500) -> int:
    """Record and email every reminder due now; the number sent. Safe to run concurrently."""
    now = now or timezone.now()
    candidates = (
        Settlement.objects.filter(
            status=SettlementStatus.AWAITING_PAYMENT,
            due_at__gt=now,
            due_at__lte=now + timedelta(days=max(REMINDER_DAYS_BEFORE)),
        )
        # Those that had the last reminder need no more (and must not crowd out the rest).
        .exclude(reminders__days_before=min(REMINDER_DAYS_BEFORE))
        .order_by("due_at", "pk")
        .values_list("pk", "due_at")[:limit]
    )
    sent = 0
    for settlement_id, due_at in list(candidates):
        days = reminder_tier(due_at, now)
        if days is None or not _claim(settlement_id, days):
            continue
        try:
            settlement_reminder_notify(settlement_id=settlement_id, days_before=days)
        except Exception:
            logger.exception("Reminder for settlement %s (%s days) not sent.", settlement_id, days)
            continue
        sent += 1
    return sent


def _claim(settlement_id: int, days: int) -> bool:
    """Record the reminder; False if it was recorded before (here or by another worker)."""
    try:
        with transaction.atomic():
            SettlementReminder.objects.create(settlement_id=settlement_id, days_before=days)
    except IntegrityError:
        return False
    return True
