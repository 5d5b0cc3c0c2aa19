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
    "OIDC_ISSUER",
    "",
    "Issuer URL of the province's unified identity platform (统一身份认证, OpenID Connect); "
    "unset: applicants sign in with SMS codes and passwords only.",
)
_declare("OIDC_CLIENT_ID", "", "Client id of the online hall at the unified identity platform.")
_declare("OIDC_CLIENT_SECRET", "", "Client secret of the online hall at the unified identity platform.")
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
_declare(
    "TRUSTED_PROXIES",
    "",
    "Comma-separated addresses or networks (CIDR) of the reverse proxies in front of onewindow, "
    "e.g. 127.0.0.1,10.0.0.0/8. Only for requests from these peers is the client address taken "
    "from TRUSTED_PROXY_HEADER; empty: the peer address is the client address.",
)
_declare(
    "TRUSTED_PROXY_HEADER",
    "X-Forwarded-For",
    "The header in which the trusted proxies pass the client address (right-most untrusted entry is used).",
)
_declare(
    "LOCKOUT_FAILURES",
    "5",
    "Failed sign-ins (staff page, admin, API token, online hall together) that lock an account.",
)
_declare("LOCKOUT_WINDOW_MINUTES", "15", "Minutes within which LOCKOUT_FAILURES failures lock the account.")
_declare(
    "LOCKOUT_MINUTES", "30", "How long a locked account stays locked (a security administrator can unlock)."
)
_declare(
    "SIGNIN_ADDRESS_FAILURES",
    "30",
    "Failed sign-ins from one client address (any usernames) within LOCKOUT_WINDOW_MINUTES before "
    "that address is refused (HTTP 429) until the window passes.",
)
_declare(
    "SESSION_IDLE_MINUTES", "30", "Staff and admin sessions end after this many minutes without a request."
)
_declare(
    "SESSION_ABSOLUTE_HOURS", "12", "Staff and admin sessions end this many hours after sign-in, used or not."
)

# --- passwords and the second factor ---
_declare(
    "PASSWORD_EXPIRY_DAYS_ADMIN",
    "90",
    "Days after which the password of a system, security, audit or center administrator expires "
    "and must be changed at the next request (0: never).",
)
_declare(
    "PASSWORD_EXPIRY_DAYS_STAFF",
    "0",
    "Days after which the password of every other staff account expires (0: never).",
)
_declare(
    "PASSWORD_HISTORY",
    "5",
    "A new password may not be any of the account's last this many passwords.",
)
_declare(
    "REQUIRE_SECOND_FACTOR",
    None,
    "true: the system, security and audit administrators and the supervisors must sign in with a TOTP "
    "code (authenticator app). Unset: true in the production profile, false in local.",
)

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
_declare(
    "CONTENT_SECURITY_POLICY",
    "",
    "The Content-Security-Policy header sent with every response. Unset: onewindow's policy "
    "(our own origin only, no inline script or style; docs/security.md). 'off' sends none.",
)
_declare(
    "HSTS_PRELOAD",
    "false",
    "Production: add 'preload' to Strict-Transport-Security (HSTS with includeSubDomains is "
    "always sent). Only when the center's whole domain is HTTPS-only and is to be submitted "
    "to browsers' preload lists.",
)
_declare(
    "API_DOCS_REQUIRE_LOGIN",
    "",
    "true/false: /api/v1/docs needs a staff session and /api/v1/openapi.json a session or a "
    "bearer token. Unset: true in the production profile, false in local.",
)
_declare(
    "SQLITE_SYNCHRONOUS",
    "normal",
    "SQLite only: 'normal' (a power cut may lose the last commits, never corrupts the "
    "database) or 'full' (every commit survives a power cut; slower, see docs/benchmarks.md).",
)
_declare(
    "BACKUP_DIR",
    None,
    "Where `manage.py backup` writes SQLite backups (a folder only this user can read). "
    "Unset: $ONEWINDOW_VAR_DIR/backups.",
)


def var_dir() -> Path:
    """The var folder, for this user only (0700): created so, or tightened when it is ours."""
    path = Path(get("ONEWINDOW_VAR_DIR") or BASE_DIR / "var")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_mode & 0o077 and info.st_uid == os.getuid():
        path.chmod(0o700)  # whatever the umask was, or an older release made it
    return path


def private_file(path: Path) -> None:
    """Create `path` empty for this user only (0600) when missing (SQLite then keeps the mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        return  # no such folder: whoever opens the file reports it


def secret_key(production: bool) -> str:
    value = get("SECRET_KEY")
    if value:
        return value
    if production:
        raise RuntimeError("SECRET_KEY must be set in the production profile")
    key_file = var_dir() / "secret_key"
    if not key_file.exists():
        # created owner-only from the first byte (no moment at the umask's mode)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()
