"""Daily attendance, derived from the clock records, the approved leave and the calendar (never
stored).

For each person and each working day (`calendar.selectors.is_working_day`; weekends, holidays and
the other non-working days of the calendar are skipped) up to today, by the rule valid that day:

- the day's clock in is the earliest "in" record, its clock out the latest "out" record;
- late: clocked in after the clock-in band (09:00) unless approved leave covers the band's end
  up to the clock in; early: clocked out before the clock-out band (17:00) unless approved
  leave covers the clock out up to the band's start;
- absent: no record, unless approved leave covers the core hours (09:00–17:00): on_leave;
- incomplete: one of in / out missing; a missing clock in is excused by approved leave that
  starts by 09:00, a missing clock out by approved leave that lasts to 17:00;
- today is judged only as far as the day went: no absence before 09:00, no missing clock out
  before 18:00 (`pending`).

Only APPROVED leave requests excuse anything. Times are compared to the minute. Each abnormal
record (outside its band) is listed with its reason, or as "reason missing".

Status, one per day, the first that applies: pending (today, nothing to judge yet), on_leave,
absent, incomplete, late_early, late, early, normal. The flags `late`, `early` and `incomplete`
are kept separately too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from onewindow.attendance.clock import minute_of
from onewindow.attendance.models import ClockRecord, LeaveRequest
from onewindow.attendance.rules import RuleBook
from onewindow.calendar import selectors as calendar
from onewindow.core import clock as time
from onewindow.org.models import User

MAX_DAYS = 93

STATUS_LABELS = {
    "pending": pgettext_lazy("attendance", "not yet"),
    "on_leave": pgettext_lazy("attendance", "on leave"),
    "absent": pgettext_lazy("attendance", "absent"),
    "incomplete": pgettext_lazy("attendance", "clock missing"),
    "late_early": pgettext_lazy("attendance", "late and left early"),
    "late": pgettext_lazy("attendance", "late"),
    "early": pgettext_lazy("attendance", "left early"),
    "normal": pgettext_lazy("attendance", "normal"),
}


@dataclass
class Abnormal:
    record_id: int
    kind: str
    at: dt.datetime
    reason: str


@dataclass
class Day:
    date: dt.date
    user_id: int
    window_id: int | None
    status: str = "normal"
    clock_in: dt.datetime | None = None
    clock_out: dt.datetime | None = None
    in_record_id: int | None = None
    out_record_id: int | None = None
    late: bool = False
    early: bool = False
    incomplete: bool = False
    leave_ids: list[int] = field(default_factory=list)
    abnormal: list[Abnormal] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def reason_missing(self) -> bool:
        return any(not a.reason for a in self.abnormal)


def _at(day: dt.date, t: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, t, tzinfo=time.zone())


def _minute(moment: dt.datetime) -> dt.datetime:
    return time.local(moment).replace(second=0, microsecond=0)


def covered(
    intervals: Iterable[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> bool:
    """Whether the union of `intervals` covers [start, end]."""
    if end < start:
        start, end = end, start
    reach = start
    for s, e in sorted(intervals):
        if s > reach:
            break
        reach = max(reach, e)
        if reach >= end:
            return True
    return False


def people(center: Any, start: dt.date, end: dt.date) -> list[User]:
    """Who is on attendance: the center's active accounts seated at a window, and anyone who
    clocked in the period."""
    clocked = ClockRecord.objects.filter(center=center, date__gte=start, date__lte=end).values("user_id")
    return list(
        User.objects.filter(Q(center=center, is_active=True, window__isnull=False) | Q(pk__in=clocked))
        .select_related("window")
        .order_by("username")
    )


def derive(
    *,
    center: Any,
    start: dt.date,
    end: dt.date,
    users: list[User] | None = None,
    now: dt.datetime | None = None,
) -> list[Day]:
    """The days of `users` (default: `people`) from `start` to `end` (both included), by person,
    then date."""
    now = now or time.now()
    today = time.local(now).date()
    end = min(end, today)
    if end < start:
        return []
    users = people(center, start, end) if users is None else users
    ids = [u.pk for u in users]
    book = RuleBook(center)
    records: dict[tuple[int, dt.date], list[ClockRecord]] = defaultdict(list)
    for r in ClockRecord.objects.filter(user_id__in=ids, date__gte=start, date__lte=end).order_by("at", "pk"):
        records[(r.user_id, r.date)].append(r)
    leaves: dict[int, list[LeaveRequest]] = defaultdict(list)
    for leave in LeaveRequest.objects.filter(
        user_id__in=ids,
        status=LeaveRequest.Status.APPROVED,
        starts_at__lt=_at(end + dt.timedelta(days=1), dt.time(0)),
        ends_at__gt=_at(start, dt.time(0)),
    ):
        leaves[leave.user_id].append(leave)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    working = [d for d in days if calendar.is_working_day(d)]
    out: list[Day] = []
    for user in users:
        for day in working:
            out.append(_judge(user, day, book, records.get((user.pk, day), []), leaves.get(user.pk, []), now))
    return out


def _judge(
    user: User,
    day: dt.date,
    book: RuleBook,
    recs: list[ClockRecord],
    leaves: list[LeaveRequest],
    now: dt.datetime,
) -> Day:
    rule = book.on(day)
    in_from, in_until = _at(day, rule.clock_in_from), _at(day, rule.clock_in_until)
    out_from, out_until = _at(day, rule.clock_out_from), _at(day, rule.clock_out_until)
    day_start, day_end = _at(day, dt.time(0)), _at(day + dt.timedelta(days=1), dt.time(0))
    mine = [lv for lv in leaves if lv.starts_at < day_end and lv.ends_at > day_start]
    spans = [(lv.starts_at, lv.ends_at) for lv in mine]
    ins = [r for r in recs if r.kind == ClockRecord.Kind.IN]
    outs = [r for r in recs if r.kind == ClockRecord.Kind.OUT]
    first_in = ins[0] if ins else None
    last_out = max(outs, key=lambda r: (r.at, r.pk)) if outs else None
    window_id = next((r.window_id for r in recs if r.window_id), user.window_id)
    result = Day(date=day, user_id=user.pk, window_id=window_id, leave_ids=[lv.pk for lv in mine])
    reasons: dict[tuple[str, dt.datetime], str] = {}
    for r in recs:
        key = (r.kind, r.at)
        if r.reason and not reasons.get(key):
            reasons[key] = r.reason
    seen: set[tuple[str, dt.datetime]] = set()
    for r in recs:
        if r.abnormal and (r.kind, r.at) not in seen:
            seen.add((r.kind, r.at))
            result.abnormal.append(Abnormal(r.pk, r.kind, r.at, reasons.get((r.kind, r.at), "")))
    if first_in is not None:
        result.clock_in, result.in_record_id = first_in.at, first_in.pk
        if minute_of(first_in.at) > rule.clock_in_until and not covered(
            spans, in_until, _minute(first_in.at)
        ):
            result.late = True
    if last_out is not None:
        result.clock_out, result.out_record_id = last_out.at, last_out.pk
        if minute_of(last_out.at) < rule.clock_out_from and not covered(
            spans, _minute(last_out.at), out_from
        ):
            result.early = True
    day_over = now >= out_until
    if first_in is None and last_out is None:
        if covered(spans, in_until, out_from):
            result.status = "on_leave"
        elif now <= in_until:
            result.status = "pending"
        else:
            result.status = "absent"
        return result
    if first_in is None and not any(s <= in_until and e >= in_from for s, e in spans):
        result.incomplete = True
    if last_out is None and day_over and not any(e >= out_from and s <= out_until for s, e in spans):
        result.incomplete = True
    if result.incomplete:
        result.status = "incomplete"
    elif result.late and result.early:
        result.status = "late_early"
    elif result.late:
        result.status = "late"
    elif result.early:
        result.status = "early"
    elif last_out is None and not day_over:
        result.status = "pending"
    return result
