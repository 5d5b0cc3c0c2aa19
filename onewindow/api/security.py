"""Bearer-token authentication for the API (`Authorization: Bearer <token>`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from onewindow.core import context
from onewindow.org.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        ctx = context.current()
        context.set_current(
            context.RequestContext(user_id=user.pk, username=user.username, ip=ctx.ip, channel="api")
        )
        return user


bearer = BearerToken()
