"""The call order as data (wave2.md §5, issue 16).

`settings.QUEUE_CALL_ORDER` lists keys, first wins; each key becomes one ORM order_by
expression over the waiting tickets a window may call:

* the tickets of the business types the window serves (`BusinessType.windows` holds it, or it
  is the `preferred_window`) that are reserved for no window, plus
* the tickets reserved for (transferred to) this window, whatever their business type.

A ticket reserved for ANOTHER window is never a candidate here.

Keys: `window` (reserved for this window first), `priority` (V tickets), `pinned`,
`transferred`, `appointment` (a Y ticket due within QUEUE_APPOINTMENT_DUE_MINUTES),
`queued_at`, `number` (the day's sequence). The starvation rule: when the window's run of
priority calls reached QUEUE_PRIORITY_RUN (0: no limit), "not priority" becomes the first key
for the next call, so a waiting normal ticket goes first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from onewindow.appointments.models import BusinessType
from onewindow.core import clock
from onewindow.hall.models import Ticket
from onewindow.org.models import Window

KEYS = ("window", "priority", "pinned", "transferred", "appointment", "queued_at", "number")


def _first(condition: Q) -> Case:
    """0 for the tickets meeting `condition`, 1 for the others: ascending puts them first."""
    return Case(When(condition, then=Value(0)), default=Value(1), output_field=IntegerField())


def due_limit(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(minutes=settings.QUEUE_APPOINTMENT_DUE_MINUTES)


def appointment_due(now: dt.datetime) -> Q:
    """A Y ticket whose appointment starts within QUEUE_APPOINTMENT_DUE_MINUTES (or started)."""
    return Q(due_at__isnull=False, due_at__lte=due_limit(now))


def order_by_keys(keys: Sequence[str], *, window: Window, now: dt.datetime) -> list[Any]:
    """The order_by expressions of `keys` (unknown keys are a configuration error)."""
    expressions: list[Any] = []
    for key in keys:
        if key == "window":
            expressions.append(_first(Q(target_window_id=window.pk)))
        elif key == "priority":
            expressions.append(_first(Q(priority=True)))
        elif key == "pinned":
            expressions.append(_first(Q(pinned=True)))
        elif key == "transferred":
            expressions.append(_first(Q(transferred=True)))
        elif key == "appointment":
            expressions.append(_first(appointment_due(now)))
        elif key == "queued_at":
            expressions.append(F("queued_at").asc())
        elif key == "number":
            expressions.append(F("sequence").asc())
        else:
            raise ValueError(f"QUEUE_CALL_ORDER: unknown key {key!r} (known: {', '.join(KEYS)})")
    expressions.append(F("pk").asc())  # a total order
    return expressions


def served_business_ids(window: Window) -> list[int]:
    """The business types whose tickets this window calls."""
    return list(
        BusinessType.objects.filter(
            Q(windows=window) | Q(preferred_window=window), center_id=window.center_id
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def waiting_here(window: Window, *, now: dt.datetime | None = None) -> QuerySet[Ticket]:
    """The waiting tickets of the day this window may call (unordered)."""
    now = now or clock.now()
    day = clock.local(now).date()
    businesses = BusinessType.objects.filter(
        Q(windows=window) | Q(preferred_window=window), center_id=window.center_id
    ).values("pk")
    return Ticket.objects.filter(
        Q(business_id__in=businesses, target_window__isnull=True) | Q(target_window_id=window.pk),
        center_id=window.center_id,
        date=day,
        status=Ticket.Status.WAITING,
    )


def starving(priority_run: int) -> bool:
    """The starvation rule: after QUEUE_PRIORITY_RUN priority calls in a row, a normal one."""
    limit = settings.QUEUE_PRIORITY_RUN
    return bool(limit) and priority_run >= limit


def call_order(
    window: Window,
    *,
    now: dt.datetime | None = None,
    priority_run: int = 0,
    keys: Sequence[str] | None = None,
) -> QuerySet[Ticket]:
    """The waiting tickets this window may call, in the order it calls them."""
    now = now or clock.now()
    expressions = order_by_keys(
        keys if keys is not None else settings.QUEUE_CALL_ORDER, window=window, now=now
    )
    if starving(priority_run):
        expressions.insert(0, _first(Q(priority=False)))
    return waiting_here(window, now=now).order_by(*expressions)


def is_normal(ticket: Ticket, *, now: dt.datetime) -> bool:
    """A ticket with none of the keys that may jump the queue (the FIFO guard applies to it)."""
    due = ticket.due_at is not None and ticket.due_at <= due_limit(now)
    return not (ticket.priority or ticket.pinned or ticket.transferred or due)


def earlier_normal(ticket: Ticket, *, now: dt.datetime) -> QuerySet[Ticket]:
    """Waiting normal tickets of the same business, queued before `ticket` and callable at any
    window of the business (not reserved for a window): the FIFO guard's question."""
    earlier = Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, sequence__lt=ticket.sequence)
    return (
        Ticket.objects.filter(
            business_id=ticket.business_id,
            date=ticket.date,
            status=Ticket.Status.WAITING,
            priority=False,
            pinned=False,
            transferred=False,
            target_window__isnull=True,
        )
        .filter(earlier)
        .exclude(appointment_due(now))
        .exclude(pk=ticket.pk)
    )
