"""Issue 12 §6 "Headers and the rest" and §4's file permissions: the Content-Security-Policy,
HSTS in production, the API docs behind a sign-in in production, `make run` writing nothing to
the audit trail on a second start, SQLite's synchronous setting, owner-only files.
(Backups and their restore: tests/security/test_backup.py.)"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory

from onewindow.conf import wsgi
from onewindow.core.headers import DEFAULT_POLICY, ContentSecurityPolicyMiddleware
from onewindow.core.models import AuditEntry
from onewindow.org.services import api_token_issue
from tests.factories import PASSWORD

BASE_DIR = Path(settings.BASE_DIR)


def _settings_in_subprocess(env: dict[str, str], code: str) -> Any:
    """Import the settings in a fresh interpreter (not under pytest) and return what `code`
    prints as JSON."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ONEWINDOW_TESTING")}
    full_env.update({"DJANGO_SETTINGS_MODULE": "onewindow.conf.settings", **env})
    script = "import django, json\ndjango.setup()\nfrom django.conf import settings\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _production(tmp_path: Path) -> dict[str, str]:
    return {
        "ONEWINDOW_PROFILE": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "onewindow.example.gov.cn",
        "ONEWINDOW_VAR_DIR": str(tmp_path / "var"),
    }


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- Content-Security-Policy ------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_and_api_answer_carries_a_csp_without_unsafe_inline(client: Client, org: Any) -> None:
    policy = DEFAULT_POLICY
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    for path in ("/staff/login/", "/", "/api/v1/worklist", "/api/v1/docs"):
        response = client.get(path)
        assert response["Content-Security-Policy"] == policy, path
    client.force_login(org.user("clerk"))
    assert client.get("/staff/")["Content-Security-Policy"] == policy


@pytest.mark.django_db(transaction=True)
def test_the_api_chain_sends_the_csp_too(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["localhost"]
    status, headers = _wsgi("/api/v1/public/progress", query="number=SFS2026010100000Z&code=1234")
    assert status.startswith("404")
    assert headers["Content-Security-Policy"] == DEFAULT_POLICY


@pytest.mark.django_db
def test_the_csp_can_be_turned_off_and_a_views_own_header_is_kept(client: Client, settings: Any) -> None:
    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy" not in client.get("/staff/login/")
    settings.CONTENT_SECURITY_POLICY = DEFAULT_POLICY
    own = HttpResponse()
    own["Content-Security-Policy"] = "default-src 'none'"
    middleware = ContentSecurityPolicyMiddleware(lambda request: own)
    assert middleware(RequestFactory().get("/"))["Content-Security-Policy"] == "default-src 'none'"


def test_the_csp_is_on_in_the_production_profile_and_off_only_when_asked(tmp_path: Path) -> None:
    code = "print(json.dumps(settings.CONTENT_SECURITY_POLICY))"
    assert _settings_in_subprocess(_production(tmp_path), code) == DEFAULT_POLICY
    assert _settings_in_subprocess({**_production(tmp_path), "CONTENT_SECURITY_POLICY": "off"}, code) == ""


INLINE = [
    (re.compile(r"\sstyle\s*="), "an inline style attribute"),
    (re.compile(r"<style[\s>]"), "a <style> element"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an inline event handler"),
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"), "an inline script"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
    (re.compile(r"\shx-on[:-]"), "an htmx inline handler (needs eval)"),
]


def test_no_template_of_ours_has_inline_script_style_or_handlers() -> None:
    found = []
    for template in sorted((BASE_DIR / "onewindow").glob("*/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(BASE_DIR)}:{line}: {what}")
    assert found == []


def test_htmx_does_not_inject_its_indicator_style() -> None:
    for base in ("onewindow/web/templates/web/base.html", "onewindow/portal/templates/portal/base.html"):
        text = (BASE_DIR / base).read_text(encoding="utf-8")
        assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in text, base
        assert "web/page.js" in text, base
    css = (BASE_DIR / "onewindow/web/static/web/css/base.css").read_text(encoding="utf-8")
    assert ".htmx-request .htmx-indicator" in css


# --- HSTS ---------------------------------------------------------------------------------------


def test_production_sends_hsts_for_a_year_with_subdomains_and_preload_only_when_asked(tmp_path: Path) -> None:
    code = (
        "print(json.dumps([settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " settings.SECURE_HSTS_PRELOAD]))"
    )
    assert _settings_in_subprocess(_production(tmp_path), code) == [31536000, True, False]
    assert _settings_in_subprocess({**_production(tmp_path), "HSTS_PRELOAD": "true"}, code) == [
        31536000,
        True,
        True,
    ]


def test_the_hsts_header_names_subdomains(client: Client, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/staff/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- the API docs -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_in_production_the_docs_need_a_staff_session_and_the_schema_a_session_or_token(
    client: Client, org: Any, settings: Any
) -> None:
    settings.API_DOCS_REQUIRE_LOGIN = True
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 302 and docs["Location"].startswith("/staff/login/?next=/api/v1/docs")
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 401
    assert schema.json()["code"] == "not_authenticated" and schema.json()["message"]
    assert client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401

    _token, raw = api_token_issue(user=org.user("clerk"))
    integrator = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert integrator.status_code == 200 and integrator.json()["info"]["title"] == "onewindow API"
    # the interactive page wants a session, not a token
    assert client.get("/api/v1/docs", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 302

    assert client.login(username="clerk", password=PASSWORD)
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.django_db
def test_in_local_the_docs_and_schema_are_open(client: Client, settings: Any) -> None:
    settings.API_DOCS_REQUIRE_LOGIN = False
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_the_docs_login_follows_the_profile(tmp_path: Path) -> None:
    code = "print(json.dumps(settings.API_DOCS_REQUIRE_LOGIN))"
    assert _settings_in_subprocess(_production(tmp_path), code) is True
    assert _settings_in_subprocess({"ONEWINDOW_VAR_DIR": str(tmp_path / "var")}, code) is False


def _wsgi(path: str, query: str = "", cookie: str = "") -> tuple[str, dict[str, str]]:
    environ: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": query, "REMOTE_ADDR": "127.0.0.1"}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "localhost"
    environ["wsgi.input"] = io.BytesIO(b"")
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer.update(status=status, headers=dict(headers))

    b"".join(wsgi.build()(environ, start_response))
    return answer["status"], answer["headers"]


@pytest.mark.django_db(transaction=True)
def test_behind_gunicorn_the_docs_read_the_staff_session(settings: Any, org: Any) -> None:
    """The API's short chain has no sessions: the docs paths take the full chain (conf/wsgi.py)."""
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.API_DOCS_REQUIRE_LOGIN = True
    assert _wsgi("/api/v1/docs")[0].startswith("302")
    client = Client()
    client.force_login(org.user("clerk"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    assert _wsgi("/api/v1/docs", cookie=cookie)[0].startswith("200")
    assert _wsgi("/api/v1/openapi.json", cookie=cookie)[0].startswith("200")


# --- make run: a second start writes nothing to the audit trail --------------------------------


@pytest.mark.django_db
def test_a_second_start_of_make_run_adds_no_audit_entry() -> None:
    """`make run` = migrate, load_demo, serve (serve itself writes nothing)."""

    def start() -> None:
        call_command("migrate", "--noinput", verbosity=0)
        call_command("load_demo", "--history-cases", "6", stdout=io.StringIO())

    start()
    assert AuditEntry.objects.exists()  # the first start loads the demo center: audited
    before = AuditEntry.objects.count()
    start()
    new = list(AuditEntry.objects.order_by("pk")[before:].values_list("action", flat=True))
    assert new == []


# --- SQLite durability --------------------------------------------------------------------------


def test_sqlite_synchronous_is_normal_by_default_and_full_when_asked(tmp_path: Path) -> None:
    code = (
        "from django.db import connection\n"
        "print(json.dumps([settings.SQLITE_SYNCHRONOUS,"
        " connection.cursor().execute('PRAGMA synchronous').fetchone()[0]]))"
    )
    env = {"ONEWINDOW_VAR_DIR": str(tmp_path / "var")}
    assert _settings_in_subprocess(env, code) == ["NORMAL", 1]
    assert _settings_in_subprocess({**env, "SQLITE_SYNCHRONOUS": "full"}, code) == ["FULL", 2]


@pytest.mark.django_db
def test_the_test_database_runs_with_the_configured_synchronous() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1


def test_a_wrong_synchronous_value_is_refused(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="onewindow.conf.settings",
        ONEWINDOW_VAR_DIR=str(tmp_path / "var"),
        SQLITE_SYNCHRONOUS="off",
    )
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "SQLITE_SYNCHRONOUS must be 'normal' or 'full'" in done.stderr


# --- owner-only files (issue 12 §4) -------------------------------------------------------------


def test_the_var_folder_secret_key_and_database_files_are_owner_only(tmp_path: Path) -> None:
    var = tmp_path / "var"
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('CREATE TABLE t (x)'); c.execute('INSERT INTO t VALUES (1)')\n"
        "print(json.dumps(settings.SECRET_KEY != ''))"
    )
    old_umask = os.umask(0o022)  # the usual umask: without the code, files would be 0644
    try:
        assert _settings_in_subprocess({"ONEWINDOW_VAR_DIR": str(var)}, code) is True
    finally:
        os.umask(old_umask)
    assert _mode(var) == 0o700
    assert _mode(var / "secret_key") == 0o600
    assert _mode(var / "onewindow.sqlite3") == 0o600
    assert _mode(var / "huey.sqlite3") == 0o600
    for extra in ("onewindow.sqlite3-wal", "onewindow.sqlite3-shm", "onewindow.sqlite3.writelock"):
        if (var / extra).exists():
            assert _mode(var / extra) == 0o600, extra


def test_files_an_older_release_left_readable_are_tightened(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)
    database = var / "onewindow.sqlite3"
    database.touch()
    database.chmod(0o644)
    code = "from django.db import connection\nconnection.ensure_connection()\nprint(json.dumps(1))"
    _settings_in_subprocess({"ONEWINDOW_VAR_DIR": str(var)}, code)
    assert _mode(var) == 0o700
    assert _mode(database) == 0o600


def test_uploads_and_their_folders_are_owner_only(tmp_path: Path) -> None:
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
    storage = FileSystemStorage(location=tmp_path / "media")
    old_umask = os.umask(0o022)
    try:
        name = storage.save("cases/2026/materials/licence.pdf", ContentFile(b"%PDF-1.4 test"))
    finally:
        os.umask(old_umask)
    assert _mode(Path(storage.path(name))) == 0o600
    assert _mode(tmp_path / "media" / "cases" / "2026") == 0o700
    assert _mode(tmp_path / "media" / "cases" / "2026" / "materials") == 0o700
