"""Day end: earlier days' tickets still open close as not served, windows close, the
appointments' no-show rule runs; a second run changes nothing; `--today` after closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from onewindow.hall import dayend
from onewindow.hall.calling import ticket_call_next, ticket_finish
from onewindow.hall.dayend import queue_day_end
from onewindow.hall.models import Ticket, TicketEvent, WindowState, WindowStatusPeriod
from onewindow.hall.tests.queue_helpers import DAY, Queue, at, build_queue

NEXT_DAY = DAY + dt.timedelta(days=1)


@pytest.fixture
def q(org: Any) -> Queue:
    return build_queue(org)


@pytest.fixture
def no_shows(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    calls: list[dt.datetime] = []

    def fake(*, now: dt.datetime | None = None) -> int:
        assert now is not None
        calls.append(now)
        return 2

    monkeypatch.setattr(dayend, "bookings_day_end", fake)
    return calls


def test_day_end_closes_yesterdays_leftovers_once(q: Queue, no_shows: list[dt.datetime]) -> None:
    served = q.issue(q.a, at(9))
    called = q.issue(q.a, at(9, 1))
    waiting = q.issue(q.a, at(9, 2))
    first = ticket_call_next(window=q.z01, actor=q.clerk, now=at(10))
    assert first is not None and first.pk == served.pk
    ticket_finish(ticket=first, actor=q.clerk, now=at(10, 5))
    assert ticket_call_next(window=q.z01, actor=q.clerk, now=at(10, 6)).pk == called.pk  # type: ignore[union-attr]
    today = q.issue(q.a, at(9, 0, day=NEXT_DAY))

    result = queue_day_end(now=at(8, 0, day=NEXT_DAY))
    assert (result.tickets, result.windows, result.no_shows) == (2, 2, 2)
    assert no_shows == [at(8, 0, day=NEXT_DAY)]
    statuses = dict(Ticket.objects.values_list("pk", "status"))
    assert statuses == {
        served.pk: "served",
        called.pk: "not_served",
        waiting.pk: "not_served",
        today.pk: "waiting",
    }
    assert Ticket.objects.get(pk=waiting.pk).closed_at == at(8, 0, day=NEXT_DAY)
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.CLOSED).count() == 2
    state = WindowState.objects.get(pk=q.z01.pk)
    assert (state.status, state.current_id) == ("closed", None)
    assert WindowStatusPeriod.objects.filter(window=q.z01, ended_at__isnull=True).get().status == "closed"

    again = queue_day_end(now=at(8, 15, day=NEXT_DAY))
    assert (again.tickets, again.windows) == (0, 0)
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.CLOSED).count() == 2


def test_the_command_closes_today_after_closing(q: Queue, no_shows: list[dt.datetime]) -> None:
    from onewindow.core import clock

    ticket = q.issue(q.a, at(9))
    with clock.frozen_at(at(18, 30)):
        call_command("queue_day_end")
        assert Ticket.objects.get(pk=ticket.pk).status == "waiting"
        assert WindowState.objects.get(pk=q.z01.pk).status == "open"  # opened today
        call_command("queue_day_end", "--today")
    assert Ticket.objects.get(pk=ticket.pk).status == "not_served"
    assert WindowState.objects.get(pk=q.z01.pk).status == "closed"
