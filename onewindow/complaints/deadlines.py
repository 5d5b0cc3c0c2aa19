"""A complaint's limit (承诺时限), its yellow moment and the days overdue, on the working-day
calendar.

* Ordinary: answered by the end of the COMPLAINT_ANSWER_DAYS-th working day after the day it was
  received (5 by default; the day of receipt is not counted). Yellow from the end of the working
  day before: the last working day is spent yellow.
* Simple (on-the-spot coordination, or ticked "simple"): answered the same day, by 23:59:59 of
  the day received; yellow 4 hours before (or at once when received later than 19:59:59).
* Extension: the supervisor adds working days once, counted from the day of the old limit.
* Days overdue: the working days after the limit's day up to the day of the answer, at least 1
  when answered after the limit.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from onewindow.calendar.selectors import add_working_days, count_working_days, due_datetime
from onewindow.core import clock

SIMPLE_WARNING = dt.timedelta(hours=4)
EXTENSION_MAX_DAYS = 10


def answer_days() -> int:
    return int(getattr(settings, "COMPLAINT_ANSWER_DAYS", 5))


def limits(received_at: dt.datetime, *, simple: bool) -> tuple[dt.datetime, dt.datetime]:
    """(due_at, warn_at) of a complaint received at `received_at`."""
    day = clock.local(received_at).date()
    if simple:
        due = clock.end_of_day(day)
        return due, max(received_at, due - SIMPLE_WARNING)
    days = answer_days()
    due = due_datetime(day, days)
    warn = due_datetime(day, days - 1) if days > 1 else max(received_at, due - SIMPLE_WARNING)
    return due, warn


def extended(due_at: dt.datetime, days: int) -> tuple[dt.datetime, dt.datetime]:
    """(due_at, warn_at) after an extension of `days` working days."""
    day = clock.local(due_at).date()
    due = due_datetime(day, days)
    warn = due_datetime(day, days - 1) if days > 1 else clock.end_of_day(add_working_days(day, 0))
    return due, min(warn, due)


def days_overdue(due_at: dt.datetime, answered_at: dt.datetime) -> int:
    if answered_at <= due_at:
        return 0
    late = count_working_days(clock.local(due_at).date(), clock.local(answered_at).date())
    return max(1, late)
