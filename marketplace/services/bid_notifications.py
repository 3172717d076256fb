"""Telling a bidder they have lost the lead, by email, after the bid that took it commits.

At most one email per lot and enterprise in OUTBID_QUIET_SECONDS, so a bidding war does not
flood an inbox; the live lot page shows every change as it happens.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _

from innovations.templatetags.money import yuan
from marketplace.models import Lot
from marketplace.services.lot_emails import bilingual, enterprise_emails, lot_named

OUTBID_QUIET_SECONDS = 10 * 60


def _outbid_message(lot: Lot) -> tuple[str, list[str]]:
    subject = _("You have been outbid on lot %(number)s (%(title)s)") % lot_named(lot)
    lines = [
        _(
            "Another bidder's maximum on lot %(number)s (%(title)s) in %(session)s is now "
            "higher than yours. The price is now %(price)s."
        )
        % {**lot_named(lot), "price": yuan(lot.current_price)},
        _("Bidding closes at %(time)s (Shanghai time), later if bids come in at the end.")
        % {"time": timezone.localtime(lot.closes_at).strftime("%Y-%m-%d %H:%M:%S")},
    ]
    return subject, lines


def bid_outbid_notify(*, lot_id: int, enterprise_id: int) -> int:
    """Email the members of `enterprise_id` that they lost the lead on `lot_id`; emails sent."""
    if not cache.add(f"outbid-email:{lot_id}:{enterprise_id}", 1, OUTBID_QUIET_SECONDS):
        return 0
    lot = Lot.objects.select_related("session").get(pk=lot_id)
    recipients = enterprise_emails([enterprise_id])[enterprise_id]
    if not recipients:
        return 0
    subject, body = bilingual(_outbid_message, lot)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients).send()
    return 1
