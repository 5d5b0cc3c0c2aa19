"""gunicorn settings for onewindow: its access and error logs mask personal data.

    gunicorn -c python:onewindow.conf.gunicorn onewindow.conf.wsgi:application --access-logfile - …

(docs/operations.md). The request line, path, query string and referer of every access log line
go through `onewindow.core.masking.mask_url`: ID numbers and phones anywhere, and the values of
name, phone, ID number and lookup-code parameters, are masked
(`GET /api/v1/public/progress?number=…&code=1234` → `…&code=****`). Every other line of both logs
passes the same filter as Django's own logging. Settings given on the command line still apply;
only the logger class is set here.
"""

from __future__ import annotations

from typing import Any

from gunicorn import glogging

from onewindow.core.masking import MaskingLogFilter, mask_request_line, mask_url

# The atoms of gunicorn's access log format that carry the requested URL.
_URL_ATOMS = ("U", "f", "{raw_uri}e", "{path_info}e", "{http_referer}e", "{referer}i")


class MaskingLogger(glogging.Logger):  # type: ignore[misc]
    """gunicorn's logger with personal data masked in the access and error logs."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, MaskingLogFilter) for f in log.filters):
                log.addFilter(MaskingLogFilter())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        atoms["r"] = mask_request_line(str(atoms.get("r") or ""))
        for key in _URL_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = mask_url(atoms[key])
        for key in ("q", "{query_string}e"):
            if atoms.get(key):
                atoms[key] = mask_url("?" + str(atoms[key]))[1:]
        return atoms


logger_class = "onewindow.conf.gunicorn.MaskingLogger"
