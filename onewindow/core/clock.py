"""The one place code reads the time, so tests can move it (time-machine moves this too)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current aware datetime (UTC)."""
    return timezone.now()


def local_now() -> dt.datetime:
    """The current aware datetime in the centre's time zone."""
    return timezone.localtime(now())


def today() -> dt.date:
    """Today's date in the centre's time zone."""
    return local_now().date()


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 local time on `day`, as an aware datetime: when a deadline on that day ends."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
