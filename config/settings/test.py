"""The test suite: same apps and middleware as production, faster hashing, mail kept in memory."""

from config.settings.base import *

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105 - used by the test suite only
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
