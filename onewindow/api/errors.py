"""Every API error is JSON `{"code": ..., "message": ..., "details": ...}`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from onewindow.core.errors import DomainError


def _body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


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
        return api.create_response(request, _body("validation_failed", message, details), status=422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            _body(
                "not_authenticated",
                "Send a valid token: Authorization: Bearer <token> (POST /api/v1/auth/token).",
            ),
            status=401,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            404: "not_found",
            403: "permission_denied",
            401: "not_authenticated",
            429: "rate_limited",
        }.get(exc.status_code, "error")
        return api.create_response(request, _body(code, str(exc)), status=exc.status_code)
