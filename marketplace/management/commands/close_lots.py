"""The auction clock: open sessions whose bidding has started, close lots whose time has come.

    python manage.py close_lots                      # one pass, for cron or a scheduler
    python manage.py close_lots --loop --interval 5  # every 5 seconds until interrupted

Every step is safe to repeat and to run in several processes at once (see
marketplace.services.closing), so a scheduler that fires twice does no harm.
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from licensing.services.agreements import agreements_expire_due
from marketplace.choices import SessionStatus
from marketplace.exceptions import MarketplaceError
from marketplace.models import AuctionSession
from marketplace.services.auctions import session_open
from marketplace.services.closing import lots_close_due
from marketplace.services.defaults import settlements_default_overdue
from marketplace.services.refunds import refunds_retry_due
from marketplace.services.settlement_reminders import settlement_reminders_send

logger = logging.getLogger(__name__)

UPKEEP_STEPS = (
    refunds_retry_due,
    settlements_default_overdue,
    settlement_reminders_send,
    agreements_expire_due,
)


def sessions_open_due() -> int:
    """Open bidding in every published session whose bidding start has passed; the number."""
    opened = 0
    due = AuctionSession.objects.filter(
        status=SessionStatus.PUBLISHED, bidding_start__lte=timezone.now()
    ).order_by("bidding_start", "pk")
    for session in due:
        try:
            session_open(session=session)
        except MarketplaceError as error:
            logger.warning("Auction session %s was not opened: %s", session.pk, error)
            continue
        opened += 1
    return opened


class Command(BaseCommand):
    help = _(
        "Open auction sessions whose bidding has started and close the lots whose closing "
        "time has passed. Safe to run again or in several processes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help=_("Repeat until interrupted (Ctrl+C).")
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help=_("Seconds between two passes with --loop (default 5)."),
        )

    def handle(self, *args, loop: bool = False, interval: float = 5.0, **options):
        if interval <= 0:
            raise CommandError(_("The interval must be more than zero seconds."))
        if not loop:
            self._report(*self._pass())
            return
        try:
            while True:
                # A long-running process: drop connections the database has closed meanwhile.
                close_old_connections()
                try:
                    opened, counts = self._pass()
                except DatabaseError:
                    logger.exception("Closing pass failed; trying again in %s s.", interval)
                else:
                    if opened or any(counts.values()):
                        self._report(opened, counts)
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write(_("Stopped."))

    def _pass(self) -> tuple[int, dict[str, int]]:
        opened = sessions_open_due()
        # Closing comes first: it is what must happen on time.
        counts = lots_close_due()
        # Upkeep: retry failed refunds, default buyers past their due time, remind the others
        # as their due time nears, expire agreements whose term has ended. One failing step
        # (Stripe unreachable, say) is logged and tried again next pass; it must not stop the
        # others, nor the closing of lots in the passes after it.
        for step in UPKEEP_STEPS:
            try:
                step()
            except Exception:  # noqa: BLE001 - logged with its traceback; the loop goes on
                logger.exception("%s failed; it runs again on the next pass.", step.__name__)
        return opened, counts

    def _report(self, opened: int, counts: dict[str, int]) -> None:
        line = _("Sessions opened: %(opened)s. Lots closed: %(sold)s sold, %(passed)s passed.")
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
        self.stdout.write(f"{stamp} {line % {'opened': opened, **counts}}")
