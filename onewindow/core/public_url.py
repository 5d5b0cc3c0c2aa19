"""The public address of the portal, as printed notices (QR codes) and messages use it.

In order: `settings.PUBLIC_BASE_URL` when set (production: the address the public reaches);
otherwise the address `manage.py serve` was started on (it sets SERVED_URL_VARIABLE for itself
and its worker, so `make run PORT=8101` encodes http://127.0.0.1:8101/...); otherwise the
address of the request being answered; otherwise http://127.0.0.1:8000.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost

SERVED_URL_VARIABLE = "ONEWINDOW_SERVED_URL"
FALLBACK = "http://127.0.0.1:8000"


def served_url(host: str, port: str | int) -> str:
    """The address a browser uses for a server bound to `host`:`port` (a wildcard bind is
    reached at 127.0.0.1)."""
    host = (host or "").strip()
    if host in ("", "0.0.0.0", "::", "[::]"):  # noqa: S104 (not a bind: the address shown)
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{int(port)}"


def public_base_url(request: Any = None) -> str:
    """The base address for public links, without a trailing slash."""
    configured = str(getattr(settings, "PUBLIC_BASE_URL", "") or "").strip()
    if configured:
        return configured.rstrip("/")
    served = os.environ.get(SERVED_URL_VARIABLE, "").strip()
    if served:
        return served.rstrip("/")
    if request is not None:
        try:
            return str(request.build_absolute_uri("/")).rstrip("/")
        except DisallowedHost:
            return FALLBACK
    return FALLBACK
