from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema

from onewindow.core.errors import DomainError
from onewindow.org.services import api_token_issue

router = Router()


class TokenRequest(Schema):
    username: str
    password: str


class TokenResponse(Schema):
    token: str
    expires_at: dt.datetime


class ErrorResponse(Schema):
    code: str
    message: str
    details: object | None = None


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


@router.post("/token", response={200: TokenResponse, 401: ErrorResponse}, auth=None)
def issue_token(request: HttpRequest, payload: TokenRequest) -> TokenResponse:
    """Exchange a username and password for a bearer token (send it as `Authorization: Bearer <token>`)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise InvalidCredentials("Wrong username or password, or the account is disabled.")
    token, raw = api_token_issue(user=user)  # type: ignore[arg-type]
    return TokenResponse(token=raw, expires_at=token.expires_at)
