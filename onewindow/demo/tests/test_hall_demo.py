"""The demo hall (onewindow.demo.hall): accounts at every window, every business type at two or
more staffed windows, opening hours and icons, notices, and a queue history whose times and
events agree with each other; a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections import Counter, defaultdict

import pytest
from django.test import Client

from onewindow.appointments.models import BusinessType
from onewindow.core import clock
from onewindow.demo import hall, online_appointments
from onewindow.demo.data.accounts import DEMO_PASSWORD
from onewindow.demo.data.org import DEMO_CENTER_CODE
from onewindow.demo.loader import load_demo
from onewindow.hall.models import (
    DaySequence,
    HallNotice,
    Ticket,
    TicketEvent,
    WindowState,
    WindowStatusPeriod,
)
from onewindow.org.models import Center, User

pytestmark = pytest.mark.django_db

# a Tuesday, 10:40 in Shanghai: the morning's peak
NOW = dt.datetime(2026, 12, 8, 2, 40, tzinfo=dt.UTC)


def _counts() -> dict[str, int]:
    return {
        "tickets": Ticket.objects.count(),
        "events": TicketEvent.objects.count(),
        "periods": WindowStatusPeriod.objects.count(),
        "states": WindowState.objects.count(),
        "notices": HallNotice.objects.count(),
        "users": User.objects.count(),
        "sequences": DaySequence.objects.count(),
    }


@pytest.fixture
def center() -> Center:
    with clock.frozen_at(NOW):
        load_demo(history=False)
        center = Center.objects.get(code=DEMO_CENTER_CODE)
        online_appointments.load(center)
    return center


def test_the_hall_loads_once_and_fast(center: Center) -> None:
    with clock.frozen_at(NOW):
        began = time.monotonic()
        first = hall.load(center)
        took = time.monotonic() - began
        counts = _counts()
        second = hall.load(center)
    assert took < 20, took
    assert first["hall_accounts"] == 32 and first["hall_notices"] == 4
    assert first["hall_tickets"] > 3000
    assert set(second.values()) == {0}
    assert _counts() == counts


def test_every_business_type_has_two_staffed_windows_and_the_accounts_sign_in(center: Center) -> None:
    with clock.frozen_at(NOW):
        hall.load(center)
    for business in BusinessType.objects.filter(center=center):
        assert business.opens_at == dt.time(8, 30) and business.closes_at == dt.time(17, 30)
        assert business.icon
        codes = set(business.windows.values_list("code", flat=True))
        assert {"Z01", "Z02"} <= codes
        staffed = {
            code
            for code in codes
            if User.objects.filter(
                window__code=code, window__center=center, groups__name="window_clerk"
            ).exists()
        }
        assert len(staffed) >= 2, business
    clerk = User.objects.get(username="clerk-a01")
    assert clerk.window.code == "A01" and clerk.department_id == clerk.window.department_id
    assert list(clerk.posts.values_list("code", flat=True)) == ["accept"]
    assert clerk.has_perm("hall.call_ticket")
    kiosk = User.objects.get(username="kiosk")
    assert kiosk.full_name == "一楼取号机" and kiosk.has_perm("hall.issue_ticket")
    assert not kiosk.has_perm("hall.call_ticket")
    assert User.objects.get(username="groupleader").has_perm("hall.view_queue")
    client = Client()
    for username in ("clerk-z02", "kiosk", "groupleader"):
        assert client.login(username=username, password=DEMO_PASSWORD), username
        client.logout()


def test_the_history_is_consistent(center: Center) -> None:
    with clock.frozen_at(NOW):
        hall.load(center)
    today = clock.local(NOW).date()
    tickets = list(Ticket.objects.filter(center=center))
    statuses = Counter(t.status for t in tickets)
    assert statuses[Ticket.Status.SERVED] > 2000
    assert statuses[Ticket.Status.SKIPPED] and statuses[Ticket.Status.VOID]
    assert {t.prefix for t in tickets} == {"", "V", "Y"}
    assert len({t.date for t in tickets}) == 21
    events: dict[int, list[str]] = defaultdict(list)
    for ticket_id, kind in TicketEvent.objects.order_by("at", "pk").values_list("ticket_id", "kind"):
        events[ticket_id].append(kind)
    waits = []
    for t in tickets:
        kinds = events[t.pk]
        assert kinds[0] == TicketEvent.Kind.ISSUED
        assert clock.local(t.issued_at).date() == t.date
        assert t.number.endswith(f"{t.sequence:03d}") and t.number[-4] == t.business.letter
        if t.status == Ticket.Status.SERVED:
            assert t.issued_at < t.first_called_at <= t.started_at < t.finished_at
            assert t.window_id and t.staff_id and t.staff.window_id == t.window_id
            assert 3 * 60 <= (t.finished_at - t.started_at).total_seconds() <= 20 * 60
            assert kinds[-3:] == ["called", "started", "finished"]
            waits.append((t.first_called_at - t.issued_at).total_seconds())
        elif t.status == Ticket.Status.SKIPPED:
            assert t.first_called_at and t.closed_at and t.started_at is None
            assert kinds[-1] == "skipped" and kinds.count("recalled") == t.recalls
        elif t.status == Ticket.Status.VOID:
            assert t.first_called_at is None and kinds[-1] == "voided"
        elif t.status == Ticket.Status.NOT_SERVED:
            assert t.date < today and kinds[-1] == "closed"
        else:
            assert t.date == today  # still in the queue: only today
    assert 60 < sorted(waits)[len(waits) // 2] < 30 * 60
    assert max(waits) < 120 * 60  # issued at noon, called after the lunch break
    # the numbers of a day continue where the history stopped
    for seq in DaySequence.objects.filter(date=today):
        assert seq.last == Ticket.objects.filter(business=seq.business, date=today).count()
    # today: some wait, some are being served, the window states match
    assert statuses[Ticket.Status.WAITING] > 0 and statuses[Ticket.Status.SERVING] > 0
    states = list(WindowState.objects.filter(window__center=center).select_related("current"))
    assert {s.status for s in states} == {"open", "paused", "away"}  # every window has its clerk
    for state in states:
        if state.current is not None:
            assert state.current.window_id == state.window_id
            assert state.current.status in (Ticket.Status.CALLED, Ticket.Status.SERVING)
        open_period = WindowStatusPeriod.objects.filter(window=state.window, ended_at__isnull=True)
        if state.status != "closed" or open_period.exists():
            assert open_period.get().status == state.status
    # no window serves two people at once
    by_window: dict[int, list[Ticket]] = defaultdict(list)
    for t in tickets:
        if t.started_at:
            by_window[t.window_id].append(t)
    for rows in by_window.values():
        rows.sort(key=lambda t: t.started_at)
        for a, b in itertools.pairwise(rows):
            assert a.finished_at is not None and a.finished_at <= b.first_called_at
