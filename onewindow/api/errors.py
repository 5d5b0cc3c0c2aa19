"""Every API error is JSON `{"code": ..., "message": ..., "details": ...}`.

400 bad_request (a body that is not JSON), 401 not_authenticated, 403 permission_denied,
404 not_found (also for unknown /api/v1/ paths), 405 method_not_allowed, 409 conflict,
422 validation_failed / invalid_transition, 429 rate_limited, 500 server_error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from onewindow.core.errors import DomainError

logger = logging.getLogger("onewindow.api")

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_failed",
    429: "rate_limited",
}


def body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


def error_response(status: int, code: str, message: str, details: Any = None) -> JsonResponse:
    return JsonResponse(
        body(code, message, details), status=status, json_dumps_params={"ensure_ascii": False}
    )


@csrf_exempt
def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any /api/v1/ path that no endpoint matches."""
    return error_response(
        404, "not_found", f"There is no API endpoint at {request.path}. See /api/v1/docs for the list."
    )


def _json_fallbacks(view: Callable[..., Any]) -> Callable[..., Any]:
    """Ninja answers a wrong method with a plain-text 405, and its root URL raises Http404 for
    Django's HTML page: answer both in JSON (keeping the Allow header)."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return unknown_path(request)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            replaced = error_response(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed here; use {allowed}.",
                {"allowed": [m.strip() for m in allowed.split(",") if m.strip()]},
            )
            replaced["Allow"] = allowed
            return replaced
        return response

    update_wrapper(wrapped, view)
    return wrapped


def _wrap_patterns(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_fallbacks(pattern.callback)
    return patterns


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {"loc": [str(p) for p in err.get("loc", [])], "message": err.get("msg", "")} for err in exc.errors
        ]
        fields = ", ".join(".".join(d["loc"][1:] or d["loc"]) for d in details)
        message = f"Invalid request: check {fields}." if fields else "Invalid request."
        return api.create_response(request, body("validation_failed", message, details), status=422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            body(
                "not_authenticated",
                "Send a valid token: Authorization: Bearer <token> (POST /api/v1/auth/token). "
                "Tokens stop working when they expire, are revoked or the account is disabled.",
            ),
            status=401,
        )

    @api.exception_handler(AuthorizationError)
    def authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return api.create_response(
            request, body("permission_denied", "Your account does not have the right to do this."), status=403
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        return api.create_response(request, body(code, str(exc)), status=exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, body("not_found", str(exc) or "Not found."), status=404)

    @api.exception_handler(DjangoPermissionDenied)
    def permission_denied(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
        message = str(exc) or "Your account does not have the right to do this."
        return api.create_response(request, body("permission_denied", message), status=403)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return api.create_response(
            request,
            body("server_error", "Something went wrong on the server; it has been logged. Try again later."),
            status=500,
        )

    # Unknown paths under the API and wrong methods answer JSON too: the URL list is built when
    # the API's urls are first read (after every router is registered), so extend it then.
    build_urls = api._get_urls

    def urls_with_json_fallbacks() -> list[URLPattern | URLResolver]:
        return [*_wrap_patterns(build_urls()), re_path(r"^.*$", unknown_path, name="unknown-path")]

    api._get_urls = urls_with_json_fallbacks  # type: ignore[method-assign]
