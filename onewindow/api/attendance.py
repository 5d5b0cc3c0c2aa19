"""Attendance API (考勤, issue 16 §4).

Terminals (a fingerprint or face reader with its own key, never a staff session):

POST /api/v1/attendance/clock   `Authorization: Device owt_…` (or `Bearer owt_…`)
     {"username" or "staff_id", "kind": "in"|"out", "method": "fingerprint"|"face"|"password",
      "at"?: ISO time within 5 minutes of now, "reason"?, "password"? (method password: the
      person's own password, typed on the terminal, checked under the sign-in lockout)}
     → 201 {"id", "kind", "abnormal", "at"}; an abnormal record may come without a reason (the
     person adds it on the staff page). 401 for an unknown or revoked key or a wrong password,
     404 person_not_found (not an active account of the terminal's center), 422 (clock_skew,
     validation_failed), 423 account_locked, 429 rate_limited.

Staff (Authorization: Bearer <staff token>):

GET /api/v1/attendance/days?from=&to=[&user=]   the derived days (at most 93); everyone of the
     center with attendance.view_attendance, else one's own (asking for another → 403)
GET /api/v1/attendance/violations?from=&to=[&window=CODE]   the violations and their points
     (attendance.view_attendance)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Answer
from ninja.security import APIKeyHeader
from pydantic import Field

from onewindow.api.case_schemas import ErrorOut
from onewindow.api.common import local_time
from onewindow.api.limits import MAX_ID
from onewindow.api.security import bearer
from onewindow.attendance import daily, devices, selectors
from onewindow.attendance.clock import REASON_MAX, clock_record
from onewindow.attendance.models import AttendanceDevice
from onewindow.attendance.violations import violations
from onewindow.core import context
from onewindow.core.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from onewindow.core.middleware import client_ip
from onewindow.org.models import User, Window
from onewindow.org.signin import signin_authenticate

_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class DeviceKey(APIKeyHeader):
    """`Authorization: Device owt_…` (or `Bearer owt_…`): an attendance terminal."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> AttendanceDevice:
        scheme, _sep, raw = (key or "").strip().partition(" ")
        device = devices.device_from_key(raw.strip()) if scheme.lower() in ("device", "bearer") else None
        if device is None:
            raise NotAuthenticated(
                _("Send the terminal's key: “Authorization: Device owt_…”; unknown or revoked keys fail."),
                code="not_authenticated",
            )
        devices.device_seen(device)
        ctx = context.current()
        context.set_current(
            context.RequestContext(user_id=None, username=f"terminal:{device.pk}", ip=ctx.ip, channel="api")
        )
        return device


device_key = DeviceKey()
router = Router()


class AttendanceClockIn(Schema):
    username: str = Field("", max_length=150)
    staff_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str = Field(max_length=3, description="in | out")
    method: str = Field(max_length=12, description="fingerprint | face | password")
    at: dt.datetime | None = Field(None, description="When; within 5 minutes of now (default now).")
    reason: str = Field("", max_length=REASON_MAX)
    password: str = Field("", max_length=128, description="Method password: the person's own password.")


class AttendanceClockOut(Schema):
    id: int
    kind: str
    abnormal: bool
    at: dt.datetime


class AttendanceAbnormalOut(Schema):
    id: int
    kind: str
    at: dt.datetime
    reason: str


class AttendanceDayOut(Schema):
    date: dt.date
    username: str
    full_name: str
    window: str
    status: str
    status_label: str
    clock_in: dt.datetime | None
    clock_out: dt.datetime | None
    late: bool
    early: bool
    incomplete: bool
    reason_missing: bool
    abnormal: list[AttendanceAbnormalOut]
    leave_ids: list[int]


class AttendanceViolationOut(Schema):
    date: dt.date
    username: str
    window: str
    kind: str
    kind_label: str
    points: Decimal
    source: str
    source_id: int | None


@router.post(
    "/attendance/clock",
    auth=device_key,
    response={201: AttendanceClockOut, 409: ErrorOut, 423: ErrorOut, 429: ErrorOut, **_ERRORS},
    summary="Clock in or out at a terminal",
)
def clock(request: HttpRequest, payload: AttendanceClockIn) -> Answer[dict[str, Any]]:
    device: AttendanceDevice = request.auth  # type: ignore[attr-defined]
    if payload.method not in ("fingerprint", "face", "password"):
        raise ValidationFailed(
            _("Check the clock record."), details={"method": [_("Choose fingerprint, face or password.")]}
        )
    if not payload.username and payload.staff_id is None:
        raise ValidationFailed(_("Check the clock record."), details={"username": [_("Name the person.")]})
    person = selectors.person_in_center(
        device.center_id, username=payload.username, staff_id=payload.staff_id
    )
    if payload.method == "password":
        # the person's password under the one lockout of every way in (org.signin)
        name = person.username if person is not None else payload.username
        signed = signin_authenticate(request=request, username=name, password=payload.password, channel="api")
        if person is None or signed.pk != person.pk:
            raise NotFound(_("No such person at this center."), code="person_not_found")
    if person is None:
        raise NotFound(_("No such person at this center."), code="person_not_found")
    record = clock_record(
        user=person,
        kind=payload.kind,
        method=payload.method,
        at=payload.at,
        reason=payload.reason,
        device=device,
        client_ip=client_ip(request),
    )
    return Answer(
        201, {"id": record.pk, "kind": record.kind, "abnormal": record.abnormal, "at": local_time(record.at)}
    )


def _range(start: dt.date, end: dt.date) -> None:
    if end < start or (end - start).days >= daily.MAX_DAYS:
        raise ValidationFailed(
            _("Choose at most %(days)s days, from before to.") % {"days": daily.MAX_DAYS},
            details={"to": [_("At most %(days)s days after from.") % {"days": daily.MAX_DAYS}]},
        )


@router.get(
    "/attendance/days",
    auth=bearer,
    response={200: list[AttendanceDayOut], **_ERRORS},
    summary="Daily attendance",
)
def days(
    request: HttpRequest,
    start: Annotated[dt.date, Query(alias="from")],
    end: Annotated[dt.date, Query(alias="to")],
    user: Annotated[str, Query(max_length=150)] = "",
) -> list[dict[str, Any]]:
    me: User = request.auth  # type: ignore[attr-defined]
    _range(start, end)
    if not me.center_id:
        raise PermissionDenied(_("Your account belongs to no center."))
    may_view = me.has_perm(selectors.VIEW)
    if user and user.lower() != me.username.lower():
        if not may_view:
            raise PermissionDenied(_("You may see only your own attendance."))
        person = selectors.person_in_center(me.center_id, username=user)
        if person is None:
            raise NotFound(_("No such person at your center."), code="person_not_found")
        people: list[User] | None = [person]
    else:
        people = None if may_view and not user else [me]
    rows = daily.derive(center=me.center, start=start, end=end, users=people)
    names = {u.pk: u for u in User.objects.filter(center_id=me.center_id)} | {me.pk: me}
    windows = dict(Window.objects.filter(center_id=me.center_id).values_list("pk", "code"))
    return [
        {
            "date": d.date,
            "username": names[d.user_id].username if d.user_id in names else "",
            "full_name": names[d.user_id].display_name if d.user_id in names else "",
            "window": windows.get(d.window_id, "") if d.window_id else "",
            "status": d.status,
            "status_label": d.status_label,
            "clock_in": local_time(d.clock_in),
            "clock_out": local_time(d.clock_out),
            "late": d.late,
            "early": d.early,
            "incomplete": d.incomplete,
            "reason_missing": d.reason_missing,
            "abnormal": [
                {"id": a.record_id, "kind": a.kind, "at": local_time(a.at), "reason": a.reason}
                for a in d.abnormal
            ],
            "leave_ids": d.leave_ids,
        }
        for d in rows
    ]


@router.get(
    "/attendance/violations",
    auth=bearer,
    response={200: list[AttendanceViolationOut], **_ERRORS},
    summary="Attendance violations",
)
def violation_list(
    request: HttpRequest,
    start: Annotated[dt.date, Query(alias="from")],
    end: Annotated[dt.date, Query(alias="to")],
    window: Annotated[str, Query(max_length=20)] = "",
) -> list[dict[str, Any]]:
    me: User = request.auth  # type: ignore[attr-defined]
    if not me.has_perm(selectors.VIEW) or not me.center_id:
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": selectors.VIEW})
    _range(start, end)
    windows = dict(Window.objects.filter(center_id=me.center_id).values_list("pk", "code"))
    chosen = None
    if window:
        chosen = next((pk for pk, code in windows.items() if code == window.upper()), None)
        if chosen is None:
            raise NotFound(_("No such window at your center."), code="window_not_found")
    names = dict(User.objects.filter(center_id=me.center_id).values_list("pk", "username"))
    return [
        {
            "date": v.date,
            "username": names.get(v.user_id, "") if v.user_id else "",
            "window": windows.get(v.window_id, "") if v.window_id else "",
            "kind": v.kind,
            "kind_label": v.kind_label,
            "points": v.points,
            "source": v.source,
            "source_id": v.source_id,
        }
        for v in violations(center=me.center, start=start, end=end, window=chosen)
    ]
