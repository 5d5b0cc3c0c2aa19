"""The holiday schedules the installed `chinesecalendar` package knows, as plain data.

Used by the `calendar_sync_package` command (the first fill is done by the data migration
`0002_prefill_from_chinesecalendar`, which carries its own copy of this reading so that it
never changes with the code).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar import Holiday


@dataclass(frozen=True)
class PackageYear:
    year: int
    holidays: list[tuple[dt.date, str]]
    adjusted_workdays: list[tuple[dt.date, str]]


def version() -> str:
    return str(getattr(chinese_calendar, "__version__", "unknown"))


def source() -> str:
    """The `CalendarYear.source` written for the package's years, e.g. "chinesecalendar 1.11.0"."""
    return f"chinesecalendar {version()}"


def chinese_name(english: str | None) -> str:
    """The package names holidays in English ("Spring Festival"); the schedule uses 春节."""
    if not english:
        return ""
    try:
        return str(Holiday(english).chinese)
    except ValueError:
        return english


def years() -> list[PackageYear]:
    """Every year the package knows, with its holidays (including the weekend days inside a
    holiday period, for naming) and its adjusted working days, each named in Chinese."""
    known = sorted(
        {day.year for day in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    )
    result = []
    for year in known:
        holidays = sorted(
            (day, chinese_name(name)) for day, name in chinese_calendar.holidays.items() if day.year == year
        )
        adjusted = sorted(
            (day, chinese_name(name)) for day, name in chinese_calendar.workdays.items() if day.year == year
        )
        result.append(PackageYear(year, holidays, adjusted))
    return result
