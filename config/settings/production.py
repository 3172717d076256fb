"""Production: several app servers behind a TLS-terminating load balancer.

Refuses to start without SECRET_KEY and ALLOWED_HOSTS, so a forgotten variable fails loudly
instead of running with a development default.
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated) in the environment.")
# Without both keys payments are only simulated (marketplace.services.payments).
if not (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET):
    raise ImproperlyConfigured(
        "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET in the environment."
    )

CSRF_TRUSTED_ORIGINS = env_list(
    ENV, "CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS]
)

# The load balancer terminates TLS and says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool(ENV, "SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(ENV.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail's preview panel marks its own views SAMEORIGIN, so everything else can be DENY.
X_FRAME_OPTIONS = "DENY"

# WhiteNoise serves the collected static files from each app server (no CDN); it goes right
# after SecurityMiddleware (base MIDDLEWARE[0]), as its documentation asks.
MIDDLEWARE = [
    MIDDLEWARE[0],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
