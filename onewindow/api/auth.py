"""POST /api/v1/auth/token: a username and password for a bearer token.

The password is checked by org.signin, under the one lockout of every way in: 401
invalid_credentials, 423 account_locked while the account is locked (details.locked_until),
429 rate_limited when the client address made too many failed attempts.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from onewindow.api.limits import column
from onewindow.org.models import User
from onewindow.org.services import api_token_issue, token_sign_in_check
from onewindow.org.signin import signin_authenticate

router = Router()

PASSWORD_MAX = 128  # as long as a pass phrase gets; hashing a longer one is work for an attacker


class TokenRequest(Schema):
    username: str = Field(max_length=column(User, "username"))
    password: str = Field(max_length=PASSWORD_MAX)
    otp: str | None = Field(
        default=None, max_length=12
    )  # the 6-digit code of an account with a second factor


class TokenResponse(Schema):
    token: str
    expires_at: dt.datetime


class ErrorResponse(Schema):
    code: str
    message: str
    details: object | None = None


@router.post(
    "/token",
    response={
        200: TokenResponse,
        401: ErrorResponse,
        403: ErrorResponse,
        422: ErrorResponse,
        423: ErrorResponse,
        429: ErrorResponse,
    },
    auth=None,
)
def issue_token(request: HttpRequest, payload: TokenRequest) -> TokenResponse:
    """Exchange a username and password for a bearer token (send it as `Authorization: Bearer <token>`)."""
    user = signin_authenticate(
        request=request, username=payload.username, password=payload.password, channel="api"
    )
    # second factor (otp_required / otp_invalid) and a due password change (password_change_required)
    token_sign_in_check(user=user, otp=payload.otp)
    token, raw = api_token_issue(user=user)
    return TokenResponse(token=raw, expires_at=token.expires_at)
