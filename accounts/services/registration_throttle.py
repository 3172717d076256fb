"""How many accounts one client address may create: 5 an hour.

Sign-ups are open to anyone, so a script could otherwise fill the user table (and staff's
verification queue) from one machine. Worker and enterprise registration share one budget per
address. Joining an enterprise by invitation has its own, equal budget: each join needs a
signed invitation a member sent, and colleagues often join from their office's one address, so
it should not use up the public sign-up budget nor be used up by it.

The views take a slot after their form is valid and before the registration service writes
anything, so a refusal leaves nothing behind; a slot is spent even if the service then refuses
(an address that was taken meanwhile), which errs on the strict side.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import RegistrationError
from accounts.services.throttling import cache_key_part, minutes_until, window_hit

REGISTRATIONS_PER_ADDRESS = 5
REGISTRATION_WINDOW = timedelta(hours=1)

SIGN_UP = "sign-up"
JOIN = "join"


class RegistrationRateLimitedError(RegistrationError):
    code = "registration_rate_limited"
    default_message = _(
        "Too many accounts have been created from your network in the last hour. Nothing was "
        "saved: try again in %(minutes)s min."
    )


def registration_slot_take(
    *, ip: str | None, kind: str = SIGN_UP, now: datetime | None = None
) -> None:
    """Count one account about to be created from `ip`; RegistrationRateLimitedError (with the
    minutes until the hour that began with the first one is over) past the limit.

    `kind` is SIGN_UP (worker and enterprise registration) or JOIN (by invitation). A request
    without a usable address (no REMOTE_ADDR) is not limited. Side effects: a cache counter.
    """
    if not ip:
        return
    now = now or timezone.now()
    hit = window_hit(
        f"registration:{kind}:{cache_key_part(ip)}", window=REGISTRATION_WINDOW, now=now
    )
    if hit.count > REGISTRATIONS_PER_ADDRESS:
        raise RegistrationRateLimitedError(minutes=minutes_until(hit.ends_at, now))
