"""Every API error is JSON `{"code": ..., "message": ..., "details": ...}`.

400 bad_request (a body that is not JSON), 401 not_authenticated, 403 permission_denied,
404 not_found (also for unknown /api/v1/ paths), 405 method_not_allowed, 409 conflict,
422 validation_failed / invalid_transition, 423 account_locked, 429 rate_limited, 500 server_error.

Messages come in the request's language (LocaleMiddleware: the language cookie, then
Accept-Language, zh-hans by default): services translate with gettext when they raise, and the
messages written here are translated when the response is built. The `code` stays English.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
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
    423: "account_locked",
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
        404,
        "not_found",
        _("There is no API endpoint at %(path)s. See /api/v1/docs for the list.") % {"path": request.path},
    )


# Pydantic's messages are English only: the common error types get a translated message, with
# the values pydantic reports (ctx) filled in; any other type gets a general one.
_FIELD_MESSAGES: dict[str, str] = {
    "missing": gettext_noop("Required."),
    "int_parsing": gettext_noop("Enter a whole number."),
    "int_type": gettext_noop("Enter a whole number."),
    "int_from_float": gettext_noop("Enter a whole number."),
    "float_parsing": gettext_noop("Enter a number."),
    "float_type": gettext_noop("Enter a number."),
    "decimal_parsing": gettext_noop("Enter a number."),
    "bool_parsing": gettext_noop("Enter true or false."),
    "bool_type": gettext_noop("Enter true or false."),
    "string_type": gettext_noop("Enter text."),
    "string_too_short": gettext_noop("Enter at least %(min_length)s characters."),
    "string_too_long": gettext_noop("Enter at most %(max_length)s characters."),
    "string_pattern_mismatch": gettext_noop("The format is wrong."),
    "too_short": gettext_noop("Give at least %(min_length)s values."),
    "too_long": gettext_noop("Give at most %(max_length)s values."),
    "list_type": gettext_noop("Give a list."),
    "dict_type": gettext_noop("Give an object."),
    "model_type": gettext_noop("Give an object."),
    "date_parsing": gettext_noop("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_noop("Enter a date as YYYY-MM-DD."),
    "date_type": gettext_noop("Enter a date as YYYY-MM-DD."),
    "datetime_parsing": gettext_noop("Enter a date and time in ISO 8601, e.g. 2026-03-06T17:30:00+08:00."),
    "datetime_from_date_parsing": gettext_noop(
        "Enter a date and time in ISO 8601, e.g. 2026-03-06T17:30:00+08:00."
    ),
    "datetime_type": gettext_noop("Enter a date and time in ISO 8601, e.g. 2026-03-06T17:30:00+08:00."),
    "uuid_parsing": gettext_noop("Enter a valid UUID."),
    "literal_error": gettext_noop("Choose one of: %(expected)s."),
    "enum": gettext_noop("Choose one of: %(expected)s."),
    "greater_than": gettext_noop("Enter a value greater than %(gt)s."),
    "greater_than_equal": gettext_noop("Enter a value of at least %(ge)s."),
    "less_than": gettext_noop("Enter a value less than %(lt)s."),
    "less_than_equal": gettext_noop("Enter a value of at most %(le)s."),
    "json_invalid": gettext_noop("The request body is not valid JSON."),
}
_GENERAL_FIELD_MESSAGE = gettext_noop("Invalid value.")


def field_message(error: dict[str, Any]) -> str:
    """One pydantic error as a message in the request's language."""
    template = _FIELD_MESSAGES.get(str(error.get("type", "")))
    if template is None:
        custom = str(error.get("msg", ""))
        if error.get("type") == "value_error" and custom.startswith("Value error, "):
            return _(custom.removeprefix("Value error, "))  # a validator's own (gettext-ready) text
        return _(_GENERAL_FIELD_MESSAGE)
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if "expected" in context:  # pydantic writes "'a', 'b' or 'c'": keep the English "or" out
        context["expected"] = context["expected"].replace(" or ", ", ")
    try:
        return _(template) % context
    except (KeyError, ValueError):
        return _(_GENERAL_FIELD_MESSAGE)


def http_error_message(exc: HttpError) -> str:
    """Ninja raises HttpError with English text of its own; the ones a client meets are translated."""
    text = str(exc)
    if exc.status_code == 400 and text.lower().startswith("cannot parse request body"):
        return _("The request body is not valid JSON.")
    return _(text)


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
                _("%(method)s is not allowed here; use %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
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
            {"loc": [str(p) for p in err.get("loc", [])], "message": field_message(err)} for err in exc.errors
        ]
        fields = ", ".join(".".join(d["loc"][1:] or d["loc"]) for d in details)
        message = (
            _("Invalid request: check %(fields)s.") % {"fields": fields} if fields else _("Invalid request.")
        )
        return api.create_response(request, body("validation_failed", message, details), status=422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            body(
                "not_authenticated",
                _(
                    "Send a valid token: Authorization: Bearer <token> (POST /api/v1/auth/token). "
                    "Tokens stop working when they expire, are revoked or the account is disabled."
                ),
            ),
            status=401,
        )

    @api.exception_handler(AuthorizationError)
    def authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return api.create_response(
            request,
            body("permission_denied", _("Your account does not have the right to do this.")),
            status=403,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        return api.create_response(request, body(code, http_error_message(exc)), status=exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, body("not_found", str(exc) or _("Not found.")), status=404)

    @api.exception_handler(DjangoPermissionDenied)
    def permission_denied(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
        message = str(exc) or _("Your account does not have the right to do this.")
        return api.create_response(request, body("permission_denied", message), status=403)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return api.create_response(
            request,
            body(
                "server_error", _("Something went wrong on the server; it has been logged. Try again later.")
            ),
            status=500,
        )

    # Unknown paths under the API and wrong methods answer JSON too: the URL list is built when
    # the API's urls are first read (after every router is registered), so extend it then.
    build_urls = api._get_urls

    def urls_with_json_fallbacks() -> list[URLPattern | URLResolver]:
        return [*_wrap_patterns(build_urls()), re_path(r"^.*$", unknown_path, name="unknown-path")]

    api._get_urls = urls_with_json_fallbacks  # type: ignore[method-assign]
