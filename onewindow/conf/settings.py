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
    "onewindow.approvals",
    "onewindow.identity",
    "onewindow.appointments",
    "onewindow.online",
    "onewindow.consultations",
    "onewindow.feedback",
    "onewindow.complaints",
    "onewindow.hall",
    "onewindow.attendance",
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
    "onewindow.org.sessions.SessionTimeoutMiddleware",
    # password and second-factor middleware goes below this line
    "onewindow.web.credentials.CredentialsMiddleware",
    # header middleware goes below this line
    "onewindow.core.headers.ContentSecurityPolicyMiddleware",
]

# The JSON API's chain (conf/wsgi.py): bearer tokens, no sessions, cookies or CSRF.
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "onewindow.core.input_guard.InputGuardMiddleware",  # bad input (issue 12 §5)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "onewindow.core.middleware.RequestContextMiddleware",
    "onewindow.core.headers.ContentSecurityPolicyMiddleware",
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
from ipaddress import ip_network as _ip_network  # noqa: E402 (kept under this section's anchor)

TRUSTED_PROXIES = env.get_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        _ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network (e.g. 10.0.0.0/8)"
        ) from None
TRUSTED_PROXY_HEADER = env.get("TRUSTED_PROXY_HEADER") or "X-Forwarded-For"
LOCKOUT_FAILURES = int(env.get("LOCKOUT_FAILURES") or "5")
LOCKOUT_WINDOW_MINUTES = int(env.get("LOCKOUT_WINDOW_MINUTES") or "15")
LOCKOUT_MINUTES = int(env.get("LOCKOUT_MINUTES") or "30")
SIGNIN_ADDRESS_FAILURES = int(env.get("SIGNIN_ADDRESS_FAILURES") or "30")
SESSION_IDLE_MINUTES = int(env.get("SESSION_IDLE_MINUTES") or "30")
SESSION_ABSOLUTE_HOURS = int(env.get("SESSION_ABSOLUTE_HOURS") or "12")

# --- passwords and the second factor -----------------------------------------
# Staff password policy (org.passwords), after Django's validators above.
AUTH_PASSWORD_VALIDATORS += [
    {"NAME": "onewindow.org.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "onewindow.org.passwords.UsernameInPasswordValidator"},
    {"NAME": "onewindow.org.passwords.CommonPasswordZhValidator"},
    {"NAME": "onewindow.org.passwords.PasswordHistoryValidator"},
]
PASSWORD_HISTORY = int(env.get("PASSWORD_HISTORY") or "5")
PASSWORD_EXPIRY_DAYS_ADMIN = int(env.get("PASSWORD_EXPIRY_DAYS_ADMIN") or "90")
PASSWORD_EXPIRY_DAYS_STAFF = int(env.get("PASSWORD_EXPIRY_DAYS_STAFF") or "0")
REQUIRE_SECOND_FACTOR = (
    env.get_bool("REQUIRE_SECOND_FACTOR") if env.get("REQUIRE_SECOND_FACTOR") is not None else PRODUCTION
)

# --- separation of duties ------------------------------------------------------
ADMIN_CHANGE_REQUEST_DAYS = max(1, int(env.get("ADMIN_CHANGE_REQUEST_DAYS") or "3"))

# --- audit trail ---------------------------------------------------------------

# --- masking and file permissions ----------------------------------------------

# --- request limits --------------------------------------------------------------

# --- headers (CSP, HSTS), SQLite durability ----------------------------------------
# Content-Security-Policy on every response, every profile (onewindow.core.headers): no inline
# script or style anywhere, no host but our own. CONTENT_SECURITY_POLICY=off sends none.
from onewindow.core.headers import DEFAULT_POLICY as DEFAULT_CSP  # noqa: E402  (kept in this section)

_csp = (env.get("CONTENT_SECURITY_POLICY") or "").strip()
CONTENT_SECURITY_POLICY = "" if _csp.lower() == "off" else (_csp or DEFAULT_CSP)
if PRODUCTION:
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # every host under the center's domain is HTTPS-only
    SECURE_HSTS_PRELOAD = env.get_bool("HSTS_PRELOAD")  # the center's call (docs/security.md)
# The interactive API docs (/api/v1/docs) and the schema need a signed-in caller (onewindow.api.docs).
API_DOCS_REQUIRE_LOGIN = (
    env.get_bool("API_DOCS_REQUIRE_LOGIN") if env.get("API_DOCS_REQUIRE_LOGIN") else PRODUCTION
)
API_SESSION_PATHS = ["/api/v1/docs", "/api/v1/openapi.json"]  # through the full chain (conf/wsgi.py)
# SQLite's PRAGMA synchronous: NORMAL (default; a power cut may lose the last commits, never
# corrupts) or FULL (every commit survives a power cut; cost in docs/benchmarks.md).
SQLITE_SYNCHRONOUS = (env.get("SQLITE_SYNCHRONOUS") or "normal").strip().upper()
if SQLITE_SYNCHRONOUS not in ("NORMAL", "FULL"):
    raise ImproperlyConfigured(
        f"SQLITE_SYNCHRONOUS must be 'normal' or 'full', not {SQLITE_SYNCHRONOUS.lower()!r}"
    )
if DATABASES["default"]["ENGINE"] == "onewindow.core.db.sqlite3":
    _init = DATABASES["default"]["OPTIONS"]["init_command"]
    if "PRAGMA synchronous=NORMAL;" not in _init:
        raise ImproperlyConfigured(
            "the SQLite init_command no longer sets synchronous: see SQLITE_SYNCHRONOUS"
        )
    DATABASES["default"]["OPTIONS"]["init_command"] = _init.replace(
        "PRAGMA synchronous=NORMAL;", f"PRAGMA synchronous={SQLITE_SYNCHRONOUS};"
    )
# Files this process creates are for its own user only (issue 12 §4): uploads (and their
# folders), the SQLite files (onewindow.core.db.sqlite3), the var folder and the secret key
# (conf/env.py), backups (manage.py backup).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
BACKUP_DIR = Path(env.get("BACKUP_DIR") or VAR_DIR / "backups")
if "filename" in HUEY:  # the job queue's SQLite file too (its payloads name applicants)
    env.private_file(Path(HUEY["filename"]))

API_TOKEN_DAYS = int(env.get("API_TOKEN_DAYS") or "30")
ONEWINDOW_PICKUP_WARN_DAYS = int(env.get("PICKUP_WARN_DAYS") or "10")
# Joint handling of a bundle (行政许可法 art. 42 para 2): at most 45 working days, extendable once
# by at most 15 with the approval of the government's head (onewindow.approvals.extensions).
BUNDLE_LEGAL_LIMIT_DAYS = 45
BUNDLE_EXTENSION_DAYS = 15
# --- the online hall (issue 14); each block belongs to one app ----------------
# identity: applicant accounts (SMS codes valid 5 minutes, used once; the sign-in lockout is
# org.signin's, shared with staff). OIDC_* empty: no unified identity platform configured.
APPLICANT_TOKEN_DAYS = 30
APPLICANT_CODE_MINUTES = 5
OIDC_ISSUER = env.get("OIDC_ISSUER") or ""
OIDC_CLIENT_ID = env.get("OIDC_CLIENT_ID") or ""
OIDC_CLIENT_SECRET = env.get("OIDC_CLIENT_SECRET") or ""
# appointments (wave2.md §2): book 1–5 working days ahead, one active booking per ID number and
# business type, cancel up to 2 hours before, no-show = not checked in by slot end + 15 min,
# 3 no-shows in 90 days ban booking for 30 days.
APPOINTMENT_BOOK_MIN_DAYS = 1
APPOINTMENT_BOOK_MAX_DAYS = 5
APPOINTMENT_CANCEL_HOURS = 2
APPOINTMENT_NO_SHOW_GRACE_MINUTES = 15
APPOINTMENT_BAN_LOOKBACK_DAYS = 90
APPOINTMENT_BAN_NO_SHOWS = 3
APPOINTMENT_BAN_DAYS = 30
# online applications: the pre-review clock (working days, an item may set its own).
PRE_REVIEW_DAYS = 1
ONLINE_UPLOAD_MAX_MB = 20
# consultations: a reply is due within 5 minutes of working time (seed 003); yellow at 3.
CONSULTATION_YELLOW_MINUTES = 3
CONSULTATION_RED_MINUTES = 5
# evaluation (wave2.md §3): an occasion may be evaluated for 30 days; the SMS invitation after
# completion is repeated once after 3 days without an evaluation.
EVALUATION_OPEN_DAYS = 30
EVALUATION_REMINDER_DAYS = 3
# rectification of a 差评: call back within 1 working day, rectify within 15 (四川 15, 德州 5).
RECTIFICATION_CALLBACK_DAYS = 1
RECTIFICATION_DAYS = 15
# complaints: answered within 5 working days by default (simple ones the same day).
COMPLAINT_ANSWER_DAYS = 5
# the hall's queue (wave2.md §5, issue 16). The call order is a list of keys, first wins:
#   window       tickets transferred to (reserved for) this window
#   priority     V tickets (elderly, disabled, military, green channel)
#   pinned       tickets a supervisor pinned
#   transferred  tickets transferred from another business or window
#   appointment  Y tickets whose appointment is due (starts within QUEUE_APPOINTMENT_DUE_MINUTES)
#   queued_at    the ticket's time in the queue (a transfer keeps it)
#   number       the ticket's sequence number
QUEUE_CALL_ORDER = ["window", "priority", "pinned", "transferred", "appointment", "queued_at", "number"]
QUEUE_APPOINTMENT_DUE_MINUTES = 15
# at most this many priority calls in a row at one window before a normal ticket (0: no limit)
QUEUE_PRIORITY_RUN = 3
QUEUE_MAX_RECALLS = 3
QUEUE_ALMOST_AHEAD = 3  # the "almost your turn" SMS when this many people are ahead
# the hall screen's voice: "clips" (the recorded clips shipped in hall/static) or "browser" (the
# browser's own speech synthesis, where it has a Chinese voice; clips otherwise)
HALL_VOICE = "clips"
HALL_POLL_MILLISECONDS = 500
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
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "access": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_data"],
        },
        # runserver's access log (`manage.py serve`, `make run`): Django's own handler for it has
        # no filter, so query strings such as ?id_number=… would be written in full.
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "onewindow": {"handlers": ["console"], "level": env.get("LOG_LEVEL") or "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
