"""The consultation clock (pure): working minutes across lunch, the end of the day, weekends and
holidays.

A reply is due within `CONSULTATION_RED_MINUTES` working minutes of the applicant's message
(seed 003: 5). Working time is the center's consultation hours (`periods`: local start and end
times, default 09:00–12:00 and 13:00–17:00) on the working days of the calendar
(`is_working_day`, from `calendar.selectors.table()`). A message sent outside working time waits
for the next working period: asked at 20:00 on a Friday before a holiday, the clock starts at
09:00 on the next working day.

No database access here: callers pass the periods, the working-day test and the time zone.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence

Period = tuple[dt.time, dt.time]
IsWorkingDay = Callable[[dt.date], bool]

DEFAULT_PERIODS: tuple[Period, ...] = ((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(17, 0)))
MAX_DAYS_AHEAD = 400  # a year of holidays cannot hide every working day; beyond this, give up


def check_periods(periods: Sequence[Period]) -> tuple[Period, ...]:
    """The periods sorted; ValueError if one is empty or two overlap."""
    ordered = tuple(sorted(periods))
    if not ordered:
        raise ValueError("at least one working period is needed")
    for start, end in ordered:
        if not start < end:
            raise ValueError(f"a working period must end after it starts: {start}–{end}")
    for (_s1, e1), (s2, _e2) in itertools.pairwise(ordered):
        if s2 < e1:
            raise ValueError("working periods overlap")
    return ordered


def _windows(day: dt.date, periods: Sequence[Period], tz: dt.tzinfo) -> list[tuple[dt.datetime, dt.datetime]]:
    return [
        (dt.datetime.combine(day, s, tzinfo=tz), dt.datetime.combine(day, e, tzinfo=tz)) for s, e in periods
    ]


def add_working_minutes(
    start: dt.datetime,
    minutes: float,
    *,
    periods: Sequence[Period] = DEFAULT_PERIODS,
    is_working_day: IsWorkingDay,
    tz: dt.tzinfo,
) -> dt.datetime:
    """The moment `minutes` working minutes after `start` (aware). Outside working time the count
    starts at the next working period; a count that ends exactly at the end of a period ends
    there (not at the start of the next one)."""
    periods = check_periods(periods)
    remaining = dt.timedelta(minutes=minutes)
    moment = start.astimezone(tz)
    day = moment.date()
    for _ in range(MAX_DAYS_AHEAD):
        if is_working_day(day):
            for begin, end in _windows(day, periods, tz):
                if moment >= end:
                    continue
                moment = max(moment, begin)
                available = end - moment
                if remaining <= available:
                    return moment + remaining
                remaining -= available
                moment = end
        day += dt.timedelta(days=1)
        moment = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    raise ValueError("no working time within a year")


def working_minutes_between(
    start: dt.datetime,
    end: dt.datetime,
    *,
    periods: Sequence[Period] = DEFAULT_PERIODS,
    is_working_day: IsWorkingDay,
    tz: dt.tzinfo,
) -> float:
    """Working minutes from `start` to `end` (0 when `end` is not after `start`)."""
    periods = check_periods(periods)
    if end <= start:
        return 0.0
    begin_local, end_local = start.astimezone(tz), end.astimezone(tz)
    total = dt.timedelta(0)
    day = begin_local.date()
    while day <= end_local.date():
        if is_working_day(day):
            for w_begin, w_end in _windows(day, periods, tz):
                lo, hi = max(w_begin, begin_local), min(w_end, end_local)
                if hi > lo:
                    total += hi - lo
        day += dt.timedelta(days=1)
    return total.total_seconds() / 60


def next_working_moment(
    moment: dt.datetime,
    *,
    periods: Sequence[Period] = DEFAULT_PERIODS,
    is_working_day: IsWorkingDay,
    tz: dt.tzinfo,
) -> dt.datetime:
    """`moment` if it lies in working time, else the start of the next working period."""
    return add_working_minutes(moment, 0, periods=periods, is_working_day=is_working_day, tz=tz)


def in_working_time(
    moment: dt.datetime,
    *,
    periods: Sequence[Period] = DEFAULT_PERIODS,
    is_working_day: IsWorkingDay,
    tz: dt.tzinfo,
) -> bool:
    local = moment.astimezone(tz)
    if not is_working_day(local.date()):
        return False
    return any(s <= local.time() < e for s, e in check_periods(periods))


def working_days_late(
    due: dt.datetime, end: dt.datetime, *, is_working_day: IsWorkingDay, tz: dt.tzinfo
) -> int:
    """Days overdue (超期天数, GB/T 39046 表10): the working days after the due day up to and
    including the day of `end`, at least 1 once `end` is past `due`; 0 when it is not."""
    if end <= due:
        return 0
    due_day, end_day = due.astimezone(tz).date(), end.astimezone(tz).date()
    days = 0
    day = due_day + dt.timedelta(days=1)
    while day <= end_day:
        if is_working_day(day):
            days += 1
        day += dt.timedelta(days=1)
    return max(days, 1)
