"""Reading the calendar. `table()` is the one entry point for working-day arithmetic.

The table is built from the database once per process and rebuilt when the schedule
changes: services call `invalidate()` after a change in this process, and every process
re-checks the schedule's revision (the latest `CalendarYear.updated_at` and the row counts)
at most every `RECHECK_SECONDS`, so an edit in the admin reaches every worker within that time.

Only confirmed years' days are used: a year without a confirmed schedule counts
Monday–Friday minus the statutory holidays on their own dates, computed by the rule
(`statutory.py`; no 调休), its entered days are a draft (shown in the admin but not counted),
and every result touching it says `confirmed=False`.

The convenience functions below (`due_date`, `working_days`, `is_working_day`,
`add_working_days`, `count_working_days`) read the cached table and raise ValidationFailed
for a date outside the calendar range (2000-01-01..2100-12-31) or an impossible count.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _

from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.calendar.schedule_text import format_schedule_text
from onewindow.calendar.statutory import statutory_holidays
from onewindow.calendar.workdays import RANGE_END, RANGE_START, Result, WorkingDayTable
from onewindow.core import clock
from onewindow.core.errors import ValidationFailed

RECHECK_SECONDS = 10.0
MAX_DAYS = 2000
"""The largest number of working days one computation may add (about eight years)."""

_lock = threading.Lock()
_table: WorkingDayTable | None = None
_revision: object = None
_checked_at = 0.0


def _current_revision() -> object:
    agg = CalendarYear.objects.aggregate(latest=Max("updated_at"), years=Count("year"))
    return (agg["latest"], agg["years"], CalendarDay.objects.count())


def _build() -> WorkingDayTable:
    holidays: list[dt.date] = []
    adjusted: list[dt.date] = []
    rows = CalendarDay.objects.filter(year__confirmed=True).values_list("date", "kind")
    for day, kind in rows:
        (holidays if kind == CalendarDay.Kind.HOLIDAY else adjusted).append(day)
    confirmed = set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))
    for year in range(RANGE_START.year, RANGE_END.year + 1):
        if year not in confirmed:  # the rule's statutory days, until the official schedule is in
            holidays.extend(day for day, _name in statutory_holidays(year))
    return WorkingDayTable(holidays=holidays, adjusted_workdays=adjusted, confirmed_years=confirmed)


def table() -> WorkingDayTable:
    global _table, _revision, _checked_at
    now = time.monotonic()
    if _table is not None and now - _checked_at < RECHECK_SECONDS:
        return _table
    with _lock:
        revision = _current_revision()
        if _table is None or revision != _revision:
            _table = _build()
            _revision = revision
        _checked_at = time.monotonic()
        return _table


def invalidate() -> None:
    """Forget the cached table (call after changing the schedule)."""
    global _table, _revision
    with _lock:
        _table = None
        _revision = None


# -- working-day arithmetic on the cached table -------------------------------------------


def _check_day(field: str, day: dt.date) -> None:
    if not (RANGE_START <= day <= RANGE_END):
        raise ValidationFailed(
            _("%(field)s must be between %(first)s and %(last)s; got %(date)s.")
            % {"field": field, "first": RANGE_START.isoformat(), "last": RANGE_END.isoformat(), "date": day},
            details={field: [_("Outside the calendar range.")]},
        )


def _check_days(field: str, days: int) -> None:
    if not (0 <= days <= MAX_DAYS):
        raise ValidationFailed(
            _("%(field)s must be a whole number of working days from 0 to %(max)d; got %(days)d.")
            % {"field": field, "max": MAX_DAYS, "days": days},
            details={field: [_("Must be between 0 and %(max)d.") % {"max": MAX_DAYS}]},
        )


def due_date(start: dt.date, days: int) -> Result[dt.date]:
    """The `days`-th working day after `start` (start not counted; 0 → start), and whether
    every year from start to it has a confirmed schedule."""
    _check_day("start", start)
    _check_days("days", days)
    t = table()
    try:
        return t.due_date(start, days)
    except ValueError as exc:  # runs past the end of the range
        raise ValidationFailed(
            _("%(days)d working days after %(start)s is past %(last)s.")
            % {"days": days, "start": start.isoformat(), "last": RANGE_END.isoformat()},
            details={"days": [_("Past the end of the calendar range.")]},
        ) from exc


def working_days(start: dt.date, end: dt.date) -> Result[int]:
    """Working days after `start` up to and including `end` (end must not be before start),
    and whether every year from start to end has a confirmed schedule."""
    _check_day("start", start)
    _check_day("end", end)
    if end < start:
        raise ValidationFailed(
            _("end (%(end)s) must not be before start (%(start)s).")
            % {"end": end.isoformat(), "start": start.isoformat()},
            details={"end": [_("Before start.")]},
        )
    return table().working_days(start, end)


def due_datetime(start: dt.date, days: int) -> dt.datetime:
    """End (23:59:59 local) of the `days`-th working day after `start`."""
    return clock.end_of_day(add_working_days(start, days))


def is_working_day(day: dt.date) -> bool:
    _check_day("day", day)
    return table().is_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The `n`-th working day after `start` (start not counted; n=0 → start)."""
    return due_date(start, n).value


def count_working_days(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when end < start)."""
    _check_day("start", start)
    _check_day("end", end)
    return table().count_working_days(start, end)


# -- what is known about each year ---------------------------------------------------------


def year_status(first: int, last: int) -> list[dict[str, Any]]:
    """[{"year": 2026, "confirmed": True}, ...] for every year from `first` to `last`."""
    t = table()
    return [{"year": year, "confirmed": t.is_confirmed(year)} for year in range(first, last + 1)]


def unconfirmed_years(first: int, last: int) -> list[int]:
    t = table()
    return [year for year in range(first, last + 1) if not t.is_confirmed(year)]


def stored_year_range() -> tuple[int, int] | None:
    """The first and last year that have a stored schedule, or None."""
    agg = CalendarYear.objects.aggregate(first=Min("year"), last=Max("year"))
    return (agg["first"], agg["last"]) if agg["first"] is not None else None


def year_schedules(first: int, last: int) -> list[dict[str, Any]]:
    """Each year from `first` to `last` with its stored schedule (two queries):
    {"year", "confirmed", "source", "holidays": [(date, name)], "adjusted_workdays": [...],
    "provisional_holidays": [(date, name)]}. A year with nothing stored is listed unconfirmed
    with no days. `provisional_holidays` are the statutory days counted while the year is not
    confirmed (computed by the rule, see statutory.py); empty for a confirmed year."""
    rows = {y.year: y for y in CalendarYear.objects.filter(year__gte=first, year__lte=last)}
    result: dict[int, dict[str, Any]] = {
        year: {
            "year": year,
            "confirmed": rows[year].confirmed if year in rows else False,
            "source": rows[year].source if year in rows else "",
            "holidays": [],
            "adjusted_workdays": [],
            "provisional_holidays": [] if year in rows and rows[year].confirmed else statutory_holidays(year),
        }
        for year in range(first, last + 1)
    }
    days = CalendarDay.objects.filter(year_id__gte=first, year_id__lte=last).order_by("date")
    for day, year, kind, name in days.values_list("date", "year_id", "kind", "name"):
        key = "holidays" if kind == CalendarDay.Kind.HOLIDAY else "adjusted_workdays"
        result[year][key].append((day, name))
    return list(result.values())


def schedule_text(year: int) -> str:
    """The stored schedule of `year` in the paste format (see schedule_text.py)."""
    schedule = year_schedules(year, year)[0]
    return format_schedule_text(schedule["holidays"], schedule["adjusted_workdays"])
