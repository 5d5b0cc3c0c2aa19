"""Reading the calendar. `table()` is the one entry point for working-day arithmetic.

The table is built from the database once per process and rebuilt when the schedule
changes: services call `invalidate()` after a change in this process, and every process
re-checks the schedule's revision (the latest `CalendarYear.updated_at`) at most every
`RECHECK_SECONDS`, so an edit in the admin reaches every worker within that time.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.db.models import Max

from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.calendar.workdays import WorkingDayTable
from onewindow.core import clock

RECHECK_SECONDS = 10.0

_lock = threading.Lock()
_table: WorkingDayTable | None = None
_revision: object = None
_checked_at = 0.0


def _current_revision() -> object:
    agg = CalendarYear.objects.aggregate(latest=Max("updated_at"), n=Max("year"))
    return (agg["latest"], agg["n"], CalendarDay.objects.count())


def _build() -> WorkingDayTable:
    holidays: list[dt.date] = []
    adjusted: list[dt.date] = []
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == CalendarDay.Kind.HOLIDAY else adjusted).append(day)
    confirmed = CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)
    return WorkingDayTable(holidays=holidays, adjusted_workdays=adjusted, confirmed_years=list(confirmed))


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


def due_datetime(start: dt.date, days: int) -> dt.datetime:
    """End (23:59:59 local) of the `days`-th working day after `start`."""
    return clock.end_of_day(table().add_working_days(start, days))


def unconfirmed_years(first: int, last: int) -> list[int]:
    t = table()
    return [year for year in range(first, last + 1) if not t.is_confirmed(year)]
