"""Every environment variable onewindow reads, in one place, each with its help text.

`python manage.py show_env` prints this table. Infrastructure lives here; center policy
(thresholds, assessment points, the calendar) is data in the database, not configuration.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Variable:
    name: str
    default: str | None
    help: str


VARIABLES: dict[str, Variable] = {}


def _declare(name: str, default: str | None, help: str) -> Variable:
    var = Variable(name, default, help)
    VARIABLES[name] = var
    return var


def get(name: str) -> str | None:
    var = VARIABLES[name]
    value = os.environ.get(name)
    return value if value not in (None, "") else var.default


def get_bool(name: str) -> bool:
    value = (get(name) or "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def get_list(name: str) -> list[str]:
    return [part.strip() for part in (get(name) or "").split(",") if part.strip()]


_declare(
    "ONEWINDOW_VAR_DIR",
    str(BASE_DIR / "var"),
    "Folder for local state: the SQLite database, the generated secret key, the job queue, "
    "uploaded files. Created when missing.",
)
_declare(
    "DATABASE_URL",
    None,
    "Database URL. Unset: SQLite (WAL mode) at $ONEWINDOW_VAR_DIR/onewindow.sqlite3. "
    "Production: postgres://user:password@host:5432/onewindow (PostgreSQL >= 15).",
)
_declare(
    "DATABASE_PREPARE_THRESHOLD",
    "5",
    "PostgreSQL: a connection prepares a statement on the server after running it this many "
    "times (parsing and planning it once; core.rawwrite's statements). 'off' when a pooling "
    "proxy cannot keep prepared statements (PgBouncer in transaction mode before 1.21).",
)
_declare(
    "REDIS_URL",
    None,
    "Redis URL for the background job queue (redis://127.0.0.1:6379/0). Unset: the queue "
    "is kept in SQLite at $ONEWINDOW_VAR_DIR/huey.sqlite3.",
)
_declare(
    "SECRET_KEY",
    None,
    "Django secret key. Unset: one is generated once and kept in $ONEWINDOW_VAR_DIR/secret_key "
    "(fine for local use; set it explicitly in production).",
)
_declare("DEBUG", "false", "Django debug mode (true/false). Never true in production.")
_declare("ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names this server answers to.")
_declare(
    "CSRF_TRUSTED_ORIGINS",
    "",
    "Comma-separated origins (https://onewindow.example.gov.cn) trusted for CSRF behind a proxy.",
)
_declare("TIME_ZONE", "Asia/Shanghai", "The center's time zone: deadlines end at 23:59:59 local time.")
_declare("LANGUAGE_CODE", "zh-hans", "Default interface language: zh-hans or en.")
_declare(
    "ONEWINDOW_PROFILE",
    "local",
    "Settings profile: 'local' (default) or 'production' (DEBUG off, secure cookies, HSTS, "
    "SECRET_KEY and ALLOWED_HOSTS required).",
)
_declare(
    "MEDIA_ROOT",
    None,
    "Storage root for uploaded files (templates, case materials). Unset: $ONEWINDOW_VAR_DIR/media. "
    "Files are never served without a permission check.",
)
_declare("STATIC_ROOT", None, "Where collectstatic gathers assets. Unset: $ONEWINDOW_VAR_DIR/static.")
_declare("LOG_LEVEL", "INFO", "Log level for the onewindow loggers (DEBUG, INFO, WARNING, ERROR).")
_declare(
    "HUEY_IMMEDIATE",
    "false",
    "Run background jobs inline in the calling process (tests and one-off scripts).",
)
_declare("API_TOKEN_DAYS", "30", "Lifetime in days of API tokens issued by POST /api/v1/auth/token.")
_declare(
    "SMS_GATEWAY_URL", "", "HTTP SMS gateway endpoint. Unset: messages go to the console/outbox channel only."
)
_declare("SMS_GATEWAY_TOKEN", "", "Bearer token sent to the SMS gateway.")
_declare(
    "PICKUP_WARN_DAYS",
    "10",
    "Results waiting for pickup longer than this many working days are flagged on the pickup list.",
)
_declare(
    "PROGRESS_LOOKUPS_PER_MINUTE",
    "30",
    "Public progress lookups allowed per client address per minute (page and API together).",
)
_declare(
    "PUBLIC_BASE_URL",
    "",
    "Public address of the portal, used in QR codes and SMS links. Unset: the address "
    "`manage.py serve` was started on (make run PORT=8101 -> http://127.0.0.1:8101).",
)

# --- sign-in (lockout, trusted proxies, sessions) ---

# --- passwords and the second factor ---

# --- separation of duties ---
_declare(
    "ADMIN_CHANGE_REQUEST_DAYS",
    "3",
    "Days a requested change to an administrator account (two-person rule, 三员分立) waits for a "
    "second administrator's approval before it lapses.",
)

# --- audit trail ---

# --- masking and file permissions ---

# --- request limits ---

# --- headers and SQLite durability ---


def var_dir() -> Path:
    path = Path(get("ONEWINDOW_VAR_DIR") or BASE_DIR / "var")
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(production: bool) -> str:
    value = get("SECRET_KEY")
    if value:
        return value
    if production:
        raise RuntimeError("SECRET_KEY must be set in the production profile")
    key_file = var_dir() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
