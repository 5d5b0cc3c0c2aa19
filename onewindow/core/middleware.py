from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from onewindow.core import context


def client_ip(request: HttpRequest) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:45]


class RequestContextMiddleware:
    """Records the acting user and address so that audit entries say who and from where."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        token = context.set_current(
            context.RequestContext(
                user_id=user.pk if authenticated and user else None,
                username=user.get_username() if authenticated and user else "",
                ip=client_ip(request),
                channel="web",
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
