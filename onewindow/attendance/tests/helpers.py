"""Builders for the attendance tests: local times, clock records and approved leave written
directly (the services are tested on their own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from onewindow.attendance.models import ClockRecord, LeaveRequest
from onewindow.core import clock

MON = dt.date(2026, 11, 16)  # a Monday; the week 16–20 November 2026 has five working days


def local(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=clock.zone())


def record(
    user: Any, day: dt.date, hh: int, mm: int, kind: str, *, abnormal: bool = False, reason: str = ""
) -> ClockRecord:
    at = local(day, hh, mm)
    return ClockRecord.objects.create(
        user=user,
        center_id=user.center_id,
        window=user.window,
        date=day,
        at=at,
        kind=kind,
        method=ClockRecord.Method.FINGERPRINT,
        abnormal=abnormal,
        reason=reason,
        recorded_at=at,
    )


def leave(
    user: Any,
    starts: dt.datetime,
    ends: dt.datetime,
    *,
    status: str = LeaveRequest.Status.APPROVED,
    kind: str = LeaveRequest.Kind.PERSONAL,
    days: str = "0",
) -> LeaveRequest:
    return LeaveRequest.objects.create(
        user=user,
        center_id=user.center_id,
        window=user.window,
        kind=kind,
        starts_at=starts,
        ends_at=ends,
        length=LeaveRequest.Length.DAYS if Decimal(days) >= 1 else LeaveRequest.Length.SHORT,
        days=Decimal(days),
        reason="家中有事",
        status=status,
        stage=LeaveRequest.Stage.DONE
        if status == LeaveRequest.Status.APPROVED
        else LeaveRequest.Stage.GROUP_LEADER,
        requested_at=starts - dt.timedelta(days=1),
        requested_by=user,
    )
