"""GET /health/: 200 while the database and the cache answer, 503 naming the one that does not."""

import json

import pytest
from django.db import OperationalError, connections

BROKEN_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Nothing listens on port 1: every cache call fails to connect.
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}
FORGETFUL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def health(client, method: str = "get"):
    response = getattr(client, method)("/health/")
    body = json.loads(response.content) if response.content else None
    return response, body


@pytest.fixture
def database_down(db):
    """Every new cursor on the default database fails, as when PostgreSQL is down. Undone
    before the `db` fixture rolls the test back (monkeypatch would undo it after)."""
    connection = connections["default"]

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    connection.cursor = refuse
    yield
    del connection.cursor


def test_answers_200_with_ok_for_each_when_database_and_cache_work(client, db):
    response, body = health(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body == {"database": "ok", "cache": "ok"}


def test_is_never_cached_and_needs_no_login_nor_language_prefix(client, db):
    response, _ = health(client)

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_answers_503_naming_the_database_when_queries_fail(client, database_down, caplog):
    response, body = health(client)

    assert response.status_code == 503
    assert body == {"database": "failed", "cache": "ok"}
    # The reason is for the operators' log, never for the body.
    assert "Connection refused" not in response.content.decode()
    assert "did not answer" in caplog.text


def test_answers_503_naming_the_cache_when_redis_is_unreachable(client, db, settings):
    settings.CACHES = BROKEN_REDIS

    response, body = health(client)

    assert response.status_code == 503
    assert body == {"database": "ok", "cache": "failed"}
    assert "127.0.0.1:1" not in response.content.decode()


def test_answers_503_when_the_cache_does_not_return_what_was_set(client, db, settings):
    settings.CACHES = FORGETFUL_CACHE

    response, body = health(client)

    assert response.status_code == 503
    assert body == {"database": "ok", "cache": "failed"}


def test_answers_503_naming_both_when_both_fail(client, database_down, settings):
    settings.CACHES = BROKEN_REDIS

    response, body = health(client)

    assert response.status_code == 503
    assert body == {"database": "failed", "cache": "failed"}


def test_head_is_answered_and_writes_are_refused(client, db):
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405
