"""The one place code reads the time, so tests can move it (time-machine moves this too)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current aware datetime (UTC)."""
    return timezone.now()


def zone() -> dt.tzinfo:
    """The center's time zone (settings.TIME_ZONE; never switched per request)."""
    return timezone.get_default_timezone()


def local(moment: dt.datetime) -> dt.datetime:
    """`moment` (aware) in the center's time zone."""
    return moment.astimezone(timezone.get_default_timezone())


def local_now() -> dt.datetime:
    """The current aware datetime in the center's time zone."""
    return now().astimezone(timezone.get_default_timezone())


def today() -> dt.date:
    """Today's date in the center's time zone."""
    return local_now().date()


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 local time on `day`, as an aware datetime: when a deadline on that day ends."""
    return dt.datetime.combine(day, _END_OF_DAY, tzinfo=timezone.get_default_timezone())


_END_OF_DAY = dt.time(23, 59, 59)
