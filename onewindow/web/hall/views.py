"""The clerk's window console (窗口叫号, web:queue_console): the current ticket always in view,
big buttons to call, recall, start, finish, skip and transfer, the window's status (pause,
resume, away), and the waiting list of the window's businesses with "call this one". Forms
POST and redirect (no JS needed); htmx refreshes the waiting list every few seconds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from onewindow.appointments.models import BusinessType
from onewindow.core import clock
from onewindow.core.errors import DomainError
from onewindow.hall import calling, selectors
from onewindow.hall.window_status import window_set_status
from onewindow.org.models import Window
from onewindow.web.access import staff_page

CALL = "hall.call_ticket"
TICKET_ACTIONS = ("call_next", "call", "recall", "start", "finish", "skip", "transfer")
WINDOW_ACTIONS = {"open": "open", "pause": "paused", "resume": "open", "away": "away", "close": "closed"}
DONE = {
    "call_next": gettext_lazy("Called %(number)s."),
    "call": gettext_lazy("Called %(number)s."),
    "recall": gettext_lazy("Called %(number)s again."),
    "start": gettext_lazy("Serving %(number)s."),
    "finish": gettext_lazy("%(number)s is done."),
    "skip": gettext_lazy("%(number)s was skipped."),
    "transfer": gettext_lazy("%(number)s was transferred."),
}


def _context(request: HttpRequest, window: Window) -> dict[str, Any]:
    now = clock.now()
    view = selectors.console(window, now=now)
    return {
        "nav_active": "queue_console",
        "c": view,
        "status_label": calling.window_status_label(view.state.status),
        "now": now,
        "waited": selectors.waited_minutes(view.current, now=now) if view.current else 0,
        "waiting_rows": [(t, selectors.waited_minutes(t, now=now)) for t in view.waiting],
        "max_recalls": settings.QUEUE_MAX_RECALLS,
    }


@staff_page(CALL)
def console(request: HttpRequest) -> HttpResponse:
    window = selectors.my_window(request.user)
    if window is None:
        return render(request, "web/hall/console_no_window.html", {"nav_active": "queue_console"})
    return render(request, "web/hall/console.html", _context(request, window))


@staff_page(CALL)
def waiting(request: HttpRequest) -> HttpResponse:
    """The waiting list alone (htmx polls it)."""
    window = selectors.my_window(request.user)
    if window is None:
        return HttpResponse(status=204)
    return render(request, "web/hall/console_waiting.html", _context(request, window))


def _expected_return(value: str) -> dt.datetime | None:
    """ "15:30" today (local), or None."""
    try:
        moment = dt.time.fromisoformat((value or "").strip()[:5])
    except ValueError:
        return None
    return dt.datetime.combine(clock.today(), moment, tzinfo=clock.zone())


@staff_page(CALL)
@require_POST
def act(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    back = HttpResponseRedirect(reverse("web:queue_console"))
    window = selectors.my_window(user)
    if window is None:
        return back
    action = (request.POST.get("action") or "")[:20]
    number = (request.POST.get("number") or "")[:8]
    try:
        if action in WINDOW_ACTIONS:
            window_set_status(
                window=window,
                actor=user,
                status=WINDOW_ACTIONS[action],
                message=(request.POST.get("message") or "")[:100],
                expected_return=_expected_return(request.POST.get("expected_return") or ""),
            )
            return back
        if action not in TICKET_ACTIONS:
            messages.error(request, _("Unknown action."))
            return back
        ticket = _ticket_action(request, user, window, action, number)
    except DomainError as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        extra = " ".join(str(m) for msgs in details.values() if isinstance(msgs, list) for m in msgs)
        messages.error(request, f"{exc.message} {extra}".strip())
        return back
    if ticket is None:
        messages.info(request, _("Nobody is waiting for this window."))
    else:
        messages.success(request, DONE[action] % {"number": ticket.number})
    return back


def _ticket_action(request: HttpRequest, user: Any, window: Window, action: str, number: str) -> Any:
    if action == "call_next":
        return calling.ticket_call_next(window=window, actor=user)
    ticket = calling.ticket_today(center_id=window.center_id, number=number)
    version = request.POST.get("version") or ""
    common: dict[str, Any] = {
        "ticket": ticket,
        "actor": user,
        "version": int(version) if version.isdigit() and len(version) < 10 else None,
    }
    if action == "call":
        return calling.ticket_call(window=window, **common)
    if action == "recall":
        return calling.ticket_recall(**common)
    if action == "start":
        return calling.ticket_start(**common)
    if action == "finish":
        return calling.ticket_finish(**common)
    if action == "skip":
        return calling.ticket_skip(reason=request.POST.get("reason") or "", **common)
    to_business = to_window = None
    business_id = request.POST.get("business") or ""
    window_id = request.POST.get("window") or ""
    if business_id.isdigit() and len(business_id) < 10:
        to_business = BusinessType.objects.filter(pk=int(business_id), center_id=window.center_id).first()
    if window_id.isdigit() and len(window_id) < 10:
        to_window = Window.objects.filter(pk=int(window_id), center_id=window.center_id).first()
    return calling.ticket_transfer(
        to_business=to_business, to_window=to_window, note=request.POST.get("reason") or "", **common
    )
