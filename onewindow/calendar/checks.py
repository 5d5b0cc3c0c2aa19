"""System check: from 1 November, warn when next year's holiday schedule is not confirmed."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError

from onewindow.core import clock


@checks.register("onewindow", deploy=False)
def next_year_schedule(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from onewindow.calendar.models import CalendarYear

    today = clock.today()
    if today.month < 11:
        return []
    next_year = today.year + 1
    try:
        confirmed = CalendarYear.objects.filter(year=next_year, confirmed=True).exists()
    except DatabaseError:  # not migrated yet
        return []
    if confirmed:
        return []
    return [
        checks.Warning(
            f"The holiday schedule for {next_year} is not confirmed: deadlines reaching into {next_year} "
            "count Monday–Friday minus the statutory holidays on their own dates (no adjusted days) and are "
            "shown as unconfirmed.",
            hint=f"Enter the State Council's {next_year} schedule in the admin: Working-day calendar "
            "(工作日历) → holiday schedules (节假日安排) → “Paste a year's holiday schedule”, and tick "
            "'confirmed'. Or upgrade chinesecalendar and run `manage.py calendar_sync_package`.",
            id="calendar.W001",
        )
    ]
