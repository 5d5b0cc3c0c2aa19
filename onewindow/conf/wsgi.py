"""The WSGI application: the JSON API (/api/) through a short middleware chain, everything else
through the full one (conf/settings.py MIDDLEWARE).

API requests authenticate with a bearer token or not at all (the public lookup): sessions,
cookie authentication, CSRF, messages, htmx and static files have nothing to do for them, and
each layer costs every request (see docs/benchmarks.md). The API chain is
settings.API_MIDDLEWARE; the paths it serves are settings.API_PATH_PREFIXES.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.conf.settings")


class _ChainHandler(WSGIHandler):
    """A WSGIHandler whose middleware chain is `middleware` instead of settings.MIDDLEWARE."""

    def __init__(self, middleware: list[str]) -> None:
        self._chain = middleware
        super().__init__()

    def load_middleware(self, is_async: bool = False) -> None:
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = self._chain  # read by BaseHandler.load_middleware, at start-up only
        try:
            super().load_middleware(is_async=is_async)
        finally:
            settings.MIDDLEWARE = full


def build() -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    django.setup(set_prefix=False)
    site = WSGIHandler()
    api = _ChainHandler(list(settings.API_MIDDLEWARE))
    prefixes = tuple(settings.API_PATH_PREFIXES)
    # the API docs and schema read the staff session (onewindow.api.docs): the full chain
    session_paths = frozenset(getattr(settings, "API_SESSION_PATHS", ()))

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        handler = api if path.startswith(prefixes) and path not in session_paths else site
        return handler(environ, start_response)

    return application


application = build()
