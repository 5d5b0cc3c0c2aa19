"""The hall's public pages (no sign-in): the hall screen, a window's display, the live wait page.

The pages render the whole state on the server (they work without JavaScript); hall/screen.js
then follows `GET /api/v1/queue/hall` (204 while nothing moved) and speaks the new calls, and
hall/wait.js follows `GET /api/v1/public/queue/wait/{token}`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from onewindow.core.errors import NotFound
from onewindow.hall import screens
from onewindow.hall.board import board_version
from onewindow.hall.waitlink import ticket_from_wait_token
from onewindow.org.models import Center

CODE_MAX = 20
WAIT_POLL_MILLISECONDS = 10_000


def _center(request: HttpRequest) -> Center:
    """The center of `?center=<code>`; without one, the only center there is."""
    code = (request.GET.get("center") or "").strip()[:CODE_MAX]
    if not code:
        only = list(Center.objects.order_by("pk")[:2])
        if len(only) == 1:
            return only[0]
        raise Http404
    try:
        return screens.center_by_code(code)
    except NotFound:
        raise Http404 from None


def _screen_context(center: Center) -> dict[str, object]:
    return {
        "center": center,
        "state_url": f"{reverse('api:hall_state')}",
        "poll": settings.HALL_POLL_MILLISECONDS,
        "voice": settings.HALL_VOICE,
    }


@never_cache
def screen(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    portrait = request.GET.get("layout") == "portrait"
    context = {**_screen_context(center), "state": screens.hall_state(center), "portrait": portrait}
    return render(request, "portal/hall/screen.html", context)


@never_cache
def window(request: HttpRequest, code: str) -> HttpResponse:
    try:
        center, row = screens.window_display(code[:CODE_MAX], (request.GET.get("center") or "")[:CODE_MAX])
    except NotFound:
        raise Http404 from None
    context = {**_screen_context(center), "window": row, "version": board_version(center.pk)}
    return render(request, "portal/hall/window.html", context)


@never_cache
def wait(request: HttpRequest, token: str) -> HttpResponse:
    ticket = ticket_from_wait_token(token[:200])
    if ticket is None:
        raise Http404
    context = {
        "state": screens.wait_state(ticket),
        "state_url": reverse("api:queue_wait", args=[token]),
        "poll": WAIT_POLL_MILLISECONDS,
    }
    return render(request, "portal/hall/wait.html", context)
