"""The WSGI application sends /api/ through the short middleware chain, the rest through the full one."""

from __future__ import annotations

import io
import json
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from onewindow.conf import wsgi


def _call(
    app: Any, path: str, query: str = "", headers: dict[str, str] | None = None
) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": query, "REMOTE_ADDR": "127.0.0.1"}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "localhost"
    environ["wsgi.input"] = io.BytesIO(b"")
    environ.update(headers or {})
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"] = status
        answer["headers"] = dict(response_headers)

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.mark.django_db(transaction=True)
def test_api_requests_take_the_short_chain_and_pages_the_full_one(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["localhost"]
    app = wsgi.build()
    status, headers, body = _call(app, "/api/v1/public/progress", "number=SFS2026010100000Z&code=1234")
    assert status.startswith("404") and json.loads(body)["code"] == "not_found"
    assert headers["X-Frame-Options"] == "DENY"  # security headers stay
    assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", "")  # no session, no CSRF
    status, headers, _ = _call(app, "/api/v1/worklist", headers={"HTTP_AUTHORIZATION": "Bearer nope"})
    assert status.startswith("401")
    # the language follows Accept-Language: the locale middleware is in the API chain
    _, headers, _ = _call(app, "/api/v1/worklist", headers={"HTTP_ACCEPT_LANGUAGE": "en"})
    assert headers.get("Content-Language") == "en"
    _, headers, _ = _call(app, "/api/v1/worklist")
    assert headers.get("Content-Language") == "zh-hans"
    # a staff page: the full chain (sessions, CSRF) answers with a redirect to the sign-in page
    status, headers, _ = _call(app, "/staff/")
    assert status.startswith("302") and "login" in headers["Location"]
    assert wsgi.application is not None
