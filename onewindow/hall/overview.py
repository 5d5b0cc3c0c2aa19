"""The supervisor's live overview of the hall (read-only): every window of the center with its
status (open, paused, away with the message and the expected return), since when, the clerk, the
ticket it serves and for how long; per business type the people waiting and the longest wait;
today's totals. A handful of queries whatever the size of the day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Q

from onewindow.appointments.models import BusinessType
from onewindow.core import clock
from onewindow.hall.figures import Durations, Scope, overall_times, totals
from onewindow.hall.figures import Totals as DayTotals
from onewindow.hall.models import Ticket, WindowState
from onewindow.org.models import Window


@dataclass(frozen=True)
class WindowRow:
    window_id: int
    code: str
    name: str
    floor: str
    status: str
    status_label: str
    message: str
    expected_return: dt.datetime | None
    overdue: bool  # away or paused past the expected return
    since: dt.datetime | None
    since_seconds: int | None
    clerk: str
    ticket: str  # the number of the ticket called or served, "" when none
    ticket_status: str  # Ticket.Status: called or serving
    ticket_business: str
    serving_seconds: int | None  # since service started (or, when only called, since the call)


@dataclass(frozen=True)
class BusinessRow:
    business_id: int
    letter: str
    name: str
    waiting: int
    longest_wait_seconds: int | None
    windows_open: int


@dataclass(frozen=True)
class Overview:
    at: dt.datetime
    day: dt.date
    windows: list[WindowRow]
    businesses: list[BusinessRow]
    totals: DayTotals
    wait: Durations
    service: Durations

    @property
    def waiting(self) -> int:
        return sum(b.waiting for b in self.businesses)

    def count(self, status: str) -> int:
        return sum(1 for w in self.windows if w.status == status)


def _since(now: dt.datetime, moment: dt.datetime | None) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def window_rows(center_id: int, *, now: dt.datetime) -> list[WindowRow]:
    windows = list(Window.objects.filter(center_id=center_id, active=True).order_by("code"))
    states = {
        s.window_id: s
        for s in WindowState.objects.filter(window__center_id=center_id).select_related(
            "staff", "current", "current__business"
        )
    }
    labels = dict(WindowState.Status.choices)
    out = []
    for window in windows:
        state = states.get(window.pk)
        status = state.status if state else WindowState.Status.CLOSED
        current = state.current if state else None
        serving = None
        if current is not None:
            serving = _since(now, current.started_at or current.called_at)
        expected = state.expected_return if state else None
        out.append(
            WindowRow(
                window_id=window.pk,
                code=window.code,
                name=window.name,
                floor=window.floor,
                status=status,
                status_label=str(labels.get(status, status)),
                message=state.message if state else "",
                expected_return=expected,
                overdue=bool(
                    expected is not None
                    and expected < now
                    and status in (WindowState.Status.AWAY, WindowState.Status.PAUSED)
                ),
                since=state.since if state else None,
                since_seconds=_since(now, state.since) if state else None,
                clerk=state.staff.display_name if state and state.staff else "",
                ticket=current.number if current is not None else "",
                ticket_status=current.status if current is not None else "",
                ticket_business=current.business.name if current is not None else "",
                serving_seconds=serving,
            )
        )
    return out


def business_rows(center_id: int, *, day: dt.date, now: dt.datetime) -> list[BusinessRow]:
    waiting = {
        row["business_id"]: row
        for row in Ticket.objects.filter(center_id=center_id, date=day, status=Ticket.Status.WAITING)
        .values("business_id")
        .annotate(n=Count("pk"), oldest=Min("issued_at"))
    }
    businesses = (
        BusinessType.objects.filter(center_id=center_id, active=True)
        .annotate(
            windows_open=Count(
                "windows", filter=Q(windows__hall_state__status=WindowState.Status.OPEN), distinct=True
            )
        )
        .order_by("letter")
    )
    out = []
    for business in businesses:
        row = waiting.get(business.pk)
        out.append(
            BusinessRow(
                business_id=business.pk,
                letter=business.letter,
                name=business.name,
                waiting=row["n"] if row else 0,
                longest_wait_seconds=_since(now, row["oldest"]) if row else None,
                windows_open=business.windows_open,  # type: ignore[attr-defined]
            )
        )
    return out


def hall_overview(center_id: int, *, now: dt.datetime | None = None) -> Overview:
    now = now or clock.now()
    day = clock.local(now).date()
    scope = Scope(center_id=center_id, start=day, end=day)
    wait, service = overall_times(scope)
    return Overview(
        at=now,
        day=day,
        windows=window_rows(center_id, now=now),
        businesses=business_rows(center_id, day=day, now=now),
        totals=totals(scope),
        wait=wait,
        service=service,
    )
