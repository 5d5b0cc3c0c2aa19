"""The duty leader's pages (a clock record entered by hand: attendance.clock_manually; the
patrol log: attendance.log_patrol) and the center administrator's terminals
(attendance.manage_attendance_device; a new terminal's key is shown once)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from onewindow.attendance import devices, rules, selectors
from onewindow.attendance.clock import CLOCK_MANUALLY, clock_record
from onewindow.attendance.models import ClockRecord, PatrolEntry
from onewindow.attendance.patrol import LOG_PATROL, patrol_entry_create
from onewindow.core import clock
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.middleware import client_ip
from onewindow.web.access import staff_page

PATROL_DAYS = 14


def _moment(day: str | None, time: str | None) -> dt.datetime | None:
    try:
        d = dt.date.fromisoformat((day or "").strip()[:10])
        t = dt.time.fromisoformat((time or "").strip()[:5])
    except ValueError:
        return None
    return dt.datetime.combine(d, t, tzinfo=clock.zone())


def _pick(options: list[Any], value: str | None) -> Any:
    return next((o for o in options if str(o.pk) == (value or "")), None)


def _failed(exc: DomainError) -> tuple[str, dict[str, Any]]:
    return exc.message, dict(exc.details or {}) if isinstance(exc, ValidationFailed) else {}


@never_cache
@staff_page(CLOCK_MANUALLY)
def manual(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    staff = list(selectors.staff_of(user.center_id))
    now = clock.local_now()
    values = {
        "person": "",
        "kind": "in",
        "date": now.date().isoformat(),
        "time": now.strftime("%H:%M"),
        "reason": "",
    }
    error = ""
    errors: dict[str, Any] = {}
    if request.method == "POST":
        values = {k: (request.POST.get(k) or "")[: 200 if k == "reason" else 20] for k in values}
        person = _pick(staff, values["person"])
        at = _moment(values["date"], values["time"])
        if person is None or at is None:
            error = _("Check the record.")
            if person is None:
                errors["person"] = [_("Choose the person.")]
            if at is None:
                errors["at"] = [_("Enter the date and the time.")]
        else:
            try:
                record = clock_record(
                    user=person,
                    kind=values["kind"],
                    method=ClockRecord.Method.MANUAL,
                    at=at,
                    reason=values["reason"],
                    entered_by=user,
                    client_ip=client_ip(request),
                )
            except DomainError as exc:
                error, errors = _failed(exc)
            else:
                messages.success(
                    request,
                    _("Recorded for %(name)s at %(time)s.")
                    % {
                        "name": person.display_name,
                        "time": clock.local(record.at).strftime("%Y-%m-%d %H:%M"),
                    },
                )
                return HttpResponseRedirect(reverse("web:attendance_manual"))
    today = clock.today()
    recent = (
        ClockRecord.objects.filter(center_id=user.center_id, method=ClockRecord.Method.MANUAL)
        .filter(date__gte=today - dt.timedelta(days=31))
        .select_related("user", "entered_by")
        .order_by("-recorded_at", "-pk")[:50]
    )
    context = {
        "nav_active": "attendance",
        "staff": staff,
        "kinds": ClockRecord.Kind.choices,
        "values": values,
        "error": error,
        "errors": errors,
        "recent": list(recent),
    }
    return render(request, "web/attendance/manual.html", context, status=422 if error else 200)


@never_cache
@staff_page(LOG_PATROL)
def patrol(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    staff = list(selectors.staff_of(user.center_id))
    windows = list(selectors.windows_of(user.center_id))
    now = clock.local_now()
    values: dict[str, Any] = {
        "window": "",
        "person": "",
        "finding": "in_order",
        "violation": False,
        "note": "",
        "date": now.date().isoformat(),
        "time": now.strftime("%H:%M"),
    }
    error = ""
    errors: dict[str, Any] = {}
    if request.method == "POST":
        post = request.POST
        values = {k: (post.get(k) or "")[: 300 if k == "note" else 20] for k in values}
        values["violation"] = post.get("violation") == "1"
        at = _moment(values["date"], values["time"])
        try:
            if at is None:
                raise ValidationFailed(
                    _("Check the patrol entry."), details={"at": [_("Enter the date and the time.")]}
                )
            patrol_entry_create(
                leader=user,
                at=at,
                window=_pick(windows, values["window"]),
                person=_pick(staff, values["person"]),
                finding=values["finding"],
                violation=values["violation"],
                note=values["note"],
                client_ip=client_ip(request),
            )
        except DomainError as exc:
            error, errors = _failed(exc)
        else:
            messages.success(request, _("Patrol entry recorded."))
            return HttpResponseRedirect(reverse("web:patrol"))
    today = clock.today()
    context = {
        "nav_active": "patrol",
        "entries": list(selectors.patrol_log(user.center_id, today - dt.timedelta(days=PATROL_DAYS), today)),
        "staff": staff,
        "windows": windows,
        "findings": PatrolEntry.Finding.choices,
        "values": values,
        "error": error,
        "errors": errors,
        "days": PATROL_DAYS,
    }
    return render(request, "web/attendance/patrol.html", context, status=422 if error else 200)


@never_cache
@staff_page(devices.MANAGE)
def terminals(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    windows = list(selectors.windows_of(user.center_id))
    created: tuple[Any, str] | None = None
    error = ""
    errors: dict[str, Any] = {}
    values = {"window": "", "name": ""}
    if request.method == "POST":
        if request.POST.get("op") == "revoke":
            try:
                device_id = int(request.POST.get("device") or 0)
            except ValueError:
                device_id = 0
            try:
                device = devices.attendance_device_revoke(device_id=device_id, actor=user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Terminal %(name)s revoked.") % {"name": device.name})
            return HttpResponseRedirect(reverse("web:attendance_devices"))
        values = {
            "window": (request.POST.get("window") or "")[:20],
            "name": (request.POST.get("name") or "")[:100],
        }
        try:
            created = devices.attendance_device_create(
                center=user.center, name=values["name"], window=_pick(windows, values["window"]), actor=user
            )
        except DomainError as exc:
            error, errors = _failed(exc)
        else:
            values = {"window": "", "name": ""}
    context = {
        "nav_active": "attendance",
        "windows": windows,
        "devices": list(selectors.devices_of(user.center_id)),
        "created": created[0] if created else None,
        "created_key": created[1] if created else "",
        "values": values,
        "error": error,
        "errors": errors,
    }
    return render(request, "web/attendance/terminals.html", context, status=422 if error else 200)


RULE_TIMES = ("clock_in_from", "clock_in_until", "clock_out_from", "clock_out_until")
RULE_NUMBERS = ("month_threshold", "quarter_threshold", "year_threshold")


@never_cache
@staff_page(rules.MANAGE)
def rule_versions(request: HttpRequest) -> HttpResponse:
    """The attendance rule's versions, and a form for a new one from a day."""
    user: Any = request.user
    today = clock.today()
    current = rules.rule_for(user.center_id, today)
    values: dict[str, Any] = {name: getattr(current, name) for name in rules.DEFAULTS}
    values = {k: (f"{v:%H:%M}" if k in RULE_TIMES else str(v)) for k, v in values.items()}
    values["valid_from"] = (today + dt.timedelta(days=1)).isoformat()
    error = ""
    errors: dict[str, Any] = {}
    if request.method == "POST":
        values = {k: (request.POST.get(k) or "").strip()[:10] for k in values}
        fields: dict[str, Any] = {}
        valid_from = today
        try:
            valid_from = dt.date.fromisoformat(values["valid_from"])
        except ValueError:
            errors["valid_from"] = [_("Enter a date.")]
        for name in RULE_TIMES:
            try:
                fields[name] = dt.time.fromisoformat(values[name][:5])
            except ValueError:
                errors[name] = [_("Enter a time such as 08:30.")]
        for name in RULE_NUMBERS:
            try:
                fields[name] = int(values[name])
            except ValueError:
                errors[name] = [_("Enter a whole number.")]
        try:
            fields["violation_points"] = Decimal(values["violation_points"])
        except InvalidOperation:
            errors["violation_points"] = [_("Enter a number.")]
        if errors:
            error = _("Check the attendance rule.")
        else:
            try:
                rules.attendance_rule_create(center=user.center, valid_from=valid_from, actor=user, **fields)
            except DomainError as exc:
                error, errors = _failed(exc)
            else:
                messages.success(
                    request, _("The new rule applies from %(day)s.") % {"day": valid_from.isoformat()}
                )
                return HttpResponseRedirect(reverse("web:attendance_rules"))
    context = {
        "nav_active": "attendance",
        "versions": rules.versions(user.center_id),
        "current": current,
        "values": values,
        "error": error,
        "errors": errors,
    }
    return render(request, "web/attendance/rules.html", context, status=422 if error else 200)
