"""Production mode, in a subprocess with the environment `make prod` and a real deployment set:
Django's deployment checklist is clean, plain HTTP is sent to HTTPS except the load
balancer's health probe, and bin/prod refuses to start without Stripe keys, saying why."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

PROJECT_DIR = Path(__file__).resolve().parents[2]
# Variables a developer's shell may hold that would change what production mode does.
CLEARED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DATABASE_URL",
    "CACHE_URL",
    "REDIS_URL",
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "SECURE_SSL_REDIRECT",
    "PROD_DEMO",
    "DJANGO_SETTINGS_MODULE",
}

# Answers of the production app to a request as the load balancer forwards it.
PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
answers = {}
for path in ("/health/", "/"):
    response = client.get(path, HTTP_HOST="wie.example.com")
    answers[path] = {"status": response.status_code, "location": response.get("Location")}
secure = client.get("/health/", HTTP_HOST="wie.example.com", HTTP_X_FORWARDED_PROTO="https")
answers["https"] = dict(secure.headers)
print(json.dumps(answers))
"""


def production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="wie.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        STRIPE_SECRET_KEY="sk_test_not_a_real_key",
        STRIPE_PUBLISHABLE_KEY="pk_test_not_a_real_key",
        STRIPE_WEBHOOK_SECRET="whsec_not_a_real_secret",
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)


def test_check_deploy_is_clean_with_a_deployment_environment(tmp_path):
    env = production_environment(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")

    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_plain_http_goes_to_https_except_the_health_probe(tmp_path):
    env = production_environment(tmp_path)

    result = run([sys.executable, "-c", PROBE], env)

    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["/health/"]["status"] == 200
    assert answers["/"] == {"status": 301, "location": "https://wie.example.com/"}
    over_https = answers["https"]
    assert over_https["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self';" in over_https["Content-Security-Policy"] + ";"
    assert over_https["X-Frame-Options"] == "DENY"


def test_make_prod_refuses_to_start_without_stripe_keys_and_says_what_to_do(tmp_path):
    env = production_environment(tmp_path)
    for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "DJANGO_SETTINGS_MODULE"):
        del env[name]

    result = run(["bin/prod"], env)

    assert result.returncode == 1
    assert "set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET" in result.stderr
    assert "PROD_DEMO=1" in result.stderr
