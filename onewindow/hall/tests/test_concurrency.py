"""20 windows call next at once over 500 waiting tickets (threads, each with its own
connection): no ticket is called twice, none is left out (on SQLite and PostgreSQL); two
clerks at one window calling at once get one ticket between them."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from onewindow.core.errors import Conflict
from onewindow.hall.calling import ticket_call_next, ticket_finish
from onewindow.hall.models import Ticket, TicketEvent, WindowState
from onewindow.hall.tests.queue_helpers import DAY, Queue, at, build_queue
from onewindow.hall.window_status import window_open
from onewindow.org.models import Window
from tests.factories import make_user
from tests.threads import run_together

WINDOWS = 20
TICKETS = 500


def _waiting(q: Queue, n: int) -> None:
    Ticket.objects.bulk_create(
        Ticket(
            center=q.org.center,
            business=q.a,
            date=DAY,
            sequence=i,
            number=f"A{i:03d}",
            issued_at=at(9, i % 60, i // 60),
            queued_at=at(9, i % 60, i // 60),
            priority=i % 7 == 0,
        )
        for i in range(1, n + 1)
    )


@pytest.mark.django_db(transaction=True)
def test_twenty_windows_call_five_hundred_tickets_each_once(org: Any) -> None:
    q = build_queue(org, open_windows=False)
    windows, clerks = [], []
    for i in range(WINDOWS):
        window = Window.objects.create(center=org.center, code=f"W{i:02d}", name=f"窗口{i}")
        q.a.windows.add(window)
        clerk = make_user(f"w{i:02d}", center=org.center, roles=("window_clerk",), window=window)
        window_open(window=window, actor=clerk, now=at(8))
        windows.append(window)
        clerks.append(clerk)
    _waiting(q, TICKETS)

    def work(i: int) -> list[int]:
        called: list[int] = []
        while True:
            ticket = ticket_call_next(window=windows[i], actor=clerks[i], now=at(10))
            if ticket is None:
                return called
            called.append(ticket.pk)
            ticket_finish(ticket=ticket, actor=clerks[i], now=at(10, 1))

    results, errors = run_together(WINDOWS, work)
    assert not errors, errors[:3]
    called = [pk for batch in results for pk in batch]
    duplicates = [pk for pk, n in Counter(called).items() if n > 1]
    assert not duplicates
    assert len(called) == TICKETS
    assert Ticket.objects.filter(status=Ticket.Status.SERVED).count() == TICKETS
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.CALLED).count() == TICKETS
    assert sum(1 for batch in results if batch) > 1  # the windows really shared the work


@pytest.mark.django_db(transaction=True)
def test_two_calls_at_one_window_get_one_ticket(org: Any) -> None:
    q = build_queue(org)
    _waiting(q, 5)
    results, errors = run_together(2, lambda i: ticket_call_next(window=q.z01, actor=q.clerk, now=at(10)))
    assert len(results) == 1 and results[0] is not None
    assert len(errors) == 1 and isinstance(errors[0], Conflict) and errors[0].code == "window_busy"
    assert WindowState.objects.get(pk=q.z01.pk).current_id == results[0].pk
    assert Ticket.objects.filter(status=Ticket.Status.CALLED).count() == 1
