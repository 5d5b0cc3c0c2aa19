"""The rules of leave (请假, seed 003 as wave2.md §5 writes it; issue 16 §4), as data and pure
functions; `attendance.leave` applies them in its services.

Length (`length_of`), from the local times of the request:

* short — within one local day and at most `SHORT_MAX` (2 hours): a late arrival, an early
  leave, an absence in the middle of the day;
* half_day — within one local day, more than 2 hours and at most `HALF_DAY_MAX` (4½ hours: a
  morning or an afternoon, the lunch break included);
* days — anything longer, or spanning more than one local day.

Late arrival and early leave are short by definition; a longer absence is asked for as another
kind of leave.

Working days (`working_days_of`): every working day of the calendar (onewindow.calendar) that
the period touches counts 1 when it covers more than 4 hours of that day's core hours (from the
latest clock-in to the earliest clock-out of the attendance rule, 09:00–17:00 by default), ½
when it covers some of them, 0 otherwise. A half day counts ½ (0 on a non-working day), a short
request 0.

The chain (`CHAINS`): who decides, stage after stage; the last stage's approval approves the
request. A person without a home department (the general windows' clerks, employed by the
center) skips the home-department stage: the supervision office approves alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onewindow.attendance.models import AttendanceRule, LeaveDecision, LeaveRequest
from onewindow.calendar.selectors import is_working_day
from onewindow.core import clock

Kind = LeaveRequest.Kind
Length = LeaveRequest.Length
Stage = LeaveRequest.Stage
Status = LeaveRequest.Status
Decision = LeaveDecision.Decision

SHORT_MAX = dt.timedelta(hours=2)
HALF_DAY_MAX = dt.timedelta(hours=4, minutes=30)
LONGEST = dt.timedelta(days=92)
"""The longest request (a quarter); longer absences are not leave."""
FULL_DAY_FROM = dt.timedelta(hours=4)
"""A working day counts 1 when more than this of its core hours is on leave, else ½."""
EARLIEST_BACKDATE = dt.timedelta(days=31)
"""A request may be entered afterwards (sick leave) up to a month after its start."""
LATEST_AHEAD = dt.timedelta(days=366)
OFFICIAL_DAYS_PER_MONTH = Decimal("1")
"""Official business (因公): at most one working day a month (short requests count ½)."""
STAND_IN_LENGTHS = frozenset({Length.HALF_DAY, Length.DAYS})
"""A one-clerk window needs a named stand-in (代岗) before its clerk leaves this long."""
SHORT_KINDS = frozenset({Kind.LATE, Kind.EARLY})
"""Kinds that are short by definition."""

APPROVE_SHORT = "attendance.approve_short_leave"
SIGN_DEPARTMENT = "attendance.sign_department_leave"
APPROVE = "attendance.approve_leave"
VIEW_ATTENDANCE = "attendance.view_attendance"
LEAVE_PERMISSIONS = (APPROVE_SHORT, SIGN_DEPARTMENT, APPROVE)
CLERK_PERMISSIONS = ("hall.call_ticket", "cases.accept_case")
"""An account holding one of these, seated at a window, is one of its clerks."""


@dataclass(frozen=True)
class Step:
    stage: str
    permission: str
    # what an approval at this stage is called: approved, or recorded (the supervision office
    # records a half day the group leader approved)
    approval: str
    label: Promise


GROUP_LEADER = Step(Stage.GROUP_LEADER, APPROVE_SHORT, Decision.APPROVED, _("the group leader approves"))
SUPERVISION_RECORDS = Step(Stage.SUPERVISION, APPROVE, Decision.RECORDED, _("the supervision office records"))
HOME_DEPARTMENT = Step(
    Stage.HOME_DEPARTMENT, SIGN_DEPARTMENT, Decision.APPROVED, _("the home department signs")
)
SUPERVISION_APPROVES = Step(
    Stage.SUPERVISION, APPROVE, Decision.APPROVED, _("the supervision office approves")
)

CHAINS: dict[str, tuple[Step, ...]] = {
    Length.SHORT: (GROUP_LEADER,),
    Length.HALF_DAY: (GROUP_LEADER, SUPERVISION_RECORDS),
    Length.DAYS: (HOME_DEPARTMENT, SUPERVISION_APPROVES),
}
CHAIN_WITHOUT_HOME_DEPARTMENT: tuple[Step, ...] = (SUPERVISION_APPROVES,)


def chain_for(length: str, *, has_home_department: bool) -> tuple[Step, ...]:
    if length == Length.DAYS and not has_home_department:
        return CHAIN_WITHOUT_HOME_DEPARTMENT
    return CHAINS[length]


def chain_of(request: LeaveRequest) -> tuple[Step, ...]:
    return chain_for(request.length, has_home_department=home_department_id(request) is not None)


def step_of(request: LeaveRequest) -> Step | None:
    """The step the request waits for (None when it is decided)."""
    return next((s for s in chain_of(request) if s.stage == request.stage), None)


def next_step(request: LeaveRequest) -> Step | None:
    """The step after the current one (None: the current one is the last)."""
    chain = chain_of(request)
    for i, s in enumerate(chain):
        if s.stage == request.stage:
            return chain[i + 1] if i + 1 < len(chain) else None
    return None


def home_department_id(request: LeaveRequest) -> int | None:
    """The person's department, else their window's (None for the center's own staff)."""
    person = request.user
    if person.department_id is not None:
        return int(person.department_id)
    if request.window_id is not None and request.window is not None:
        return request.window.department_id
    return None


def length_of(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    start, end = clock.local(starts_at), clock.local(ends_at)
    same_day = start.date() == end.date() or (end == _midnight_after(start.date()))
    span = ends_at - starts_at
    if same_day and span <= SHORT_MAX:
        return Length.SHORT
    if same_day and span <= HALF_DAY_MAX:
        return Length.HALF_DAY
    return Length.DAYS


def _midnight_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=clock.zone())


def core_hours(center_id: int, day: dt.date) -> tuple[dt.time, dt.time]:
    """The hours everyone is at work on `day`: the latest clock-in to the earliest clock-out of
    the center's attendance rule valid on that day (09:00–17:00 without one)."""
    rule = (
        AttendanceRule.objects.filter(center_id=center_id, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        return dt.time(9), dt.time(17)
    return rule.clock_in_until, rule.clock_out_from


def working_days_of(center_id: int, starts_at: dt.datetime, ends_at: dt.datetime, length: str) -> Decimal:
    start, end = clock.local(starts_at), clock.local(ends_at)
    if length == Length.SHORT:
        return Decimal("0")
    if length == Length.HALF_DAY:
        return Decimal("0.5") if is_working_day(start.date()) else Decimal("0")
    total = Decimal("0")
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            begin, finish = core_hours(center_id, day)
            core_from = dt.datetime.combine(day, begin, tzinfo=clock.zone())
            core_until = dt.datetime.combine(day, finish, tzinfo=clock.zone())
            covered = min(end, core_until) - max(start, core_from)
            if covered > FULL_DAY_FROM:
                total += 1
            elif covered > dt.timedelta(0):
                total += Decimal("0.5")
        day += dt.timedelta(days=1)
    return total


def official_weight(request_length: str, days: Decimal) -> Decimal:
    """What a request of official business uses of the monthly allowance."""
    return Decimal("0.5") if request_length == Length.SHORT else days


def month_bounds(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The local calendar month containing `moment`, as [first, next first)."""
    local = clock.local(moment)
    first = dt.datetime.combine(local.date().replace(day=1), dt.time(0), tzinfo=clock.zone())
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, dt.datetime.combine(following.date(), dt.time(0), tzinfo=clock.zone())
