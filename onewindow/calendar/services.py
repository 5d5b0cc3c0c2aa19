"""Writing the holiday schedule. Every change goes through `calendar_set_year`.

Deadlines already stored elsewhere (cases, steps) were computed from the schedule as it was.
This module does not know about them (the calendar is below cases in the layers, and must not
import it). Two ways for the cases app to keep them right, both explicit:

- a caller that changes the schedule itself gets the changed `CalendarYear` back and can
  recompute the deadlines of open cases whose clock runs through that year;
- every change, including those made in the admin, calls the hooks registered with
  `register_year_changed` (the cases app registers its recompute function in its
  `AppConfig.ready()`), inside the same transaction, after the new days are written and the
  cached table is forgotten, so a hook computes with the new schedule and a failing hook undoes
  the whole change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onewindow.calendar import selectors
from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.calendar.schedule_text import NAME_MAX_LENGTH, parse_schedule_text
from onewindow.calendar.workdays import RANGE_END, RANGE_START
from onewindow.core import audit
from onewindow.core.errors import Conflict, ValidationFailed

__all__ = ["calendar_set_year", "parse_schedule_text", "register_year_changed"]

SOURCE_MAX_LENGTH = 200

Entries = list[tuple[dt.date, str]]
YearChangedHook = Callable[[CalendarYear], None]

_year_changed_hooks: list[YearChangedHook] = []


def register_year_changed(hook: YearChangedHook) -> None:
    """Call `hook(year)` after every schedule change, inside its transaction (idempotent)."""
    if hook not in _year_changed_hooks:
        _year_changed_hooks.append(hook)


def unregister_year_changed(hook: YearChangedHook) -> None:
    if hook in _year_changed_hooks:
        _year_changed_hooks.remove(hook)


def _validate(
    *, year: int, holidays: Entries, adjusted_workdays: Entries, source: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (RANGE_START.year <= year <= RANGE_END.year):
        add(
            "year",
            _("The year must be between %(first)d and %(last)d.")
            % {"first": RANGE_START.year, "last": RANGE_END.year},
        )
        return errors
    if len(source) > SOURCE_MAX_LENGTH:
        add("source", _("The source is longer than %(max)d characters.") % {"max": SOURCE_MAX_LENGTH})
    for field, entries in (("holidays", holidays), ("adjusted_workdays", adjusted_workdays)):
        counts = Counter(day for day, _name in entries)
        for day, name in entries:
            if day.year != year:
                add(
                    field,
                    _("%(date)s is not in %(year)d; enter it in the %(other)d schedule.")
                    % {"date": day.isoformat(), "year": year, "other": day.year},
                )
            if len(name) > NAME_MAX_LENGTH:
                add(
                    field,
                    _("%(date)s: the name is longer than %(max)d characters.")
                    % {"date": day.isoformat(), "max": NAME_MAX_LENGTH},
                )
        for day, count in sorted(counts.items()):
            if count > 1:
                add(
                    field,
                    _("%(date)s is listed %(count)d times.") % {"date": day.isoformat(), "count": count},
                )
    for day, _name in adjusted_workdays:
        if day.weekday() < 5:
            add(
                "adjusted_workdays",
                _(
                    "%(date)s is a weekday; an adjusted working day must be a Saturday or Sunday "
                    "(list a weekday only as a holiday, or not at all)."
                )
                % {"date": day.isoformat()},
            )
    both = sorted({d for d, _n in holidays} & {d for d, _n in adjusted_workdays})
    for day in both:
        add(
            "adjusted_workdays",
            _("%(date)s is both a holiday and an adjusted working day.") % {"date": day.isoformat()},
        )
    return errors


def _state(year: CalendarYear | None) -> dict[str, Any]:
    if year is None:
        return {"confirmed": False, "source": "", "holidays": [], "adjusted_workdays": []}
    days = list(year.days.order_by("date").values_list("date", "kind", "name"))
    return {
        "confirmed": year.confirmed,
        "source": year.source,
        "holidays": [[d.isoformat(), n] for d, k, n in days if k == CalendarDay.Kind.HOLIDAY],
        "adjusted_workdays": [
            [d.isoformat(), n] for d, k, n in days if k == CalendarDay.Kind.ADJUSTED_WORKDAY
        ],
    }


def calendar_set_year(
    *,
    year: int,
    holidays: list[tuple[dt.date, str]],
    adjusted_workdays: list[tuple[dt.date, str]],
    confirmed: bool,
    source: str = "",
    actor: Any = None,
) -> CalendarYear:
    """Replace `year`'s holiday schedule with exactly these days, atomically.

    `holidays` and `adjusted_workdays` are (date, name) pairs inside `year`; an adjusted
    working day must be a Saturday or Sunday; no date may appear twice or in both lists.
    A holiday may be a weekday or a weekend day (weekend days inside a holiday period are kept
    for naming). Raises ValidationFailed (details per field, each message naming the date).
    Writes an audit entry with the schedule before and after, makes every later
    working-day computation use the new schedule, and calls the `register_year_changed` hooks.
    Returns the changed year (see the module docstring about stored deadlines).
    """
    try:
        return _set_year(
            year=year,
            holidays=holidays,
            adjusted_workdays=adjusted_workdays,
            confirmed=confirmed,
            source=source,
            actor=actor,
        )
    except BaseException:
        selectors.invalidate()  # the table may have been rebuilt from rows now rolled back
        raise


@transaction.atomic
def _set_year(
    *,
    year: int,
    holidays: Entries,
    adjusted_workdays: Entries,
    confirmed: bool,
    source: str,
    actor: Any,
) -> CalendarYear:
    holidays = [(day, (name or "").strip()) for day, name in holidays]
    adjusted_workdays = [(day, (name or "").strip()) for day, name in adjusted_workdays]
    source = (source or "").strip()
    errors = _validate(year=year, holidays=holidays, adjusted_workdays=adjusted_workdays, source=source)
    if errors:
        messages = [m for field in errors.values() for m in field]
        raise ValidationFailed(
            _("The %(year)d schedule was not saved: %(first)s") % {"year": year, "first": messages[0]}
            + (_(" (and %(more)d more)") % {"more": len(messages) - 1} if len(messages) > 1 else ""),
            details=errors,
        )

    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = _state(row)
    if row is None:
        row = CalendarYear(year=year)
    row.confirmed = confirmed
    row.source = source
    row.updated_by = actor if getattr(actor, "pk", None) is not None else None
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # another administrator created the year at the same moment
        raise Conflict(
            _("The %(year)d schedule was changed at the same time by someone else; reload and try again.")
            % {"year": year}
        ) from exc
    CalendarDay.objects.filter(year=row).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, year=row, kind=CalendarDay.Kind.HOLIDAY, name=n) for d, n in holidays]
        + [
            CalendarDay(date=d, year=row, kind=CalendarDay.Kind.ADJUSTED_WORKDAY, name=n)
            for d, n in adjusted_workdays
        ]
    )
    after = _state(row)
    audit.record(action="calendar_year.set", obj=row, before=before, after=after, actor=actor)

    # Forget the cached table now (later reads in this transaction see the new rows) and again
    # after commit; other processes notice the new revision within selectors.RECHECK_SECONDS.
    selectors.invalidate()
    transaction.on_commit(selectors.invalidate)
    for hook in list(_year_changed_hooks):
        hook(row)
    return row
