"""The queue's figures (issue 16 §6) for staff with hall.view_queue, of their own center:

GET /queue/figures?from=YYYY-MM-DD&to=YYYY-MM-DD[&business=ID][&window=ID][&staff=ID]

Both days default to today. Durations are in seconds (averages with one decimal), rates give
their numerator and denominator (docs/domain/queue-figures.md). Errors are JSON
{"code","message","details"}: 401, 403 permission_denied, 422 validation_failed (a day that is
not YYYY-MM-DD) / invalid_range / range_too_long / unknown_business / unknown_window.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from onewindow.api.case_schemas import ErrorOut
from onewindow.api.security import bearer
from onewindow.core import clock
from onewindow.core.errors import PermissionDenied
from onewindow.hall import figures
from onewindow.hall.figures import Durations, Rate

router = Router(auth=bearer)

VIEW_QUEUE = "hall.view_queue"
MAX_INT = 2**31 - 1


class QueueFiguresQuery(Schema):
    from_: dt.date | None = Field(None, alias="from", description="first local day (default today)")
    to: dt.date | None = Field(None, description="last local day (default the first)")
    business: int | None = Field(None, ge=1, le=MAX_INT)
    window: int | None = Field(None, ge=1, le=MAX_INT)
    staff: int | None = Field(None, ge=1, le=MAX_INT)


class QueueFiguresRateOut(Schema):
    numerator: int
    denominator: int
    value: float | None = Field(description="numerator ÷ denominator, null when the denominator is 0")


class QueueFiguresDurationsOut(Schema):
    count: int
    average_seconds: float | None
    p90_seconds: int | None


class QueueFiguresTotalsOut(Schema):
    issued: int
    served: int
    skipped: int
    void: int
    not_served: int
    active: int
    appointment_tickets: int
    priority_tickets: int
    appointments_missed: int
    appointments_checked_in: int
    served_rate: QueueFiguresRateOut
    queue_no_show_rate: QueueFiguresRateOut
    appointment_no_show_rate: QueueFiguresRateOut


class QueueFiguresHourOut(Schema):
    hour: int
    issued: int
    waiting: int = Field(description="tickets waiting at HH:00, summed over the days")
    waiting_average: float


class QueueFiguresGroupOut(Schema):
    id: int | None
    name: str
    tickets: int
    wait: QueueFiguresDurationsOut
    service: QueueFiguresDurationsOut


class QueueFiguresWindowOut(Schema):
    id: int
    name: str
    served: int
    service_seconds: int
    open_seconds: int
    utilisation: QueueFiguresRateOut


class QueueFiguresClerkOut(Schema):
    id: int
    username: str
    name: str
    called: int
    served: int
    skipped: int
    service: QueueFiguresDurationsOut


class QueueFiguresOut(Schema):
    center: int
    from_: dt.date = Field(alias="from")
    to: dt.date
    business: int | None
    window: int | None
    staff: int | None
    totals: QueueFiguresTotalsOut
    wait: QueueFiguresDurationsOut
    service: QueueFiguresDurationsOut
    hours: list[QueueFiguresHourOut]
    by_business: list[QueueFiguresGroupOut]
    by_window: list[QueueFiguresGroupOut]
    windows: list[QueueFiguresWindowOut]
    clerks: list[QueueFiguresClerkOut]


def _rate(rate: Rate) -> dict[str, Any]:
    value = rate.value
    return {
        "numerator": rate.numerator,
        "denominator": rate.denominator,
        "value": round(value, 4) if value is not None else None,
    }


def _durations(d: Durations) -> dict[str, Any]:
    return {
        "count": d.count,
        "average_seconds": round(d.average, 1) if d.average is not None else None,
        "p90_seconds": d.p90,
    }


def figures_out(data: figures.QueueFigures) -> dict[str, Any]:
    t = data.totals
    scope = data.scope
    return {
        "center": scope.center_id,
        "from": scope.start,
        "to": scope.end,
        "business": scope.business_id,
        "window": scope.window_id,
        "staff": scope.staff_id,
        "totals": {
            "issued": t.issued,
            "served": t.served,
            "skipped": t.skipped,
            "void": t.void,
            "not_served": t.not_served,
            "active": t.active,
            "appointment_tickets": t.appointment_tickets,
            "priority_tickets": t.priority_tickets,
            "appointments_missed": t.appointments_missed,
            "appointments_checked_in": t.appointments_kept,
            "served_rate": _rate(t.served_rate),
            "queue_no_show_rate": _rate(t.queue_no_show_rate),
            "appointment_no_show_rate": _rate(t.appointment_no_show_rate),
        },
        "wait": _durations(data.wait),
        "service": _durations(data.service),
        "hours": [
            {
                "hour": h.hour,
                "issued": h.issued,
                "waiting": h.waiting,
                "waiting_average": round(h.waiting_average, 2),
            }
            for h in data.hours
        ],
        "by_business": [_group(g) for g in data.by_business],
        "by_window": [_group(g) for g in data.by_window],
        "windows": [
            {
                "id": u.window_id,
                "name": u.label,
                "served": u.served,
                "service_seconds": u.service_seconds,
                "open_seconds": u.open_seconds,
                "utilisation": _rate(u.rate),
            }
            for u in data.utilisation
        ],
        "clerks": [
            {
                "id": c.staff_id,
                "username": c.username,
                "name": c.name,
                "called": c.called,
                "served": c.served,
                "skipped": c.skipped,
                "service": _durations(c.service),
            }
            for c in data.clerks
        ],
    }


def _group(g: figures.GroupTimes) -> dict[str, Any]:
    return {
        "id": g.key,
        "name": g.label,
        "tickets": g.tickets,
        "wait": _durations(g.wait),
        "service": _durations(g.service),
    }


@router.get(
    "/queue/figures",
    response={200: QueueFiguresOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    by_alias=True,
)
def queue_figures(request: HttpRequest, filters: Query[QueueFiguresQuery]) -> dict[str, Any]:
    """The queue's figures of the caller's center over a range of local days."""
    user = request.auth  # type: ignore[attr-defined]
    if not user.has_perm(VIEW_QUEUE) or user.center_id is None:
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": VIEW_QUEUE})
    start = filters.from_ or clock.today()
    scope = figures.scope_make(
        center_id=user.center_id,
        start=start,
        end=filters.to or start,
        business_id=filters.business,
        window_id=filters.window,
        staff_id=filters.staff,
    )
    return figures_out(figures.queue_figures(scope))
