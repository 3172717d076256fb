"""Settings shared by every environment. Values that differ come from the environment."""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.settings.environment import (
    cache_from_env,
    database_from_env,
    env_bool,
    env_list,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
ENV = os.environ

SECRET_KEY = ENV.get("SECRET_KEY", "")
DEBUG = env_bool(ENV, "DEBUG", default=False)
ALLOWED_HOSTS = env_list(ENV, "ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "accounts",
    "innovations",
    "marketplace",
    "licensing",
    "craftsmen",
    "cms",
    "api",
    "sitesearch",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.content_security.SiteAndAdminCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Security headers on every answer, in every settings module (HSTS, the HTTPS redirect and
# secure cookies are production's). Wagtail's preview views mark themselves SAMEORIGIN, so
# everything else can refuse to be framed.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content security policy (django-csp; config/content_security.py picks the policy). The
# site's templates have no inline script, style block or style attribute: scripts and
# styles come from our own origin only (htmx is vendored, its eval and injected <style> are
# turned off by marketplace/static/marketplace/live_region.js). Deposits and balances are paid
# by Stripe Checkout, a redirect after our form's POST: browsers apply form-action to that
# redirect, so Stripe's checkout host is allowed there.
STRIPE_CHECKOUT_ORIGIN = "https://checkout.stripe.com"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", STRIPE_CHECKOUT_ORIGIN],
        "frame-ancestors": ["'none'"],
    },
}
# The Wagtail admin starts its widgets with inline scripts and its editors write style
# attributes from JavaScript, so it needs 'unsafe-inline' for both; it frames its own live
# preview and shows image previews from blob: URLs while uploading. Only paths under
# ADMIN_PATH_PREFIX get this policy, and only users who can reach the admin see those pages.
ADMIN_PATH_PREFIX = "/admin/"
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(ENV, base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_env(ENV)}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailOrMobileBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "innovations:mine"
LOGOUT_REDIRECT_URL = "/"

# Chinese first. LANGUAGE_CODE must be zh-hans before the first migrate: Wagtail's data
# migration creates the default content Locale from it.
# The site's URL names the language (/ Chinese, /en/ English); paths outside i18n_patterns,
# such as the admin, are Chinese until a staff member picks English in their preferences.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
# Only for one machine with no web server in front (make prod): the app serves /media/images/.
SERVE_MEDIA_IMAGES = env_bool(ENV, "SERVE_MEDIA_IMAGES", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = _("Worker Innovation Exchange")
WAGTAILADMIN_BASE_URL = ENV.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "csv", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Avatars would otherwise be fetched from an outside host on every admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The dashboard would otherwise ask releases.wagtail.org for the latest version from each
# browser (which the admin's connect-src 'self' refuses anyway); upgrades go through
# pyproject.toml.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Stripe: deposits and balances are paid by Stripe Checkout in CNY; effective only through
# the signed webhook.
STRIPE_SECRET_KEY = ENV.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = ENV.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = ENV.get("STRIPE_WEBHOOK_SECRET", "")

# Profit-sharing (收益分享): the plan of an innovation that has none of its own, in percent
# (inventor team, employer, union transformation fund, platform fee; they sum to 100).
LICENSING_DEFAULT_SHARING_PLAN = {"inventors": 70, "employer": 15, "union_fund": 10, "platform": 5}
# Transaction certificates (交易鉴证) are numbered <prefix>-<year>-<sequence>.
LICENSING_CERTIFICATE_PREFIX = "SHWIE"

EMAIL_BACKEND = ENV.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "noreply@example.com")

# "wie" is the parent of the structured loggers: "wie.money" (every ledger transaction posted,
# every refund Stripe accepted), "wie.bids" (every refused bid) and "wie.auth" (login locks).
# Each record is one JSON line (config/log_format.py) carrying ids and amounts, never names,
# emails or phone numbers; it does not propagate, so it is not written again as plain text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.log_format.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json_console": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    # Every background task logs its start and end at INFO; that drowns the useful lines.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "wie": {"handlers": ["json_console"], "level": "INFO", "propagate": False},
    },
}

# Settlement of a sold lot: the balance is due this many Shanghai calendar days after the
# sale (at 23:59:59 of the last day); online payment up to this many fen (Stripe's CNY
# maximum for one charge), bank transfer above it, to this account.
SETTLEMENT_DUE_DAYS = int(ENV.get("SETTLEMENT_DUE_DAYS", "10"))
SETTLEMENT_CARD_LIMIT_FEN = int(ENV.get("SETTLEMENT_CARD_LIMIT_FEN", "99999999"))
SETTLEMENT_BANK_ACCOUNT = {
    "name": ENV.get("SETTLEMENT_BANK_ACCOUNT_NAME", "上海市职工技术创新成果交易服务中心"),
    "bank": ENV.get("SETTLEMENT_BANK_NAME", "中国工商银行上海市分行营业部"),
    "number": ENV.get("SETTLEMENT_BANK_ACCOUNT_NUMBER", "1001 2345 0920 0088 123"),
}
