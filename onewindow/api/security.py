"""Bearer-token authentication for the API (`Authorization: Bearer <token>`).

A missing, unknown, expired or revoked token, or one of a disabled account, is refused with a
401 JSON error (onewindow.api.errors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from onewindow.core import context
from onewindow.org import actors
from onewindow.org.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        actors.prime(user)  # permissions, posts, window, center: no query for a recent caller
        request.user = user
        ctx = context.current()
        # Audit entries written during this request name the token's owner. The middleware
        # restores the previous context when the request ends.
        context.set_current(
            context.RequestContext(user_id=user.pk, username=user.username, ip=ctx.ip, channel="api")
        )
        return user


bearer = BearerToken()
