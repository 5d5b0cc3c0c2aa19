"""The slot calendar, computed from its data: which days a business type serves, which slots a
day has, and which days can be booked now. Reads only; `calendar.selectors.table()` says which
days are working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from onewindow.appointments import plans
from onewindow.appointments.models import BusinessType, ExtraSlot, SlotRule
from onewindow.calendar import selectors as calendar_selectors
from onewindow.core import clock

# How far the booking window may look for its service days (a long holiday plus weekends).
_SEARCH_DAYS = 40


@dataclass(frozen=True)
class PlannedSlot:
    start: dt.time
    end: dt.time
    capacity: int
    extra: bool


def _cut(start: dt.time, end: dt.time, minutes: int | None) -> list[tuple[dt.time, dt.time]]:
    day = dt.date(2000, 1, 1)
    begin, finish = dt.datetime.combine(day, start), dt.datetime.combine(day, end)
    if not minutes:
        return [(start, end)] if begin < finish else []
    step = dt.timedelta(minutes=minutes)
    out = []
    while begin + step <= finish:
        out.append((begin.time(), (begin + step).time()))
        begin += step
    return out


def _working(day: dt.date) -> bool:
    try:
        return calendar_selectors.table().is_working_day(day)
    except ValueError:  # outside the calendar's range
        return False


def _rules(business: BusinessType, day: dt.date) -> list[SlotRule]:
    return list(
        SlotRule.objects.filter(business=business, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("start")
    )


def _extras(business: BusinessType, day: dt.date) -> list[ExtraSlot]:
    return list(ExtraSlot.objects.filter(business=business, date=day).order_by("start"))


def planned_slots(business: BusinessType, day: dt.date) -> list[PlannedSlot]:
    """The slots of `day`: the rules' on a working day (of their weekdays), plus the extra slots.
    A slot start appears once (an extra slot at a rule slot's start is dropped)."""
    rules = _rules(business, day) if _working(day) else []
    return _plan(day, rules, _extras(business, day))


def _plan(day: dt.date, rules: list[SlotRule], extras: list[ExtraSlot]) -> list[PlannedSlot]:
    slots: dict[dt.time, PlannedSlot] = {}
    if _working(day):
        for rule in rules:
            if rule.valid_from > day or (rule.valid_until is not None and rule.valid_until < day):
                continue
            if str(day.isoweekday()) not in rule.weekdays:
                continue
            for start, end in _cut(rule.start, rule.end, rule.slot_minutes):
                slots.setdefault(start, PlannedSlot(start, end, rule.capacity, False))
    for extra in sorted((e for e in extras if e.date == day), key=lambda e: e.start):
        for start, end in _cut(extra.start, extra.end, extra.slot_minutes):
            slots.setdefault(start, PlannedSlot(start, end, extra.capacity, True))
    return [slots[k] for k in sorted(slots)]


def booking_plan(business: BusinessType, day: dt.date, today: dt.date) -> list[PlannedSlot] | None:
    """For a booking: the slots of `day` when it lies in the booking window, else None (the
    business type's rules and extra slots as of its revision, `plans`' per-process copy)."""
    data = plans.booking_data(business, today)
    extras = [e for e in data.extras if e.date > today]
    if day not in _window(today, {e.date for e in extras}):
        return None
    return _plan(day, list(data.rules), extras)


def bookable_days(business: BusinessType, today: dt.date | None = None) -> list[dt.date]:
    """The service days from the APPOINTMENT_BOOK_MIN_DAYS-th to the APPOINTMENT_BOOK_MAX_DAYS-th
    after today (extra service days count as service days)."""
    today = today or clock.today()
    extra_days = set(
        ExtraSlot.objects.filter(
            business=business, date__gt=today, date__lte=today + dt.timedelta(days=_SEARCH_DAYS)
        ).values_list("date", flat=True)
    )
    return _window(today, extra_days)


def _window(today: dt.date, extra_days: set[dt.date]) -> list[dt.date]:
    first, last = settings.APPOINTMENT_BOOK_MIN_DAYS, settings.APPOINTMENT_BOOK_MAX_DAYS
    days: list[dt.date] = []
    count = 0
    for offset in range(1, _SEARCH_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        if _working(day) or day in extra_days:
            count += 1
            if count >= first:
                days.append(day)
            if count >= last:
                break
    return days


def moment(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware moment of a local date and time in the center's zone."""
    return dt.datetime.combine(day, time, tzinfo=clock.zone())
