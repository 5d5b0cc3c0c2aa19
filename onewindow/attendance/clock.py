"""Clocking in and out (签到 / 签退): the only writer of `ClockRecord` (append-only).

Where a record comes from, and what it needs:

- a terminal (`device`): fingerprint, face, or the person's password typed on the terminal (the
  API checks it under the sign-in lockout); `at` within CLOCK_SKEW of now. An abnormal record
  may come without a reason: the daily view shows it as "reason missing" until one is added.
- the staff page (no device, method password): the signed-in person clicks 签到 / 签退; the time
  is now. Outside the rule's bands a reason is required on the spot.
- the duty leader (method manual, `entered_by` holding attendance.clock_manually): a record
  entered by hand for any moment of the last MANUAL_DAYS days, always with a reason.

Abnormal: the minute of the local time falls outside the band of its kind (both ends included):
clock in before 08:00 (early arrival) or after 09:00 (late); clock out before 17:00 (early leave)
or after 18:00, by the seed-003 defaults. Lateness and early leave are judged in `daily`; the
record itself only says "outside the band".

Adding a reason later: records are append-only, so `clock_reason_add` appends an *explanation*:
a copy of the record (same person, kind and moment, method manual, `entered_by` the person or
the duty leader) carrying the reason. The daily view groups records of the same kind and moment
and takes the reason from any of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.attendance.models import AttendanceDevice, AttendanceRule, ClockRecord
from onewindow.attendance.rules import rule_for
from onewindow.core import audit
from onewindow.core import clock as time
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed

CLOCK_MANUALLY = "attendance.clock_manually"
CLOCK_SKEW = dt.timedelta(minutes=5)
MANUAL_DAYS = 31
REASON_MAX = 200
KINDS = tuple(ClockRecord.Kind.values)
TERMINAL_METHODS = (ClockRecord.Method.FINGERPRINT, ClockRecord.Method.FACE, ClockRecord.Method.PASSWORD)


def band(rule: AttendanceRule, kind: str) -> tuple[dt.time, dt.time]:
    if kind == ClockRecord.Kind.IN:
        return rule.clock_in_from, rule.clock_in_until
    return rule.clock_out_from, rule.clock_out_until


def minute_of(moment: dt.datetime) -> dt.time:
    """The local time of `moment` to the minute (09:00:59 is still 09:00)."""
    return time.local(moment).time().replace(second=0, microsecond=0)


def is_abnormal(rule: AttendanceRule, kind: str, moment: dt.datetime) -> bool:
    start, end = band(rule, kind)
    return not start <= minute_of(moment) <= end


def _invalid(field: str, message: str, code: str = "invalid_clock") -> ValidationFailed:
    return ValidationFailed(message, code=code, details={field: [message]})


@transaction.atomic
def clock_record(
    *,
    user: Any,
    kind: str,
    method: str,
    at: dt.datetime | None = None,
    reason: str = "",
    device: AttendanceDevice | None = None,
    entered_by: Any = None,
    client_ip: str | None = None,
) -> ClockRecord:
    """Record one clock in or out of `user` (see the module's docstring for the three sources)."""
    now = time.now()
    reason = (reason or "").strip()
    if kind not in KINDS:
        raise _invalid("kind", _("Choose clock in or clock out."))
    if method not in ClockRecord.Method.values:
        raise _invalid("method", _("Unknown clocking method."))
    if len(reason) > REASON_MAX:
        raise _invalid("reason", _("Enter at most %(max)s characters.") % {"max": REASON_MAX})
    if user is None or not user.is_active or not user.center_id:
        raise NotFound(_("No such person."), code="person_not_found")
    if method == ClockRecord.Method.MANUAL:
        if device is not None or entered_by is None or not entered_by.has_perm(CLOCK_MANUALLY):
            raise PermissionDenied(_("Only the duty leader may enter a clock record by hand."))
        if entered_by.center_id != user.center_id:
            raise NotFound(_("No such person."), code="person_not_found")
        at = at or now
        if at > now + CLOCK_SKEW or at < now - dt.timedelta(days=MANUAL_DAYS):
            raise _invalid(
                "at",
                _("A record entered by hand must be for the last %(days)s days, not the future.")
                % {"days": MANUAL_DAYS},
            )
        if not reason:
            raise _invalid("reason", _("Say why the record is entered by hand."), code="reason_required")
    elif device is not None:
        if device.revoked_at is not None or device.center_id != user.center_id:
            raise NotFound(_("No such person."), code="person_not_found")
        if method not in TERMINAL_METHODS:
            raise _invalid("method", _("A terminal clocks by fingerprint, face or password."))
        at = at or now
        if abs(at - now) > CLOCK_SKEW:
            raise _invalid(
                "at", _("The terminal's time is more than 5 minutes off: set its clock."), "clock_skew"
            )
    else:  # the staff page: the person signed in, now
        if method != ClockRecord.Method.PASSWORD or entered_by is not None:
            raise _invalid("method", _("On the staff page you clock with your signed-in account."))
        at = now
    local_day = time.local(at).date()
    rule = rule_for(user.center_id, local_day)
    abnormal = is_abnormal(rule, kind, at)
    if abnormal and not reason and device is None:
        start, end = band(rule, kind)
        raise _invalid(
            "reason",
            _("It is outside %(start)s–%(end)s: say why.")
            % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
            code="reason_required",
        )
    record = ClockRecord.objects.create(
        user=user,
        center_id=user.center_id,
        window=device.window if device is not None and device.window_id else user.window,
        date=local_day,
        at=at,
        kind=kind,
        method=method,
        abnormal=abnormal,
        reason=reason,
        device=device,
        entered_by=entered_by,
        recorded_at=now,
        client_ip=client_ip,
    )
    if method == ClockRecord.Method.MANUAL:
        audit.record(
            action="attendance.clock_manual",
            obj=record,
            actor=entered_by,
            after={"user": user.username, "kind": kind, "at": at, "reason": reason},
        )
    return record


@transaction.atomic
def clock_reason_add(*, record_id: int, reason: str, actor: Any, client_ip: str | None = None) -> ClockRecord:
    """Give the reason of an abnormal record that came without one (a terminal's): appends an
    explanation record (see the module's docstring). By the person or the duty leader."""
    reason = (reason or "").strip()
    if actor is None:
        raise PermissionDenied(_("Sign in first."))
    original = (
        ClockRecord.objects.select_related("user").filter(pk=record_id, center_id=actor.center_id).first()
    )
    if original is None or (original.user_id != actor.pk and not actor.has_perm(CLOCK_MANUALLY)):
        raise NotFound(_("No such clock record."), code="record_not_found")
    if not reason:
        raise _invalid("reason", _("Say why."), code="reason_required")
    if len(reason) > REASON_MAX:
        raise _invalid("reason", _("Enter at most %(max)s characters.") % {"max": REASON_MAX})
    if not original.abnormal:
        raise _invalid("reason", _("This record is within the hours: it needs no reason."))
    record = ClockRecord.objects.create(
        user=original.user,
        center_id=original.center_id,
        window=original.window,
        date=original.date,
        at=original.at,
        kind=original.kind,
        method=ClockRecord.Method.MANUAL,
        abnormal=True,
        reason=reason,
        entered_by=actor,
        recorded_at=time.now(),
        client_ip=client_ip,
    )
    audit.record(
        action="attendance.clock_reason",
        obj=record,
        actor=actor,
        after={"record": original.pk, "reason": reason},
    )
    return record
