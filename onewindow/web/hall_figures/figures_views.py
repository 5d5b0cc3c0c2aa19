"""排队统计 (web:queue_figures): the queue's figures of the user's center over a range of local
days (default today; "this month" one click away), optionally of one business type or window,
with each rate's numerator and denominator; and the same as CSV (web:queue_figures_export, UTF-8
with a byte order mark so that Excel opens it in Chinese, clerks' names masked)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from onewindow.appointments.models import BusinessType
from onewindow.core import clock
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_name
from onewindow.hall import figures
from onewindow.hall.figures import Durations, Rate, minutes
from onewindow.org.models import Window
from onewindow.web.access import forbidden, staff_page

VIEW_QUEUE = "hall.view_queue"


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _pk(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _scope(request: HttpRequest) -> tuple[figures.Scope, dict[str, list[str]]]:
    """The scope of the query string; bad input falls back to today with a message per field."""
    user: Any = request.user
    today = clock.today()
    errors: dict[str, list[str]] = {}
    start = _day(request.GET.get("from")) if request.GET.get("from") else today
    end = _day(request.GET.get("to")) if request.GET.get("to") else start
    if start is None:
        errors["from"] = [_("Enter a day as YYYY-MM-DD.")]
        start = today
    if end is None:
        errors["to"] = [_("Enter a day as YYYY-MM-DD.")]
        end = start
    try:
        scope = figures.scope_make(
            center_id=user.center_id,
            start=start,
            end=end,
            business_id=_pk(request.GET.get("business")),
            window_id=_pk(request.GET.get("window")),
        )
    except ValidationFailed as exc:
        errors.update(exc.details or {})
        scope = figures.scope_make(center_id=user.center_id, start=today, end=today)
    return scope, errors


def _durations(d: Durations) -> dict[str, Any]:
    return {"count": d.count, "average": minutes(d.average), "p90": minutes(d.p90)}


def _rate(rate: Rate) -> dict[str, Any]:
    return {"numerator": rate.numerator, "denominator": rate.denominator, "percent": rate.percent}


def _hours(seconds: int) -> str:
    return f"{seconds / 3600:.1f}"


@staff_page(VIEW_QUEUE)
def figures_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.center_id is None:
        return forbidden(request, reason=_("Your account belongs to no service center."))
    scope, errors = _scope(request)
    data = figures.queue_figures(scope)
    today = clock.today()
    peak = max((h.issued for h in data.hours), default=0)
    query = {
        "from": scope.start.isoformat(),
        "to": scope.end.isoformat(),
        **({"business": str(scope.business_id)} if scope.business_id else {}),
        **({"window": str(scope.window_id)} if scope.window_id else {}),
    }
    context = {
        "nav_active": "queue_figures",
        "scope": scope,
        "errors": errors,
        "data": data,
        "totals": data.totals,
        "served_rate": _rate(data.totals.served_rate),
        "no_show_rate": _rate(data.totals.queue_no_show_rate),
        "appointment_no_show_rate": _rate(data.totals.appointment_no_show_rate),
        "wait": _durations(data.wait),
        "service": _durations(data.service),
        "hours": [
            {
                "hour": h.hour,
                "issued": h.issued,
                "waiting": h.waiting,
                "waiting_average": f"{h.waiting_average:.1f}",
                "bar": round(100 * h.issued / peak) if peak else 0,
            }
            for h in data.hours
        ],
        "by_business": [_group(g) for g in data.by_business],
        "by_window": [_group(g) for g in data.by_window],
        "utilisation": [
            {
                "label": u.label,
                "served": u.served,
                "service_hours": _hours(u.service_seconds),
                "open_hours": _hours(u.open_seconds),
                "rate": u.rate.percent,
            }
            for u in data.utilisation
        ],
        "clerks": [{"c": c, "service": _durations(c.service)} for c in data.clerks],
        "businesses": BusinessType.objects.filter(center_id=user.center_id).order_by("letter"),
        "windows": Window.objects.filter(center_id=user.center_id, active=True).order_by("code"),
        "today": today,
        "month_start": today.replace(day=1),
        "export_query": urlencode(query),
    }
    return render(request, "web/hall_figures/figures.html", context)


def _group(g: figures.GroupTimes) -> dict[str, Any]:
    return {
        "label": g.label or "–",
        "tickets": g.tickets,
        "wait": _durations(g.wait),
        "service": _durations(g.service),
    }


@staff_page(VIEW_QUEUE)
def figures_export(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.center_id is None:
        return forbidden(request, reason=_("Your account belongs to no service center."))
    scope, _errors = _scope(request)
    data = figures.queue_figures(scope)
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with the byte order mark
    rows = csv.writer(out)
    t = data.totals
    rows.writerow([_("Queue figures"), scope.start.isoformat(), scope.end.isoformat()])
    rows.writerow([])
    rows.writerow([_("Figure"), _("Value"), _("Numerator"), _("Denominator")])
    for label, value in (
        (_("Tickets issued"), t.issued),
        (_("Served"), t.served),
        (_("Skipped"), t.skipped),
        (_("Void"), t.void),
        (_("Not served (still waiting at day end)"), t.not_served),
        (_("Still in the queue"), t.active),
        (_("Appointment tickets"), t.appointment_tickets),
        (_("Priority tickets"), t.priority_tickets),
        (_("Appointments missed"), t.appointments_missed),
    ):
        rows.writerow([label, value, "", ""])
    for label, rate in (
        (_("Served rate"), t.served_rate),
        (_("Queue no-show rate"), t.queue_no_show_rate),
        (_("Appointment no-show rate"), t.appointment_no_show_rate),
    ):
        rows.writerow([label, rate.percent, rate.numerator, rate.denominator])
    rows.writerow([_("Average wait (minutes)"), minutes(data.wait.average), "", data.wait.count])
    rows.writerow([_("p90 wait (minutes)"), minutes(data.wait.p90), "", data.wait.count])
    rows.writerow([_("Average service (minutes)"), minutes(data.service.average), "", data.service.count])
    rows.writerow([])
    rows.writerow([_("Hour"), _("Tickets issued"), _("Waiting at the hour (sum over the days)")])
    for h in data.hours:
        rows.writerow([f"{h.hour:02d}:00", h.issued, h.waiting])
    for title, groups in ((_("Business type"), data.by_business), (_("Window"), data.by_window)):
        rows.writerow([])
        rows.writerow(
            [
                title,
                _("Tickets"),
                _("Average wait (minutes)"),
                _("p90 wait (minutes)"),
                _("Average service (minutes)"),
                _("Served"),
            ]
        )
        for g in groups:
            rows.writerow(
                [
                    g.label,
                    g.tickets,
                    minutes(g.wait.average),
                    minutes(g.wait.p90),
                    minutes(g.service.average),
                    g.service.count,
                ]
            )
    rows.writerow([])
    rows.writerow([_("Window"), _("Served"), _("Service seconds"), _("Open seconds"), _("Utilisation")])
    for u in data.utilisation:
        rows.writerow([u.label, u.served, u.service_seconds, u.open_seconds, u.rate.percent])
    rows.writerow([])
    rows.writerow(
        [_("Clerk"), _("Account"), _("Called"), _("Served"), _("Skipped"), _("Average service (minutes)")]
    )
    for c in data.clerks:
        rows.writerow(
            [mask_name(c.name), c.username, c.called, c.served, c.skipped, minutes(c.service.average)]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"queue-figures-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
