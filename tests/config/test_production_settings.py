"""Production settings pass Django's deployment checklist and refuse to run half-configured."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

PROJECT_DIR = Path(__file__).resolve().parents[2]
# What `django-admin` generates for a new project: 50 random characters.
REAL_SECRET = get_random_secret_key()


def run_manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(environment)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_reports_no_issues_with_a_real_secret_key_and_hosts():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        SECRET_KEY=REAL_SECRET,
        ALLOWED_HOSTS="wie.example.com",
        STRIPE_SECRET_KEY="sk_test_not_a_real_key",
        STRIPE_WEBHOOK_SECRET="whsec_not_a_real_secret",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="wie.example.com")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_stripe_keys():
    result = run_manage("check", SECRET_KEY=REAL_SECRET, ALLOWED_HOSTS="wie.example.com")

    assert result.returncode != 0
    assert "Set STRIPE_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY=REAL_SECRET)

    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr
