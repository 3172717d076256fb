"""Locking out repeated failed logins, per account identifier and per client address.

- 5 failed logins with one identifier (the email, mobile number or username typed,
  normalised) within 15 minutes of the first lock that identifier for 15 minutes, whether or
  not an account has it, so a lock tells nothing about which accounts exist.
- 20 failed logins from one client address (throttling.client_ip) within 15 minutes lock that
  address for 15 minutes, whatever identifiers it tries.
- A successful login clears its identifier's count; never the address's, or one account the
  attacker owns would reset its guessing budget.

While locked, an attempt is refused before the password is checked: it costs no hashing, says
nothing through its timing, and counts nothing. accounts.backends.EmailOrMobileBackend calls
these for every login form (the site's and Wagtail's) and explains why it is the place.

Counts and locks live in the shared cache (Redis in production); they are keyed by digests, so
no identifier or address is stored in clear.
"""

import logging
import unicodedata
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import DomainError
from accounts.services.throttling import cache_key_part, minutes_until, window_hit, window_reset

logger = logging.getLogger("wie.auth")

IDENTIFIER_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)

IDENTIFIER = "identifier"
ADDRESS = "address"


class LoginThrottledError(DomainError):
    """A login refused without checking the password, because of earlier failures."""

    code = "login_throttled"


class LoginIdentifierLockedError(LoginThrottledError):
    code = "login_identifier_locked"
    default_message = _(
        "Too many failed logins with this email address or mobile number. To protect the "
        "account, logging in with it is paused: try again in %(minutes)s min."
    )


class LoginAddressLockedError(LoginThrottledError):
    code = "login_address_locked"
    default_message = _(
        "Too many failed logins from your network. Logging in from it is paused: try again in "
        "%(minutes)s min."
    )


def normalize_identifier(identifier: str) -> str:
    """One spelling per identifier: full-width characters folded (NFKC), case folded (emails
    are matched case-insensitively), surrounding spaces dropped."""
    return unicodedata.normalize("NFKC", identifier or "").strip().casefold()


def _prefix(scope: str, value: str) -> str:
    return f"login-fail:{scope}:{cache_key_part(value)}"


def _lock_key(scope: str, value: str) -> str:
    return f"login-lock:{scope}:{cache_key_part(value)}"


def _locked_until(scope: str, value: str, now: datetime) -> float | None:
    # The lock holds its end time, so the caller's `now` decides (the entry may outlive it).
    until = cache.get(_lock_key(scope, value))
    return until if until is not None and until > now.timestamp() else None


def login_throttle_check(*, identifier: str, ip: str | None, now: datetime | None = None) -> None:
    """Refuse a login attempt before its password is checked if its identifier or its address
    is locked: LoginIdentifierLockedError or LoginAddressLockedError, with the minutes to wait.

    Reads the cache only; records nothing.
    """
    now = now or timezone.now()
    identifier = normalize_identifier(identifier)
    identifier_until = _locked_until(IDENTIFIER, identifier, now) if identifier else None
    address_until = _locked_until(ADDRESS, ip, now) if ip else None
    # Both locked: the one that lasts longer is what the person has to wait for.
    if address_until is not None and (identifier_until is None or address_until > identifier_until):
        raise LoginAddressLockedError(minutes=minutes_until(address_until, now))
    if identifier_until is not None:
        raise LoginIdentifierLockedError(minutes=minutes_until(identifier_until, now))


def _failure_count(scope: str, value: str, limit: int, now: datetime) -> None:
    hit = window_hit(_prefix(scope, value), window=FAILURE_WINDOW, now=now)
    if hit.count >= limit:
        until = now.timestamp() + LOCK_DURATION.total_seconds()
        # A little longer in the cache than the lock, so a slow clock never ends it early.
        cache.set(_lock_key(scope, value), until, timeout=int(LOCK_DURATION.total_seconds()) + 60)
        # After the lock, a fresh count: one more mistake should not lock again at once.
        window_reset(_prefix(scope, value))
        logger.warning(
            "Login lock set for %s %s after %s failures.",
            scope,
            cache_key_part(value),
            hit.count,
            extra={
                "event": "login_locked",
                "scope": scope,
                "key_digest": cache_key_part(value),
                "failures": hit.count,
                "locked_minutes": int(LOCK_DURATION.total_seconds() // 60),
            },
        )


def login_failure_record(*, identifier: str, ip: str | None, now: datetime | None = None) -> None:
    """Count a failed login against its identifier and its address; lock either that reaches
    its limit. Side effects: cache counters, and a "wie.auth" warning when a lock is set."""
    now = now or timezone.now()
    identifier = normalize_identifier(identifier)
    if identifier:
        _failure_count(IDENTIFIER, identifier, IDENTIFIER_FAILURE_LIMIT, now)
    if ip:
        _failure_count(ADDRESS, ip, ADDRESS_FAILURE_LIMIT, now)


def login_success_record(*, identifier: str) -> None:
    """A correct password: the identifier's failures are forgotten (the address's are not)."""
    window_reset(_prefix(IDENTIFIER, normalize_identifier(identifier)))
