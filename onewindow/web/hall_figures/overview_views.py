"""The supervisor's live overview of the hall (web:queue_overview, read-only): every window with
its status, clerk and current ticket; the people waiting and the longest wait per business type;
today's totals. The live part (web:queue_overview_live) is polled by htmx every 15 seconds."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from onewindow.hall.figures import minutes
from onewindow.hall.overview import hall_overview
from onewindow.web.access import forbidden, staff_page

VIEW_QUEUE = "hall.view_queue"
POLL_SECONDS = 15
# the words of this page (with a context: "open" and "waiting" mean other things elsewhere)
WINDOW_STATUS = {
    "open": pgettext_lazy("window status", "open"),
    "paused": pgettext_lazy("window status", "service paused"),
    "away": pgettext_lazy("window status", "away"),
    "closed": pgettext_lazy("window status", "closed"),
}
TICKET_STATUS = {
    "called": pgettext_lazy("queue ticket", "called"),
    "serving": pgettext_lazy("queue ticket", "being served"),
}


def duration(seconds: int | None) -> str:
    """12:05 (minutes:seconds) under an hour, 2:10:05 above; "" for none."""
    if seconds is None:
        return ""
    minutes_, secs = divmod(seconds, 60)
    if minutes_ >= 60:
        return f"{minutes_ // 60}:{minutes_ % 60:02d}:{secs:02d}"
    return f"{minutes_}:{secs:02d}"


def _context(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    data = hall_overview(user.center_id)
    return {
        "nav_active": "queue_overview",
        "data": data,
        "poll_seconds": POLL_SECONDS,
        "windows": [
            {
                "w": w,
                "status": WINDOW_STATUS.get(w.status, w.status_label),
                "ticket_status": TICKET_STATUS.get(w.ticket_status, ""),
                "since": duration(w.since_seconds),
                "serving": duration(w.serving_seconds),
                "long": w.serving_seconds is not None and w.serving_seconds > 20 * 60,
            }
            for w in data.windows
        ],
        "businesses": [
            {
                "b": b,
                "longest": duration(b.longest_wait_seconds),
                "long": (b.longest_wait_seconds or 0) > 30 * 60,
            }
            for b in data.businesses
        ],
        "served_rate": data.totals.served_rate,
        "wait_average": minutes(data.wait.average),
        "wait_p90": minutes(data.wait.p90),
        "service_average": minutes(data.service.average),
        "open": data.count("open"),
        "paused": data.count("paused"),
        "away": data.count("away"),
        "closed": data.count("closed"),
    }


@staff_page(VIEW_QUEUE)
def overview(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.center_id is None:
        return forbidden(request, reason=_("Your account belongs to no service center."))
    return render(request, "web/hall_figures/overview.html", _context(request))


@staff_page(VIEW_QUEUE)
def overview_live(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.center_id is None:
        return forbidden(request, reason=_("Your account belongs to no service center."))
    return render(request, "web/hall_figures/_overview_live.html", _context(request))
