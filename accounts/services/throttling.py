"""Counting attempts in the shared cache, and telling which client made them.

Used by the login lockout (login_throttle) and the registration limit (registration_throttle).
The cache is Redis in production, so every app server behind the load balancer sees the same
counts; in tests it is local memory, cleared before each test (tests/conftest.py).
"""

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class WindowCount:
    """How many attempts the current window holds, and when it ends (epoch seconds)."""

    count: int
    ends_at: float


def cache_key_part(value: str) -> str:
    """A digest to put in a cache key: fixed length, safe characters, and no email address or
    phone number stored in the cache in clear."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def minutes_until(until: float, now: datetime) -> int:
    """Whole minutes to wait, rounded up and at least one, for the refusal messages."""
    return max(1, math.ceil((until - now.timestamp()) / 60))


def window_hit(prefix: str, *, window: timedelta, now: datetime) -> WindowCount:
    """Count one attempt in the window that began with the first attempt under `prefix`.

    The window starts at the first attempt and lasts `window`; the next attempt after it
    starts a new one. The start is written with cache.add and the count with cache.incr, so
    concurrent requests on several servers neither lose a count nor start two windows.
    The caller's `now` decides whether the window is over (the cache entries outlive it a
    little), so a test that moves `now` forward sees the window end.
    """
    stamp = now.timestamp()
    seconds = window.total_seconds()
    start_key = f"{prefix}:start"
    cache.add(start_key, stamp, timeout=math.ceil(seconds))
    start = cache.get(start_key, stamp)
    # A start a little ahead of `now` is another server's clock, and its window goes on; only
    # one a whole window away is over (or was left by a test that moved the clock).
    if abs(stamp - start) >= seconds:
        cache.set(start_key, stamp, timeout=math.ceil(seconds))
        start = stamp
    count_key = f"{prefix}:{start!r}"
    cache.add(count_key, 0, timeout=math.ceil(seconds))
    try:
        count = cache.incr(count_key)
    except ValueError:
        # Expired between add and incr.
        cache.add(count_key, 1, timeout=math.ceil(seconds))
        count = 1
    return WindowCount(count=count, ends_at=start + seconds)


def window_reset(prefix: str) -> None:
    """Forget the current window: the next attempt starts a new one at zero."""
    start = cache.get(f"{prefix}:start")
    if start is not None:
        cache.delete_many([f"{prefix}:start", f"{prefix}:{start!r}"])


def client_ip(request: HttpRequest | None) -> str | None:
    """The address to count a request against, or None when there is none.

    REMOTE_ADDR, unless settings.TRUSTED_PROXY_COUNT (default 0) says that many proxies we run
    (the load balancer) stand in front of the app: then the address the outermost of them saw,
    which is that many entries from the *right* of X-Forwarded-For. Not the leftmost entry:
    the client writes that one itself, and an attacker would send a new one with every guess.
    IPv6 clients are counted by their /64 network, which one subscriber usually holds whole.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
