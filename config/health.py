"""GET /health/: can this app server answer requests? For the load balancer and `make prod`.

200 when a trivial query on the default database and a set/get round-trip through the
default cache (Redis in production) both work; 503 naming the one that failed otherwise. The
body says only "ok" or "failed" per dependency: no host names, no error text, no personal
data. The reason of a failure goes to the log, where operators look.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
FAILED = "failed"
# Long enough to survive the round-trip, short enough that an abandoned key soon goes.
PROBE_TIMEOUT_SECONDS = 10


def database_is_up() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        # Any failure means "down", whatever the driver raises; the log keeps the reason.
        logger.exception("Health check: the default database did not answer")
        return False


def cache_is_up() -> bool:
    # A key and value of its own for each probe: app servers probing at the same time must
    # not read each other's value and report a working cache as broken.
    key = f"health:{secrets.token_hex(8)}"
    token = secrets.token_hex(8)
    try:
        cache.set(key, token, timeout=PROBE_TIMEOUT_SECONDS)
        answered = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.exception("Health check: the default cache did not answer")
        return False
    if answered != token:
        logger.error("Health check: the default cache did not return the value just set")
        return False
    return True


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_is_up(), "cache": cache_is_up()}
    body = {name: OK if up else FAILED for name, up in checks.items()}
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
