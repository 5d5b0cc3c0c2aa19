"""Working-day calendar API (public: the holiday schedule is public information).

GET /api/v1/calendar/due-date?start=2026-09-30&days=5   → {"due_date": "2026-10-13", "confirmed": true}
GET /api/v1/calendar/working-days?start=…&end=…        → {"working_days": 5, "confirmed": true}
GET /api/v1/calendar/years[?first=2025&last=2027]        → [{year, confirmed, holidays, adjusted_workdays,
                                                             provisional_holidays}]
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BeforeValidator, Field

from onewindow.calendar import selectors
from onewindow.calendar.workdays import RANGE_END, RANGE_START
from onewindow.core import clock
from onewindow.core.errors import ValidationFailed

router = Router(auth=None)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_YEARS = 50


def _iso_date_only(value: object) -> object:
    # Pydantic would also take a Unix timestamp ("1759190400") for a date: refuse it.
    if isinstance(value, str) and not _ISO_DATE.match(value.strip()):
        raise ValueError(_("Write the date as YYYY-MM-DD, e.g. 2026-09-30."))
    return value.strip() if isinstance(value, str) else value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


class ErrorResponse(Schema):
    code: str
    message: str
    details: object | None = None


class DueDateOut(Schema):
    due_date: dt.date
    confirmed: bool


class WorkingDaysOut(Schema):
    working_days: int
    confirmed: bool


class DayOut(Schema):
    date: dt.date
    name: str


class YearOut(Schema):
    year: int
    confirmed: bool
    source: str
    holidays: list[DayOut]
    adjusted_workdays: list[DayOut]
    provisional_holidays: list[DayOut] = Field(
        description="While the year is not confirmed: the statutory holidays on their own dates, computed "
        "from the rule and counted instead of the stored days (no adjusted days). Empty once confirmed."
    )


@router.get("/due-date", response={200: DueDateOut, 422: ErrorResponse})
def due_date(
    request: HttpRequest,
    start: Annotated[IsoDate, Query(description="The day of acceptance, YYYY-MM-DD (not counted).")],
    days: Annotated[
        int, Query(description=f"The limit in working days, 0 to {selectors.MAX_DAYS}.", examples=[5])
    ],
) -> DueDateOut:
    """The `days`-th working day after `start`: a case accepted on `start` with a limit of `days`
    working days is due at 23:59:59 local time on that day. `confirmed` is false when a year
    between start and the due date has no confirmed holiday schedule (it counts Monday–Friday
    minus the statutory holidays on their own dates, and may move when the schedule is entered)."""
    result = selectors.due_date(start, days)
    return DueDateOut(due_date=result.value, confirmed=result.confirmed)


@router.get("/working-days", response={200: WorkingDaysOut, 422: ErrorResponse})
def working_days(
    request: HttpRequest,
    start: Annotated[IsoDate, Query(description="YYYY-MM-DD, not counted.")],
    end: Annotated[IsoDate, Query(description="YYYY-MM-DD, counted; not before start.")],
) -> WorkingDaysOut:
    """The number of working days after `start` up to and including `end`, so that
    working-days(start, due-date(start, N)) = N."""
    result = selectors.working_days(start, end)
    return WorkingDaysOut(working_days=result.value, confirmed=result.confirmed)


@router.get("/years", response={200: list[YearOut], 422: ErrorResponse})
def years(
    request: HttpRequest,
    first: Annotated[int | None, Query(description="First year (default: the first stored year).")] = None,
    last: Annotated[
        int | None, Query(description="Last year (default: next year, or the last stored year if later).")
    ] = None,
) -> list[YearOut]:
    """Each year's holiday schedule: public holidays and adjusted working days, and whether the
    schedule is confirmed. Years without a stored schedule are listed as unconfirmed. An unconfirmed
    year counts its `provisional_holidays` (the statutory days by the rule), not its stored days."""
    this_year = clock.today().year
    stored_first, stored_last = selectors.stored_year_range() or (this_year, this_year)
    if first is None:
        first = stored_first if last is None else min(stored_first, last)
    if last is None:
        last = max(stored_last, this_year + 1, first)
    problems: dict[str, list[str]] = {}
    for name, value in (("first", first), ("last", last)):
        if not (RANGE_START.year <= value <= RANGE_END.year):
            problems[name] = [f"{name} must be between {RANGE_START.year} and {RANGE_END.year}; got {value}."]
    if not problems and last < first:
        problems["last"] = [f"last ({last}) must not be before first ({first})."]
    if not problems and last - first + 1 > MAX_YEARS:
        problems["last"] = [
            f"last must be at most {MAX_YEARS - 1} years after first (at most {MAX_YEARS} years)."
        ]
    if problems:
        raise ValidationFailed(" ".join(m for ms in problems.values() for m in ms), details=problems)
    return [
        YearOut(
            year=y["year"],
            confirmed=y["confirmed"],
            source=y["source"],
            holidays=[DayOut(date=d, name=n) for d, n in y["holidays"]],
            adjusted_workdays=[DayOut(date=d, name=n) for d, n in y["adjusted_workdays"]],
            provisional_holidays=[DayOut(date=d, name=n) for d, n in y["provisional_holidays"]],
        )
        for y in selectors.year_schedules(first, last)
    ]
