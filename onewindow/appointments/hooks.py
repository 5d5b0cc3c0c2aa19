"""What other apps do when a booking is checked in, inside the same transaction: the hall's queue
(the next issue) turns the booking into a Y ticket. Apps register their callback in
`AppConfig.ready()`; appointments never imports them (like `cases.hooks`).

A callback gets the booking (status checked_in, `checked_in_at` set) and the clerk. What it
writes commits or rolls back with the check-in; an error it raises fails the check-in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from onewindow.appointments.models import Booking
    from onewindow.org.models import User

CheckedIn = Callable[["Booking", "User"], None]

_callbacks: list[CheckedIn] = []


def register_checked_in(callback: CheckedIn) -> None:
    if callback not in _callbacks:
        _callbacks.append(callback)


def unregister_checked_in(callback: CheckedIn) -> None:
    if callback in _callbacks:
        _callbacks.remove(callback)


def checked_in(booking: Booking, actor: User) -> None:
    for callback in list(_callbacks):
        callback(booking, actor)
