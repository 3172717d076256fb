"""Turn environment variables into Django settings values.

Kept apart from the settings modules so the rules (which database, which cache) can be
tested with a plain dict instead of re-importing settings.
"""

from collections.abc import Mapping
from pathlib import Path

import dj_database_url

TRUE_WORDS = {"1", "true", "yes", "on"}

# SQLite's default deferred transactions turn concurrent writers into "database is locked"
# errors; IMMEDIATE takes the write lock up front and WAL lets readers go on meanwhile.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def env_bool(environ: Mapping[str, str], name: str, *, default: bool) -> bool:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(environ: Mapping[str, str], name: str, *, default: list[str]) -> list[str]:
    value = environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


def database_from_env(environ: Mapping[str, str], *, base_dir: Path) -> dict:
    """PostgreSQL (or any dj-database-url URL) when DATABASE_URL is set, else a SQLite file."""
    url = environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": base_dir / "db.sqlite3",
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


def cache_from_env(environ: Mapping[str, str]) -> dict:
    """Redis when CACHE_URL or REDIS_URL is set, else a per-process memory cache.

    The shared Redis cache matters in production: rate limits and cached figures must be
    the same on every app server behind the load balancer.
    """
    url = (environ.get("CACHE_URL") or environ.get("REDIS_URL") or "").strip()
    if url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "wie",
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "wie-default",
    }
