"""POST /api/v1/auth/token: a username and password for a bearer token.

Attempts are limited per username and address (TOKEN_ATTEMPTS per TOKEN_WINDOW_SECONDS), so a
password cannot be guessed by trying many in a row; the limit answers 429 rate_limited.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from onewindow.api.limits import column
from onewindow.core import ratelimit
from onewindow.core.errors import NotAuthenticated, RateLimited
from onewindow.core.middleware import client_ip
from onewindow.org.models import User
from onewindow.org.services import api_token_issue

router = Router()

TOKEN_ATTEMPTS = 10
TOKEN_WINDOW_SECONDS = 300
PASSWORD_MAX = 128  # as long as a pass phrase gets; hashing a longer one is work for an attacker


class TokenRequest(Schema):
    username: str = Field(max_length=column(User, "username"))
    password: str = Field(max_length=PASSWORD_MAX)


class TokenResponse(Schema):
    token: str
    expires_at: dt.datetime


class ErrorResponse(Schema):
    code: str
    message: str
    details: object | None = None


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"


def token_rate_key(request: HttpRequest, username: str) -> str:
    return f"api.token:{username.strip().lower()[:150]}:{client_ip(request)}"


@router.post(
    "/token",
    response={200: TokenResponse, 401: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse},
    auth=None,
)
def issue_token(request: HttpRequest, payload: TokenRequest) -> TokenResponse:
    """Exchange a username and password for a bearer token (send it as `Authorization: Bearer <token>`)."""
    if not ratelimit.check_rate(
        key=token_rate_key(request, payload.username),
        limit=TOKEN_ATTEMPTS,
        window_seconds=TOKEN_WINDOW_SECONDS,
    ):
        raise RateLimited(
            _("Too many attempts for this account from your address. Wait %(minutes)s minutes and try again.")
            % {"minutes": TOKEN_WINDOW_SECONDS // 60},
            details={"retry_after_seconds": TOKEN_WINDOW_SECONDS},
        )
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise InvalidCredentials(_("Wrong username or password, or the account is disabled."))
    token, raw = api_token_issue(user=user)  # type: ignore[arg-type]
    return TokenResponse(token=raw, expires_at=token.expires_at)
