"""The attendance pages: the center's daily table (attendance.view_attendance) and "my
attendance" (every signed-in account: 签到 / 签退, this month's records and days, the reasons
still missing, my leave requests). The duty leader's and the administrator's pages are in
duty.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from onewindow.attendance import daily, selectors, thresholds, violations
from onewindow.attendance.clock import clock_reason_add, clock_record
from onewindow.core import clock
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.middleware import client_ip
from onewindow.web.access import staff_page


def _month(request: HttpRequest) -> dt.date:
    """The first day of the month asked for (?month=YYYY-MM), else this month."""
    value = (request.GET.get("month") or "").strip()[:7]
    try:
        return dt.date.fromisoformat(value + "-01")
    except ValueError:
        return clock.today().replace(day=1)


def _month_nav(first: dt.date) -> dict[str, str]:
    prev = (first - dt.timedelta(days=1)).replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return {"month": first.strftime("%Y-%m"), "prev": prev.strftime("%Y-%m"), "next": nxt.strftime("%Y-%m")}


def leave_request_url() -> str:
    try:
        return reverse("web:leave_request")
    except NoReverseMatch:  # the leave pages are another part of issue 16
        return ""


@never_cache
@staff_page(selectors.VIEW)
def center_table(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    first = _month(request)
    start, end = selectors.month_of(first)
    people = daily.people(user.center_id, start, end)
    days = daily.derive(center=user.center_id, start=start, end=end, users=people)
    by_person: dict[int, dict[dt.date, daily.Day]] = defaultdict(dict)
    dates: list[dt.date] = sorted({d.date for d in days})
    for d in days:
        by_person[d.user_id][d.date] = d
    found = violations.violations(center=user.center_id, start=start, end=end)
    counted: dict[int, list[violations.Violation]] = defaultdict(list)
    for v in found:
        if v.user_id:
            counted[v.user_id].append(v)
    flags = thresholds.flagged(
        center=user.center_id, day=min(end, clock.today()), user_ids=[p.pk for p in people]
    )
    rows = [
        {
            "person": p,
            "cells": [by_person[p.pk].get(day) for day in dates],
            "violations": len(counted[p.pk]),
            "points": violations.points(counted[p.pk]),
            "flags": flags.get(p.pk, []),
            "reasons_missing": sum(1 for d in by_person[p.pk].values() if d.reason_missing),
        }
        for p in people
    ]
    names = {p.pk: p.display_name for p in people}
    context = {
        "nav_active": "attendance",
        "dates": dates,
        "rows": rows,
        "nav": _month_nav(first),
        "first": first,
        "violations": [
            {"date": v.date, "name": names.get(v.user_id or 0, ""), "kind": v.kind_label, "points": v.points}
            for v in found
        ],
    }
    return render(request, "web/attendance/center.html", context)


def _clock_post(request: HttpRequest, user: Any) -> tuple[str, dict[str, list[str]]]:
    """签到 / 签退, or a reason for an abnormal record; the error message and field errors."""
    op = request.POST.get("op") or ""
    reason = (request.POST.get("reason") or "")[:300]
    try:
        if op == "reason":
            try:
                record_id = int(request.POST.get("record") or 0)
            except ValueError:
                record_id = 0
            clock_reason_add(record_id=record_id, reason=reason, actor=user, client_ip=client_ip(request))
            messages.success(request, _("Reason recorded."))
        elif op in ("in", "out"):
            record = clock_record(
                user=user, kind=op, method="password", reason=reason, client_ip=client_ip(request)
            )
            at = clock.local(record.at).strftime("%H:%M")
            if op == "in":
                messages.success(request, _("Clocked in at %(time)s.") % {"time": at})
            else:
                messages.success(request, _("Clocked out at %(time)s.") % {"time": at})
        else:
            return _("Choose clock in or clock out."), {}
    except DomainError as exc:
        return exc.message, dict(exc.details or {}) if isinstance(exc, ValidationFailed) else {}
    return "", {}


@never_cache
@staff_page()
def mine(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    error, op = "", ""
    errors: dict[str, Any] = {}
    if request.method == "POST":
        op = request.POST.get("op") or ""
        error, errors = _clock_post(request, user)
        if not error:
            return HttpResponseRedirect(reverse("web:attendance_mine"))
    first = _month(request)
    start, end = selectors.month_of(first)
    days = daily.derive(center=user.center_id, start=start, end=end, users=[user]) if user.center_id else []
    context = {
        "nav_active": "attendance_mine",
        "records": list(selectors.records_of(user, start, end)),
        "days": list(reversed(days)),
        "missing": [a for d in days for a in d.abnormal if not a.reason],
        "leaves": selectors.leave_requests_of(user),
        "leave_request_url": leave_request_url(),
        "nav": _month_nav(first),
        "first": first,
        "now": clock.local_now(),
        "error": error,
        "errors": errors,
        "op": op,
        "reason": (request.POST.get("reason") or "")[:200] if error else "",
        "can_clock": bool(user.center_id),
    }
    return render(request, "web/attendance/mine.html", context, status=422 if error else 200)
