"""The one place code reads the time, so tests and the demo can move it.

Everything that stamps or compares time (case events, audit entries, deadlines, the supervision
sweep, notifications) calls `now()` here, never `timezone.now()` or `datetime.now()`.

Moving the clock (ADR 0018): `frozen_at(moment)` makes `now()` return `moment` inside a `with`
block, for the current thread or task only (a context variable, so a web request served by
another thread at the same time still reads the real time). The demo history
(`onewindow.demo.history`) uses it to write three months of activity through the real services,
and tests may use it too (time-machine also moves this clock, since it moves `timezone.now()`).
Never use it in request handling or in a worker: production code only reads the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_FROZEN: ContextVar[dt.datetime | None] = ContextVar("onewindow_frozen_now", default=None)


class FrozenClock:
    """The handle of a `frozen_at` block: `move_to` sets the frozen moment (forwards or back)."""

    def move_to(self, moment: dt.datetime) -> None:
        _FROZEN.set(_checked(moment))

    @property
    def moment(self) -> dt.datetime:
        frozen = _FROZEN.get()
        assert frozen is not None, "the frozen_at block has ended"
        return frozen


def _checked(moment: dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    return moment


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[FrozenClock]:
    """Within the block `now()` (and so `today()`, `local_now()`) returns `moment`, an aware
    datetime, until the handle's `move_to` sets another one; the previous clock (the real one,
    or an outer block's moment) comes back on exit, also after an exception. Blocks nest."""
    token = _FROZEN.set(_checked(moment))
    try:
        yield FrozenClock()
    finally:
        _FROZEN.reset(token)


def is_frozen() -> bool:
    """Whether a `frozen_at` block is active in this thread or task."""
    return _FROZEN.get() is not None


def now() -> dt.datetime:
    """The current aware datetime (UTC), or the moment of the enclosing `frozen_at` block."""
    frozen = _FROZEN.get()
    if frozen is not None:
        return frozen
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
