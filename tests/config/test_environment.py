"""Settings pick the database and cache from the environment."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

from config.settings.environment import cache_from_env, database_from_env, env_bool, env_list

PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_no_database_url_means_a_sqlite_file_in_the_project_folder(tmp_path):
    config = database_from_env({}, base_dir=tmp_path)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "db.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_database_url_means_postgresql(tmp_path):
    config = database_from_env(
        {"DATABASE_URL": "postgres://root@127.0.0.1:5432/wie"}, base_dir=tmp_path
    )

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["HOST"], config["PORT"]) == (
        "wie",
        "root",
        "127.0.0.1",
        5432,
    )


def test_blank_database_url_is_treated_as_unset(tmp_path):
    assert database_from_env({"DATABASE_URL": "  "}, base_dir=tmp_path)["ENGINE"].endswith(
        "sqlite3"
    )


def test_no_cache_url_means_local_memory_cache():
    assert cache_from_env({})["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_means_redis_cache():
    cache = cache_from_env({"REDIS_URL": "redis://127.0.0.1:6379/1"})

    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_cache_url_wins_over_redis_url():
    cache = cache_from_env(
        {"CACHE_URL": "redis://127.0.0.1:6379/2", "REDIS_URL": "redis://127.0.0.1:6379/1"}
    )

    assert cache["LOCATION"] == "redis://127.0.0.1:6379/2"


def test_booleans_and_lists_from_the_environment():
    assert env_bool({"DEBUG": "true"}, "DEBUG", default=False) is True
    assert env_bool({"DEBUG": "0"}, "DEBUG", default=True) is False
    assert env_bool({}, "DEBUG", default=True) is True
    assert env_list({"ALLOWED_HOSTS": "a.cn, b.cn,"}, "ALLOWED_HOSTS", default=[]) == [
        "a.cn",
        "b.cn",
    ]
    assert env_list({}, "ALLOWED_HOSTS", default=["x"]) == ["x"]


def settings_engine_under(environment: dict[str, str]) -> str:
    """Import the dev settings in a fresh interpreter and report the database engine."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(environment)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_settings_module_reads_database_url_from_the_environment():
    assert settings_engine_under({}) == "django.db.backends.sqlite3"
    assert (
        settings_engine_under({"DATABASE_URL": "postgres://root@127.0.0.1:5432/wie"})
        == "django.db.backends.postgresql"
    )


def test_this_test_run_uses_the_database_the_environment_names(db):
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )

    assert connection.vendor == expected
