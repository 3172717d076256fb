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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    # Every background task logs its start and end at INFO; that drowns the useful lines.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
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
