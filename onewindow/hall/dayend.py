"""Day end of the hall (wave2.md §5): tickets of earlier days still waiting, called or being
served close as not served (with `closed_at` and a `closed` event), the windows still open
close, and the online hall's no-show rule runs (appointments not checked in become no-shows).
Idempotent: a second run finds nothing left. `closing_today=True` (the management command's
`--today`, after the center closes) closes today's leftovers too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from onewindow.appointments.sweeps import bookings_day_end
from onewindow.core import clock
from onewindow.hall.board import board_touch
from onewindow.hall.models import Ticket, TicketEvent, WindowState, WindowStatusPeriod

NOT_SERVED_REASON = "day end"
ACTIVE = (Ticket.Status.WAITING, Ticket.Status.CALLED, Ticket.Status.SERVING)


@dataclass(frozen=True)
class DayEnd:
    tickets: int
    windows: int
    no_shows: int


def queue_day_end(*, now: dt.datetime | None = None, closing_today: bool = False) -> DayEnd:
    now = now or clock.now()
    today = clock.local(now).date()
    rows = Ticket.objects.filter(status__in=ACTIVE)
    rows = rows.filter(date__lte=today) if closing_today else rows.filter(date__lt=today)
    centers: set[int] = set()
    tickets = 0
    for pk, center_id, window_id in rows.order_by("pk").values_list("pk", "center_id", "window_id")[:20000]:
        with transaction.atomic():
            if not Ticket.objects.filter(pk=pk, status__in=ACTIVE).update(
                status=Ticket.Status.NOT_SERVED,
                closed_at=now,
                close_reason=NOT_SERVED_REASON,
                version=F("version") + 1,
            ):
                continue
            if window_id is not None:
                WindowState.objects.filter(pk=window_id, current_id=pk).update(
                    current=None, version=F("version") + 1
                )
            TicketEvent.objects.create(
                ticket_id=pk, kind=TicketEvent.Kind.CLOSED, at=now, note=NOT_SERVED_REASON
            )
            centers.add(center_id)
            tickets += 1
    start_of_today = dt.datetime.combine(today, dt.time.min, tzinfo=clock.zone())
    states = WindowState.objects.exclude(status=WindowState.Status.CLOSED)
    if not closing_today:
        states = states.filter(since__lt=start_of_today)
    windows = 0
    for window_id, center_id in states.values_list("window_id", "window__center_id"):
        with transaction.atomic():
            if (
                not WindowState.objects.filter(pk=window_id)
                .exclude(status=WindowState.Status.CLOSED)
                .update(
                    status=WindowState.Status.CLOSED,
                    message="",
                    expected_return=None,
                    since=now,
                    current=None,
                    priority_run=0,
                    version=F("version") + 1,
                )
            ):
                continue
            WindowStatusPeriod.objects.filter(window_id=window_id, ended_at__isnull=True).update(ended_at=now)
            WindowStatusPeriod.objects.create(
                window_id=window_id, status=WindowState.Status.CLOSED, started_at=now
            )
            centers.add(center_id)
            windows += 1
    if centers:
        with transaction.atomic():
            for center_id in sorted(centers):
                board_touch(center_id, now=now)
    return DayEnd(tickets=tickets, windows=windows, no_shows=bookings_day_end(now=now))
