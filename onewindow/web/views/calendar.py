"""The working-day calendar page: each year's schedule status and a due-date calculator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from onewindow.calendar import selectors as calendar_selectors
from onewindow.core import clock
from onewindow.core.errors import ValidationFailed
from onewindow.web.access import StaffRequest, staff_page

PERMISSION = "calendar.view_calendaryear"
DEFAULT_DAYS = 20


def _years() -> list[dict[str, Any]]:
    """Every stored year, plus this year and next year even when nothing is stored for them."""
    today = clock.today()
    first, last = today.year, today.year + 1
    stored = calendar_selectors.stored_year_range()
    if stored:
        first, last = min(first, stored[0]), max(last, stored[1])
    return list(reversed(calendar_selectors.year_schedules(first, last)))


def _calculate(params: Any) -> dict[str, Any]:
    """Parse the calculator's fields and ask the calendar; a bad field becomes a message."""
    raw_start = (params.get("start") or "").strip()
    raw_days = (params.get("days") or "").strip()
    result: dict[str, Any] = {"start": raw_start, "days": raw_days, "errors": {}}
    try:
        start = dt.date.fromisoformat(raw_start)
    except ValueError:
        result["errors"]["start"] = _("Enter the start date as YYYY-MM-DD, e.g. 2026-09-30.")
    try:
        days = int(raw_days)
        if days < 0:
            raise ValueError
    except ValueError:
        result["errors"]["days"] = _("Enter the limit as a whole number of working days (0 or more).")
    if result["errors"]:
        return result
    try:
        due = calendar_selectors.due_date(start, days)
    except ValidationFailed as exc:
        result["errors"]["form"] = exc.message
        return result
    result.update(due=due.value, confirmed=due.confirmed, due_end=clock.end_of_day(due.value))
    return result


@staff_page(PERMISSION)
def calendar(request: StaffRequest) -> HttpResponse:
    today = clock.today()
    context = {
        "nav_active": "calendar",
        "years": _years(),
        "today": today,
        "calc": {"start": today.isoformat(), "days": str(DEFAULT_DAYS), "errors": {}},
    }
    return render(request, "web/calendar.html", context)


@staff_page(PERMISSION)
def due_date(request: StaffRequest) -> HttpResponse:
    """The calculator: an htmx request gets the result fragment, a plain one the whole page."""
    calc = _calculate(request.GET)
    status = 400 if calc["errors"] and not request.htmx else 200
    if request.htmx:
        return render(request, "web/calendar.html#due_result", {"calc": calc}, status=status)
    context = {"nav_active": "calendar", "years": _years(), "today": clock.today(), "calc": calc}
    return render(request, "web/calendar.html", context, status=status)
