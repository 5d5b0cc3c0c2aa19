"""Online application uploads (网上申报, issue 14 §2): the server's memory while an applicant
uploads 1, 5 and 20 MB and submits, through the production WSGI handler (every middleware,
the input guard's multipart parse included).

The request body is written to a file first and handed to the handler as `wsgi.input`, so the
figures are the server's alone: the peak of Python allocations (tracemalloc, reset before each
request) and the process's resident set before and after. Django's upload handlers keep a file
up to FILE_UPLOAD_MAX_MEMORY_SIZE in memory and stream a larger one to a temporary file in 64 KB
chunks; `storage.save` copies from the upload's chunks; submitting attaches the stored files to
the case without reading them (the stored file is shared).

Run: `python bench/bench_online_upload.py` (scratch database in var/bench; DATABASE_URL for PostgreSQL).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ONEWINDOW_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench"))
from setup_db import django_setup

SIZES_MB = [int(s) for s in os.environ.get("BENCH_SIZES_MB", "1,5,20").split(",")]
BOUNDARY = "----onewindowbench"


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _fixtures() -> tuple[Any, Any, Any]:
    from onewindow.catalog.models import Material, ServiceItem, ServiceItemVersion
    from onewindow.core import clock
    from onewindow.identity.models import Person
    from onewindow.org.models import Center, Department

    center, _ = Center.objects.get_or_create(
        code="BENCHUP", defaults={"name": "上传基准中心", "level": "city"}
    )
    dept, _ = Department.objects.get_or_create(center=center, code="BUP", defaults={"name": "基准局"})
    item, _ = ServiceItem.objects.get_or_create(center=center, code="BUP001")
    version = item.published_version
    if version is None:
        version = ServiceItemVersion.objects.create(
            item=item,
            number=1,
            status=ServiceItemVersion.Status.PUBLISHED,
            name="上传基准事项",
            department=dept,
            handling_type=ServiceItemVersion.HandlingType.PROMISED,
            legal_limit=20,
            promised_limit=10,
            online_allowed=True,
            published_at=clock.now(),
        )
        Material.objects.create(version=version, position=1, name="申请材料", requirement="required")
        item.published_version = version
        item.save(update_fields=["published_version"])
    from onewindow.cases.applicants import resident_id_check

    body = "11010119900307123"
    person, _ = Person.objects.get_or_create(
        phone="13800009999",
        defaults={"name": "基准用户", "id_number": body + resident_id_check(body), "created_at": clock.now()},
    )
    return center, version, person


def _environ(
    method: str, path: str, cookie: str, body: Any, length: int, content_type: str
) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost",
        "HTTP_COOKIE": cookie,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(length),
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _multipart(path: Path, material: int, csrf: str, size: int) -> int:
    """Write a multipart body with one PDF of `size` bytes to `path` (in 1 MB pieces)."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{csrf}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="material"\r\n\r\n{material}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    with path.open("wb") as out:
        out.write(head)
        out.write(b"%PDF-1.4\n")
        left = size - 9
        piece = b"0" * (1024 * 1024)
        while left > 0:
            out.write(piece[: min(left, len(piece))])
            left -= len(piece)
        out.write(tail)
    return path.stat().st_size


def _call(handler: Any, environ: dict[str, Any]) -> tuple[int, int, float]:
    """(status, peak bytes allocated, seconds) of one request."""
    status: list[str] = []
    tracemalloc.reset_peak()
    start_current = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    result = handler(environ, lambda s, h, exc_info=None: status.append(s))
    for _chunk in result:
        pass
    if hasattr(result, "close"):
        result.close()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] - start_current
    return int(status[0].split()[0]), peak, seconds


def main() -> None:
    django_setup()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.handlers.wsgi import WSGIHandler
    from django.middleware.csrf import get_token
    from django.test import RequestFactory
    from django.urls import reverse

    from onewindow.identity.sessions import SESSION_PERSON, Applicant
    from onewindow.online import services
    from onewindow.online.models import OnlineApplication

    center, version, person = _fixtures()
    material = version.materials.get().pk
    media = tempfile.mkdtemp(prefix="bench-media-")
    settings.MEDIA_ROOT = media
    handler = WSGIHandler()
    session = SessionStore()
    session[SESSION_PERSON] = person.pk
    session.save()
    csrf_request = RequestFactory().get("/")
    token = get_token(csrf_request)  # the form's token; the cookie holds the secret
    secret = csrf_request.META["CSRF_COOKIE"]
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={secret}"
    print(f"  FILE_UPLOAD_MAX_MEMORY_SIZE = {settings.FILE_UPLOAD_MAX_MEMORY_SIZE / 2**20:.1f} MB")
    print(
        f"  {'upload':>8} {'status':>6} {'upload peak':>12} {'submit peak':>12} {'RSS +':>9} {'seconds':>8}"
    )
    tracemalloc.start()
    for mb in [0, *SIZES_MB]:  # 0: a warm-up of 64 KB (imports, caches), not reported
        application = services.application_create(
            applicant=Applicant(person=person), center=center, item_code=version.item.code, form={}
        )
        with tempfile.TemporaryDirectory() as tmp:
            body_path = Path(tmp) / "body"
            length = _multipart(body_path, material, token, mb * 2**20 or 2**16)
            rss_before = rss_kb()
            with body_path.open("rb") as body:
                environ = _environ(
                    "POST",
                    reverse("portal:application_upload", args=[application.pk]),
                    cookie,
                    body,
                    length,
                    f"multipart/form-data; boundary={BOUNDARY}",
                )
                status, upload_peak, seconds = _call(handler, environ)
        application.refresh_from_db()
        form = f"csrfmiddlewaretoken={token}&version={application.version}".encode()
        environ = _environ(
            "POST",
            reverse("portal:application_submit", args=[application.pk]),
            cookie,
            io.BytesIO(form),
            len(form),
            "application/x-www-form-urlencoded",
        )
        submit_status, submit_peak, submit_seconds = _call(handler, environ)
        rss_after = rss_kb()
        application.refresh_from_db()
        if not mb:
            continue
        ok = (
            application.status == OnlineApplication.Status.SUBMITTED
            and status == 302
            and submit_status == 302
        )
        print(
            f"  {mb:>6} MB {status:>6} {upload_peak / 2**20:>9.2f} MB {submit_peak / 2**20:>9.2f} MB "
            f"{(rss_after - rss_before) / 1024:>6.1f} MB {seconds + submit_seconds:>8.3f}"
            + ("" if ok else f"  (FAILED: {application.status}, {status}, {submit_status})"),
            flush=True,
        )
    tracemalloc.stop()


if __name__ == "__main__":
    main()
