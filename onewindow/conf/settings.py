"""Django settings. Environment variables are read only through onewindow.conf.env."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from onewindow.conf import env

BASE_DIR = env.BASE_DIR
VAR_DIR = env.var_dir()
PROFILE = (env.get("ONEWINDOW_PROFILE") or "local").lower()
if PROFILE not in ("local", "production"):
    raise RuntimeError("ONEWINDOW_PROFILE must be 'local' or 'production'")
PRODUCTION = PROFILE == "production"
TESTING = "pytest" in sys.modules or os.environ.get("ONEWINDOW_TESTING") == "1"

SECRET_KEY = env.secret_key(PRODUCTION)
DEBUG = env.get_bool("DEBUG") and not PRODUCTION
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "ninja",
    "onewindow.core",
    "onewindow.calendar",
    "onewindow.notifications",
    "onewindow.org",
    "onewindow.catalog",
    "onewindow.cases",
    "onewindow.supervision",
    "onewindow.web",
    "onewindow.portal",
    "onewindow.api",
    "onewindow.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # bad input (issue 12 §5): after the language is chosen, before anything reads the request
    "onewindow.core.input_guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "onewindow.core.middleware.RequestContextMiddleware",
    # sign-in middleware (issue 12 §1) goes below this line
    # password and second-factor middleware goes below this line
    # header middleware goes below this line
]

# The JSON API's chain (conf/wsgi.py): bearer tokens, no sessions, cookies or CSRF.
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "onewindow.core.input_guard.InputGuardMiddleware",  # bad input (issue 12 §5)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "onewindow.core.middleware.RequestContextMiddleware",
]
API_PATH_PREFIXES = ["/api/"]

ROOT_URLCONF = "onewindow.conf.urls"
WSGI_APPLICATION = "onewindow.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
_database_url = env.get("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Server-side prepared statements for the statements a connection runs this many times
        # (psycopg's default; Django turns them off for the sake of transaction-pooling proxies).
        # They apply to what binds on the server: core.rawwrite's statements (a case's unit of
        # work, the sweep's records); Django's own queries bind on the client. Set
        # DATABASE_PREPARE_THRESHOLD=off behind a pooler that cannot keep them (docs/operations.md).
        _prepare = (env.get("DATABASE_PREPARE_THRESHOLD") or "").strip().lower()
        if _prepare not in ("off", "none", ""):
            try:
                _threshold = int(_prepare)
            except ValueError:
                raise ImproperlyConfigured(
                    f"DATABASE_PREPARE_THRESHOLD must be a whole number or 'off', not {_prepare!r}"
                ) from None
            DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = _threshold
else:
    DATABASES = {
        "default": {
            "ENGINE": "onewindow.core.db.sqlite3",  # write transactions queue on a lock file (ADR 0017)
            "NAME": str(VAR_DIR / "onewindow.sqlite3"),
            "CONN_MAX_AGE": 60,  # keep the connection (and its PRAGMAs) across requests
            "OPTIONS": {
                # WAL + IMMEDIATE transactions: readers never block the writer, and a write
                # transaction takes the lock at BEGIN so two writers queue instead of deadlocking.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
            # a file (threads in the concurrency tests share it), one per test process, so that
            # two test runs on one machine never share a database
            "TEST": {"NAME": str(VAR_DIR / f"test_onewindow_{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["onewindow.org.backends.StaffBackend"]  # ModelBackend + the actor copy
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = env.get("LANGUAGE_CODE") or "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
TIME_ZONE = env.get("TIME_ZONE") or "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "onewindow" / "locale"]

# --- static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.get("STATIC_ROOT") or VAR_DIR / "static")
MEDIA_ROOT = Path(env.get("MEDIA_ROOT") or VAR_DIR / "media")
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
MEDIA_URL = "/media/"  # never routed directly: files go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- background jobs (Huey) -----------------------------------------------
_redis_url = env.get("REDIS_URL")
HUEY: dict = {
    "name": "onewindow",
    "immediate": env.get_bool("HUEY_IMMEDIATE") or TESTING,
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True, "check_worker_health": True},
}
if _redis_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis_url})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

# --- cache (rate limits, short-lived lookups) ------------------------------
if _redis_url and not TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "onewindow"}
    }

# --- security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    if not ALLOWED_HOSTS:
        raise RuntimeError("ALLOWED_HOSTS must be set in the production profile")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.get_bool("DEBUG") is False and os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SESSION_COOKIE_AGE = 8 * 3600

# --- sign-in: lockout, trusted proxies, sessions (issue 12 §1) ----------------

# --- passwords and the second factor -----------------------------------------

# --- separation of duties ------------------------------------------------------

# --- audit trail ---------------------------------------------------------------

# --- masking and file permissions ----------------------------------------------

# --- request limits --------------------------------------------------------------

# --- headers (CSP, HSTS), SQLite durability ----------------------------------------

API_TOKEN_DAYS = int(env.get("API_TOKEN_DAYS") or "30")
ONEWINDOW_PICKUP_WARN_DAYS = int(env.get("PICKUP_WARN_DAYS") or "10")
PROGRESS_LOOKUPS_PER_MINUTE = int(env.get("PROGRESS_LOOKUPS_PER_MINUTE") or "30")
# Empty: links use the address `manage.py serve` was started on (notifications.links).
PUBLIC_BASE_URL = env.get("PUBLIC_BASE_URL") or ""
SMS_GATEWAY_URL = env.get("SMS_GATEWAY_URL") or ""
SMS_GATEWAY_TOKEN = env.get("SMS_GATEWAY_TOKEN") or ""

# --- logging: personal data is masked by a filter on every handler --------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "onewindow.core.masking.MaskingLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "onewindow": {"handlers": ["console"], "level": env.get("LOG_LEVEL") or "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
