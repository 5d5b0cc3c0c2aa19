"""Reading attendance for the pages and the API (the derived views are in daily, thresholds and
violations)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from onewindow.attendance.models import AttendanceDevice, ClockRecord, LeaveRequest, PatrolEntry
from onewindow.core import clock as time
from onewindow.org.models import User, Window

VIEW = "attendance.view_attendance"


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    nxt = (start + dt.timedelta(days=32)).replace(day=1)
    return start, nxt - dt.timedelta(days=1)


def records_of(user: Any, start: dt.date, end: dt.date) -> QuerySet[ClockRecord]:
    return (
        ClockRecord.objects.filter(user=user, date__gte=start, date__lte=end)
        .select_related("device", "entered_by", "window")
        .order_by("-at", "-pk")
    )


def center_records(center_id: int, start: dt.date, end: dt.date) -> QuerySet[ClockRecord]:
    return ClockRecord.objects.filter(center_id=center_id, date__gte=start, date__lte=end)


def leave_requests_of(user: Any, limit: int = 50) -> list[LeaveRequest]:
    return list(LeaveRequest.objects.filter(user=user).order_by("-starts_at", "-pk")[:limit])


def devices_of(center_id: int) -> QuerySet[AttendanceDevice]:
    return AttendanceDevice.objects.filter(center_id=center_id).select_related("window", "created_by")


def patrol_log(center_id: int, start: dt.date, end: dt.date) -> QuerySet[PatrolEntry]:
    return (
        PatrolEntry.objects.filter(
            center_id=center_id,
            at__gte=dt.datetime.combine(start, dt.time(0), tzinfo=time.zone()),
            at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=time.zone()),
        )
        .select_related("leader", "window", "person")
        .order_by("-at", "-pk")
    )


def windows_of(center_id: int) -> QuerySet[Window]:
    return Window.objects.filter(center_id=center_id, active=True).order_by("code")


def staff_of(center_id: int) -> QuerySet[User]:
    return (
        User.objects.filter(center_id=center_id, is_active=True).select_related("window").order_by("username")
    )


def person_in_center(center_id: int, *, username: str = "", staff_id: int | None = None) -> User | None:
    """An active account of the center by username (any case) or id; None otherwise."""
    people = User.objects.filter(center_id=center_id, is_active=True).select_related("window")
    if staff_id is not None:
        return people.filter(pk=staff_id).first()
    if username:
        return people.filter(username__iexact=username.strip()).first()
    return None
