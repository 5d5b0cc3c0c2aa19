"""Attendance violations for the window assessment (seed 003: −0.2 points per violation by
default; issue 17 deducts them).

One row per violation, on completed working days only (today is not judged yet):

- late, early: a day of `daily` late / early (approved leave excuses it, a reason does not);
- absent: a working day without any record and without approved leave;
- unapproved: outside the hours without a reason or leave: a clock record outside its band
  that is neither late nor early (in before 08:00, out after 18:00) and has no reason, and a
  day with a clock in or out missing (incomplete) — one row per day for each;
- patrol: a patrol-log entry marked as a violation (at the entry's window, else the person's).

Points are the `violation_points` of the rule valid that day. The window is the one the clock
record was taken at, else the person's window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import pgettext_lazy

from onewindow.attendance import daily
from onewindow.attendance.clock import minute_of
from onewindow.attendance.models import ClockRecord, PatrolEntry
from onewindow.attendance.rules import RuleBook
from onewindow.core import clock as time
from onewindow.org.models import User

KIND_LABELS = {
    "late": pgettext_lazy("attendance", "late"),
    "early": pgettext_lazy("attendance", "left early"),
    "absent": pgettext_lazy("attendance", "absent"),
    "unapproved": pgettext_lazy("attendance", "clock missing, or outside the hours without a reason"),
    "patrol": pgettext_lazy("attendance", "patrol finding"),
}


@dataclass(frozen=True)
class Violation:
    date: dt.date
    user_id: int | None
    window_id: int | None
    kind: str
    points: Decimal
    source: str  # "clock" (a ClockRecord), "day" (no record: absence, a missing clock), "patrol"
    source_id: int | None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _unapproved_record(rule: Any, kind: str, moment: dt.datetime) -> bool:
    t = minute_of(moment)
    return (kind == ClockRecord.Kind.IN and t < rule.clock_in_from) or (
        kind == ClockRecord.Kind.OUT and t > rule.clock_out_until
    )


def violations(
    *, center: Any, start: dt.date, end: dt.date, window: Any = None, user: Any = None
) -> list[Violation]:
    """The violations of the center's people (or of one `user`, or at one `window`) from `start`
    to `end` (both included; at most up to yesterday), by date."""
    end = min(end, time.today() - dt.timedelta(days=1))
    if end < start:
        return []
    book = RuleBook(center)
    users = [user] if user is not None else daily.people(center, start, end)
    rows: list[Violation] = []
    for d in daily.derive(center=center, start=start, end=end, users=users):
        rule = book.on(d.date)
        found: list[tuple[str, str, int | None]] = []
        if d.status == "absent":
            found.append(("absent", "day", None))
        if d.late:
            found.append(("late", "clock", d.in_record_id))
        if d.early:
            found.append(("early", "clock", d.out_record_id))
        if d.incomplete:
            found.append(("unapproved", "day", None))
        for a in d.abnormal:
            if not a.reason and _unapproved_record(rule, a.kind, a.at):
                found.append(("unapproved", "clock", a.record_id))
        rows.extend(
            Violation(d.date, d.user_id, d.window_id, kind, rule.violation_points, source, source_id)
            for kind, source, source_id in found
        )
    patrols = PatrolEntry.objects.filter(
        center=center,
        violation=True,
        at__gte=dt.datetime.combine(start, dt.time(0), tzinfo=time.zone()),
        at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=time.zone()),
    ).select_related("person")
    if user is not None:
        patrols = patrols.filter(person=user)
    for p in patrols:
        person: User | None = p.person
        window_id = p.window_id or (person.window_id if person is not None else None)
        day = time.local(p.at).date()
        rows.append(
            Violation(day, p.person_id, window_id, "patrol", book.on(day).violation_points, "patrol", p.pk)
        )
    if window is not None:
        window_id = window if isinstance(window, int) else window.pk
        rows = [r for r in rows if r.window_id == window_id]
    rows.sort(key=lambda r: (r.date, r.user_id or 0, r.kind))
    return rows


def points(rows: list[Violation]) -> Decimal:
    """The points the rows deduct (a positive number)."""
    return sum((r.points for r in rows), Decimal("0"))
