"""The demo hall's queue history: the last 20 working days and today up to now (demo.data.hall).

Per business type a number of tickets a day following an hourly curve (peaks 9–11 and 14–16),
numbered per business per day; a small simulation serves them in order at the business's
windows with a clerk (the earliest free window, only while it is open): waits of a few minutes to
about forty at the peaks, services of 3–20 minutes; some skipped (three calls, nobody came), a few
void (the print failed), V priority and Y appointment tickets. Every ticket has its events
(issued, printed, called, recalled, skipped, started, finished, voided, closed), every window its
status ledger (open 08:30–12:00 and 13:30–17:30, closed between, a few pauses); past days'
leftovers are closed as not served; today some wait, some windows serve now, one is paused, one
away, and `WindowState` matches the ledger.

Written once (when the center has no ticket yet), with bulk inserts, from a fixed seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from onewindow.appointments.models import BusinessType
from onewindow.calendar import selectors as calendar_selectors
from onewindow.core import clock
from onewindow.demo.data import hall as data
from onewindow.hall.board import board_touch
from onewindow.hall.models import DaySequence, Ticket, TicketEvent, WindowState, WindowStatusPeriod
from onewindow.hall.tickets import ticket_number
from onewindow.org.models import Center, User, Window

Kind = TicketEvent.Kind
Status = Ticket.Status
OPEN = WindowState.Status.OPEN
PAUSED = WindowState.Status.PAUSED
AWAY = WindowState.Status.AWAY
CLOSED = WindowState.Status.CLOSED
PRIORITY_REASONS = ("elderly", "elderly", "disabled", "military", "green_channel")
SKIP_REASON = "三次呼叫未到"
VOID_REASON = "小票打印失败，已作废"
DAY_END_REASON = "日终仍在等候，未办理"


def business_department_code(business: BusinessType, departments: dict[int, str]) -> str:
    """ "Z" for the general business type, else the department of its first department window."""
    if business.letter == "Z":
        return "Z"
    for window in sorted(business.windows.all(), key=lambda w: w.code):
        if window.department_id is not None:
            return departments.get(window.department_id, "")
    return ""


@dataclass
class Period:
    status: str
    start: dt.datetime
    end: dt.datetime | None
    message: str = ""
    expected_return: dt.datetime | None = None


@dataclass
class Seat:
    """A window with its clerk during the simulation of one day."""

    window: Window
    clerk: User
    periods: list[Period] = field(default_factory=list)
    free_at: dt.datetime | None = None
    current: Ticket | None = None

    def next_open(self, ready: dt.datetime, *, room: dt.timedelta) -> dt.datetime | None:
        """The first moment ≥ `ready` in an open period with `room` left before its end."""
        for period in self.periods:
            if period.status != OPEN:
                continue
            end = period.end or period.start + dt.timedelta(hours=12)
            start = max(ready, period.start)
            if start + room <= end:
                return start
        return None


@dataclass
class History:
    center: Center
    rng: random.Random
    now: dt.datetime
    kiosk: User | None
    desk: User | None
    leader: User | None
    tickets: list[Ticket] = field(default_factory=list)
    events: list[tuple[Ticket, dict[str, Any]]] = field(default_factory=list)
    periods: dict[int, list[Period]] = field(default_factory=lambda: defaultdict(list))
    sequences: list[DaySequence] = field(default_factory=list)
    seats_today: list[Seat] = field(default_factory=list)

    def event(
        self,
        ticket: Ticket,
        kind: str,
        at: dt.datetime,
        *,
        actor: User | None = None,
        window: Window | None = None,
        note: str = "",
    ) -> None:
        extra = {"actor_id": actor.pk if actor else None, "window_id": window.pk if window else None}
        self.events.append((ticket, {"kind": kind, "at": at, "note": note, **extra}))


def _days(today: dt.date, now: dt.datetime) -> list[dt.date]:
    days: list[dt.date] = []
    day = today - dt.timedelta(days=1)
    while len(days) < data.HISTORY_DAYS and day > today - dt.timedelta(days=120):
        if calendar_selectors.is_working_day(day):
            days.append(day)
        day -= dt.timedelta(days=1)
    days.reverse()
    opens = dt.datetime.combine(today, data.OPENS, tzinfo=clock.zone())
    if calendar_selectors.is_working_day(today) and now > opens:
        days.append(today)
    return days


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=clock.zone())


def _ledger(h: History, day: dt.date, *, today: bool) -> list[Period]:
    """The window's periods of the day: open, a pause maybe, closed for lunch, open, closed."""
    rng = h.rng
    periods: list[Period] = []
    for n, (start, end) in enumerate(data.WINDOW_PERIODS):
        begin, finish = _at(day, start), _at(day, end)
        if rng.random() < data.PAUSE_SHARE / 2:
            pause = begin + dt.timedelta(
                minutes=rng.randint(40, int((finish - begin).total_seconds() // 60) - 50)
            )
            back = pause + dt.timedelta(minutes=rng.randint(8, 25))
            periods += [
                Period(OPEN, begin, pause),
                Period(PAUSED, pause, back, rng.choice(data.PAUSE_MESSAGES), back),
                Period(OPEN, back, finish),
            ]
        else:
            periods.append(Period(OPEN, begin, finish))
        periods.append(Period(CLOSED, finish, _at(day, data.WINDOW_PERIODS[1][0]) if n == 0 else None))
    return _today(h, periods) if today else periods


def _today(h: History, periods: list[Period]) -> list[Period]:
    """Today's ledger cut at now: the period now is in has no end yet."""
    kept = [p for p in periods if p.start <= h.now]
    if kept:
        current = kept[-1]
        kept[-1] = Period(current.status, current.start, None, current.message, current.expected_return)
    return kept


def _away_and_paused(h: History, seats: list[Seat]) -> None:
    """Today, of the open windows serving nobody, one is away since a while (去向留言 with the
    expected return) and one paused just now."""
    idle = [s for s in sorted(seats, key=lambda s: s.window.code) if s.current is None and s.periods]
    idle = [s for s in idle if s.periods[-1].status == OPEN and s.periods[-1].end is None]
    for seat, away in zip(idle[len(idle) // 2 :], (True, False), strict=False):
        current = seat.periods[-1]
        since = max(
            current.start, seat.free_at or current.start, h.now - dt.timedelta(minutes=25 if away else 4)
        )
        back = h.now + dt.timedelta(minutes=35 if away else 8)
        message = data.AWAY_MESSAGE if away else data.PAUSE_MESSAGES[0]
        seat.periods[-1] = Period(OPEN, current.start, since)
        seat.periods.append(Period(AWAY if away else PAUSED, since, None, message, back))
        if since == current.start:
            seat.periods.pop(-2)


def _arrivals(h: History, business: BusinessType, code: str, day: dt.date, *, today: bool) -> list[Ticket]:
    rng = h.rng
    volume = data.DAILY_TICKETS.get(code, data.DAILY_TICKETS_OTHER)
    factor = {0: 1.15, 4: 0.9}.get(day.weekday(), 1.0) * rng.uniform(0.8, 1.2)
    hours = list(data.HOURLY_WEIGHTS)
    weights = list(data.HOURLY_WEIGHTS.values())
    moments = []
    for _ in range(max(1, round(volume * factor))):
        hour = rng.choices(hours, weights)[0]
        low = 30 if hour == data.OPENS.hour else 0
        high = 29 if hour == data.CLOSES.hour else 59
        moments.append(_at(day, dt.time(hour, rng.randint(low, high), rng.randint(0, 59))))
    moments.sort()
    if today:
        moments = [m for m in moments if m <= h.now]
    tickets = []
    for sequence, issued in enumerate(moments, start=1):
        roll = rng.random()
        if roll < data.APPOINTMENT_SHARE:
            prefix, source, priority = "Y", Ticket.Source.APPOINTMENT, False
        elif roll < data.APPOINTMENT_SHARE + data.PRIORITY_SHARE:
            prefix, source, priority = "V", Ticket.Source.KIOSK, True
        else:
            prefix, priority = "", False
            source = Ticket.Source.DESK if rng.random() < data.DESK_SHARE else Ticket.Source.KIOSK
        due = None
        if source == Ticket.Source.APPOINTMENT:
            local = clock.local(issued)
            due = local.replace(minute=30 if local.minute < 30 else 0, second=0) + (
                dt.timedelta(hours=1) if local.minute >= 30 else dt.timedelta()
            )
        issuer = h.desk if source == Ticket.Source.DESK else h.kiosk
        tickets.append(
            Ticket(
                center_id=h.center.pk,
                business_id=business.pk,
                date=day,
                sequence=sequence,
                prefix=prefix,
                number=ticket_number(prefix, business.letter, sequence),
                source=source,
                priority=priority,
                priority_reason=rng.choice(PRIORITY_REASONS) if priority else "",
                due_at=due,
                lane=Ticket.Lane.FLAGGED if priority or due is not None else Ticket.Lane.PLAIN,
                status=Status.WAITING,
                issued_at=issued,
                issued_by_id=issuer.pk if issuer else None,
                queued_at=issued,
                prints=0 if source == Ticket.Source.DESK else 1,
            )
        )
    if tickets:
        h.sequences.append(DaySequence(business=business, date=day, last=len(tickets)))
    return tickets


def _issue_events(h: History, ticket: Ticket) -> None:
    issuer = h.desk if ticket.source == Ticket.Source.DESK else h.kiosk
    h.event(ticket, Kind.ISSUED, ticket.issued_at, actor=issuer)
    if ticket.prints:
        h.event(ticket, Kind.PRINTED, ticket.issued_at + dt.timedelta(seconds=2), actor=issuer)


def _serve(h: History, ticket: Ticket, seats: list[Seat], *, today: bool) -> None:
    """Call `ticket` at the seat free first; skip, serve or leave it waiting."""
    rng = h.rng
    _issue_events(h, ticket)
    if rng.random() < data.VOID_SHARE:
        closed = ticket.issued_at + dt.timedelta(seconds=rng.randint(30, 180))
        if not today or closed <= h.now:
            ticket.status, ticket.closed_at, ticket.close_reason = Status.VOID, closed, VOID_REASON
            h.event(ticket, Kind.VOIDED, closed, actor=h.leader, note=VOID_REASON)
        return
    skip = rng.random() < data.SKIP_SHARE
    room = dt.timedelta(minutes=4)
    best: tuple[dt.datetime, Seat, dt.datetime] | None = None
    own = any(seat.window.department_id is not None for seat in seats)
    for seat in seats:
        ready = ticket.issued_at + dt.timedelta(seconds=rng.randint(*data.CALL_GAP_SECONDS))
        if seat.free_at is not None:
            ready = max(ready, seat.free_at + dt.timedelta(seconds=rng.randint(*data.CALL_GAP_SECONDS)))
        start = seat.next_open(ready, room=room)
        if start is None:
            continue
        # a general window serves its own queue first: it takes another business's ticket only
        # when that saves the applicant a while
        rank = start + (data.GENERAL_DETOUR if seat.window.department_id is None and own else dt.timedelta())
        if best is None or rank < best[2]:
            best = (start, seat, rank)
    day_end = _at(ticket.date, data.CLOSES)
    if best is None or (today and best[0] > h.now):
        if not today:
            closed = day_end + dt.timedelta(minutes=15)
            ticket.status, ticket.closed_at, ticket.close_reason = Status.NOT_SERVED, closed, DAY_END_REASON
            h.event(ticket, Kind.CLOSED, closed, note=DAY_END_REASON)
        return
    call, seat, _rank = best
    ticket.window_id, ticket.staff_id = seat.window.pk, seat.clerk.pk
    ticket.first_called_at = ticket.called_at = call
    clerk, window = seat.clerk, seat.window
    h.event(ticket, Kind.CALLED, call, actor=clerk, window=window)
    if skip:
        recalls = rng.randint(1, 3)
        closed = call + dt.timedelta(minutes=recalls + 1)
        seat.free_at = closed
        for n in range(1, recalls + 1):
            moment = call + dt.timedelta(minutes=n)
            if today and moment > h.now:
                break
            ticket.called_at, ticket.recalls = moment, n
            h.event(ticket, Kind.RECALLED, moment, actor=clerk, window=window)
        if today and closed > h.now:
            ticket.status, seat.current = Status.CALLED, ticket
            return
        ticket.status, ticket.closed_at, ticket.close_reason = Status.SKIPPED, closed, SKIP_REASON
        h.event(ticket, Kind.SKIPPED, closed, note=SKIP_REASON, actor=clerk, window=window)
        return
    started = call + dt.timedelta(seconds=rng.randint(*data.WALK_SECONDS))
    low, high = data.SERVICE_MINUTES
    finished = started + dt.timedelta(seconds=round(rng.triangular(low, high, low + 7) * 60))
    seat.free_at = finished
    if today and started > h.now:
        ticket.status, seat.current = Status.CALLED, ticket
        return
    ticket.started_at = started
    h.event(ticket, Kind.STARTED, started, actor=clerk, window=window)
    if today and finished > h.now:
        ticket.status, seat.current = Status.SERVING, ticket
        return
    ticket.status, ticket.finished_at = Status.SERVED, finished
    h.event(ticket, Kind.FINISHED, finished, actor=clerk, window=window)


def _day(
    h: History, day: dt.date, businesses: list[tuple[BusinessType, str]], clerks: dict[int, User]
) -> None:
    today = day == clock.local(h.now).date()
    seats: dict[int, Seat] = {}
    for business, _code in businesses:
        for window in business.windows.all():
            if window.pk in clerks and window.pk not in seats:
                seats[window.pk] = Seat(window, clerks[window.pk])
    for seat in sorted(seats.values(), key=lambda s: s.window.code):
        seat.periods = _ledger(h, day, today=today)
    tickets: list[Ticket] = []
    for business, code in businesses:
        tickets += _arrivals(h, business, code, day, today=today)
    tickets.sort(key=lambda t: (t.issued_at, t.business_id, t.sequence))
    served_by = {b.pk: [seats[w.pk] for w in b.windows.all() if w.pk in seats] for b, _c in businesses}
    for ticket in tickets:
        _serve(h, ticket, served_by[ticket.business_id], today=today)
    h.tickets += tickets
    if today:
        _away_and_paused(h, list(seats.values()))
        h.seats_today = list(seats.values())
    for seat in seats.values():
        h.periods[seat.window.pk].extend(seat.periods)


def _stitch(h: History) -> list[WindowStatusPeriod]:
    """Each open-ended closed period of a day ends when the window's next period begins."""
    rows = []
    for window_id, periods in h.periods.items():
        periods.sort(key=lambda p: p.start)
        for n, period in enumerate(periods):
            end = period.end
            if end is None and n + 1 < len(periods):
                end = periods[n + 1].start
            rows.append(
                WindowStatusPeriod(
                    window_id=window_id,
                    status=period.status,
                    message=period.message,
                    staff=None,
                    started_at=period.start,
                    ended_at=end,
                )
            )
    return rows


def _states(h: History, center: Center, clerks: dict[int, User]) -> list[WindowState]:
    seats = {s.window.pk: s for s in h.seats_today}
    last: dict[int, Period] = {}
    for window_id, periods in h.periods.items():
        if periods:
            last[window_id] = max(periods, key=lambda p: p.start)
    states = []
    for window in Window.objects.filter(center=center, active=True):
        period = last.get(window.pk)
        seat = seats.get(window.pk)
        status = period.status if period is not None and period.end is None else CLOSED
        states.append(
            WindowState(
                window=window,
                status=status,
                message=period.message if period is not None and status != CLOSED else "",
                expected_return=period.expected_return if period is not None and status != CLOSED else None,
                since=period.start if period is not None else None,
                staff=clerks.get(window.pk) if status != CLOSED else None,
                current=seat.current if seat is not None else None,
            )
        )
    return states


def load(center: Center, *, departments: dict[int, str]) -> dict[str, int]:
    if Ticket.objects.filter(center=center).exists():
        return {"hall_tickets": 0, "hall_ticket_events": 0, "hall_status_periods": 0}
    users = {u.username: u for u in User.objects.filter(username__in=["kiosk", "clerk", "groupleader"])}
    now = clock.now()
    h = History(
        center=center,
        rng=random.Random(data.SEED),
        now=now,
        kiosk=users.get("kiosk"),
        desk=users.get("clerk"),
        leader=users.get("groupleader"),
    )
    clerks: dict[int, User] = {}
    for user in User.objects.filter(
        center=center, window__isnull=False, is_active=True, groups__name="window_clerk"
    ).order_by("username"):
        clerks.setdefault(user.window_id, user)  # type: ignore[arg-type]
    businesses = [
        (b, business_department_code(b, departments))
        for b in BusinessType.objects.filter(center=center, active=True)
        .prefetch_related("windows")
        .order_by("letter")
    ]
    for day in _days(clock.local(now).date(), now):
        _day(h, day, businesses, clerks)
    Ticket.objects.bulk_create(h.tickets, batch_size=1000)
    # the ids of the tickets are set by bulk_create on both databases (RETURNING)
    events = [TicketEvent(ticket_id=ticket.pk, **fields) for ticket, fields in h.events]
    events.sort(key=lambda e: (e.at, e.ticket_id))
    TicketEvent.objects.bulk_create(events, batch_size=2000)
    DaySequence.objects.bulk_create(h.sequences, batch_size=500, ignore_conflicts=True)
    periods = _stitch(h)
    for row in periods:
        if row.status != CLOSED:
            row.staff = clerks.get(row.window_id)
    WindowStatusPeriod.objects.bulk_create(periods, batch_size=1000)
    WindowState.objects.bulk_create(_states(h, center, clerks), ignore_conflicts=True)
    board_touch(center.pk, now=now)
    return {
        "hall_tickets": len(h.tickets),
        "hall_ticket_events": len(events),
        "hall_status_periods": len(periods),
    }
