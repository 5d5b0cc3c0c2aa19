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
# the keys that let a ticket jump the queue (Ticket.lane marks the tickets that may have one)
FLAG_KEYS = ("window", "priority", "pinned", "transferred", "appointment")


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


def _flagged_now(ticket: Ticket, flags: Sequence[str], *, window: Window, now: dt.datetime) -> bool:
    """Whether one of the flag keys puts `ticket` ahead of the plain queue at this moment."""
    checks = {
        "window": ticket.target_window_id == window.pk,
        "priority": ticket.priority,
        "pinned": ticket.pinned,
        "transferred": ticket.transferred,
        "appointment": ticket.due_at is not None and ticket.due_at <= due_limit(now),
    }
    return any(checks[key] for key in flags)


def next_candidates(
    window: Window,
    *,
    now: dt.datetime | None = None,
    priority_run: int = 0,
    exclude: Sequence[int] = (),
    limit: int = 8,
) -> list[Ticket]:
    """The first `limit` tickets of `call_order`, in two short reads of the index
    `hall_ticket_queue` when the flag keys come first in the order (the default): the few
    tickets that may jump the queue (lane 1), ordered by every key, then the plain queue of
    the window's business types in time order — an index walk that stops after `limit` rows,
    instead of sorting every waiting ticket of the day by computed keys. A ticket that may jump
    but has no flag now (an appointment not yet due) takes its place by time among the plain
    ones. With 5,000 waiting tickets on SQLite (bench/bench_queue.py) the one sorted read took
    about 7 ms of the 12 ms of a call; the two reads take well under 1 ms. Any other order of
    the keys, and the starvation rule's call, read `call_order` as it is."""
    now = now or clock.now()
    keys = list(settings.QUEUE_CALL_ORDER)
    flags = [key for key in keys if key in FLAG_KEYS]
    if not flags or starving(priority_run) or keys[: len(flags)] != flags:
        ordered = call_order(window, now=now, priority_run=priority_run)
        return list(ordered.exclude(pk__in=exclude)[:limit]) if exclude else list(ordered[:limit])
    rest = [key for key in keys if key not in FLAG_KEYS]
    jumping = waiting_here(window, now=now).filter(lane=Ticket.Lane.FLAGGED).exclude(pk__in=exclude)
    first = list(jumping.order_by(*order_by_keys(keys, window=window, now=now))[:limit])
    ahead = [t for t in first if _flagged_now(t, flags, window=window, now=now)]
    if len(ahead) >= limit:
        return ahead[:limit]
    plain = Ticket.objects.filter(
        center_id=window.center_id,
        date=clock.local(now).date(),
        status=Ticket.Status.WAITING,
        lane=Ticket.Lane.PLAIN,
        business_id__in=served_business_ids(window),
        target_window__isnull=True,
    ).exclude(pk__in=exclude)
    later = list(plain.order_by(*order_by_keys(rest, window=window, now=now))[:limit])
    # the not-yet-flagged ones by time among the plain queue (the order of the remaining keys)
    later += [t for t in first if t not in ahead]
    later.sort(key=lambda t: (*(_plain_key(t, key) for key in rest), t.pk))
    return (ahead + later)[:limit]


def _plain_key(ticket: Ticket, key: str) -> Any:
    return ticket.queued_at if key == "queued_at" else ticket.sequence


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
