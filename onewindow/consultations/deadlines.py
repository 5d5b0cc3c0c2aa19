"""The consultation clock applied: the center's consultation hours (data, `WorkingPeriod`) and the
calendar's working days (`calendar.selectors.table()`) fed to the pure `clock` module."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from onewindow.calendar.selectors import table as calendar_table
from onewindow.consultations import clock as consult_clock
from onewindow.consultations.models import WorkingPeriod
from onewindow.core import clock


def periods_for(center_id: int | None) -> tuple[consult_clock.Period, ...]:
    """The center's consultation hours; else the rows for every center; else the default."""
    rows = []
    if center_id is not None:
        rows = list(WorkingPeriod.objects.filter(center_id=center_id).values_list("starts", "ends"))
    if not rows:
        rows = list(WorkingPeriod.objects.filter(center__isnull=True).values_list("starts", "ends"))
    if not rows:
        return consult_clock.DEFAULT_PERIODS
    try:
        return consult_clock.check_periods(rows)
    except ValueError:
        return consult_clock.DEFAULT_PERIODS


def yellow_minutes() -> int:
    return int(getattr(settings, "CONSULTATION_YELLOW_MINUTES", 3))


def red_minutes() -> int:
    return int(getattr(settings, "CONSULTATION_RED_MINUTES", 5))


@dataclass(frozen=True)
class WaitTimes:
    day: dt.date
    warn_at: dt.datetime
    due_at: dt.datetime


def wait_times(center_id: int | None, started_at: dt.datetime, *, extension_minutes: int = 0) -> WaitTimes:
    """When a wait that starts at `started_at` turns yellow and red (working minutes)."""
    periods = periods_for(center_id)
    working = calendar_table().is_working_day
    tz = clock.zone()
    warn = consult_clock.add_working_minutes(
        started_at, yellow_minutes() + extension_minutes, periods=periods, is_working_day=working, tz=tz
    )
    due = consult_clock.add_working_minutes(
        started_at, red_minutes() + extension_minutes, periods=periods, is_working_day=working, tz=tz
    )
    return WaitTimes(day=clock.local(started_at).date(), warn_at=warn, due_at=due)


def minutes_between(center_id: int | None, start: dt.datetime, end: dt.datetime) -> float:
    return consult_clock.working_minutes_between(
        start,
        end,
        periods=periods_for(center_id),
        is_working_day=calendar_table().is_working_day,
        tz=clock.zone(),
    )


def days_late(due: dt.datetime, end: dt.datetime) -> int:
    return consult_clock.working_days_late(
        due, end, is_working_day=calendar_table().is_working_day, tz=clock.zone()
    )
