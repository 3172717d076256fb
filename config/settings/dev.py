"""A newcomer's machine: debug on, SQLite unless DATABASE_URL says otherwise, console mail."""

from config.settings.base import *

DEBUG = env_bool(ENV, "DEBUG", default=True)
# Only for local development; production refuses to start without a real SECRET_KEY.
SECRET_KEY = ENV.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list(ENV, "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
EMAIL_BACKEND = ENV.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
