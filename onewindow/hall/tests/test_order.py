"""The call order as data: one table row per key (and per pair of keys whose rank matters),
the candidates of a window, the starvation rule, transfers keeping their place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings

from onewindow.hall.calling import ticket_call_next, ticket_finish, ticket_transfer
from onewindow.hall.models import Ticket
from onewindow.hall.order import call_order, next_candidates
from onewindow.hall.tests.queue_helpers import Queue, at, build_queue

NOW = at(10)


@pytest.fixture
def q(org: Any) -> Queue:
    return build_queue(org)


def make(q: Queue, specs: list[dict[str, Any]]) -> dict[str, Ticket]:
    """Tickets named by the specs: minute of issue, then the attributes that make a key."""
    made: dict[str, Ticket] = {}
    for spec in specs:
        business = q.b if spec.get("business") == "B" else q.a
        ticket = q.issue(business, at(9, spec["minute"]), priority=spec.get("priority", False))
        fields: dict[str, Any] = {}
        for key in ("pinned", "transferred"):
            if key in spec:
                fields[key] = spec[key]
        if "due_in" in spec:
            fields["due_at"] = NOW + dt.timedelta(minutes=spec["due_in"])
        if "target" in spec:
            fields["target_window"] = q.org.window_a if spec["target"] == "A01" else q.org.general_window
        if "queued_minute" in spec:
            fields["queued_at"] = at(9, spec["queued_minute"])
        if fields:
            # as the services keep it: a ticket with a flag may jump the queue
            flagged = ticket.priority or any(
                k in fields for k in ("pinned", "transferred", "due_at", "target_window")
            )
            lane = Ticket.Lane.FLAGGED if flagged else Ticket.Lane.PLAIN
            Ticket.objects.filter(pk=ticket.pk).update(lane=lane, **fields)
        made[spec["name"]] = ticket
    return made


def names(q: Queue, made: dict[str, Ticket], window: str = "Z01", **kw: Any) -> list[str]:
    by_pk = {t.pk: name for name, t in made.items()}
    w = q.org.window_a if window == "A01" else q.org.general_window
    return [by_pk[pk] for pk in call_order(w, now=NOW, **kw).values_list("pk", flat=True)]


ORDER_TABLE = [
    pytest.param(
        [{"name": "early", "minute": 1}, {"name": "late", "minute": 2, "queued_minute": 0}],
        ["late", "early"],
        id="queued_at: the earlier time in the queue first, whatever the number",
    ),
    pytest.param(
        [{"name": "n2", "minute": 1, "queued_minute": 0}, {"name": "n3", "minute": 2, "queued_minute": 0}],
        ["n2", "n3"],
        id="number: the same time, the lower sequence first",
    ),
    pytest.param(
        [{"name": "normal", "minute": 1}, {"name": "vip", "minute": 5, "priority": True}],
        ["vip", "normal"],
        id="priority: a V ticket before an earlier normal one",
    ),
    pytest.param(
        [{"name": "normal", "minute": 1}, {"name": "pinned", "minute": 5, "pinned": True}],
        ["pinned", "normal"],
        id="pinned before an earlier normal ticket",
    ),
    pytest.param(
        [{"name": "normal", "minute": 1}, {"name": "moved", "minute": 5, "transferred": True}],
        ["moved", "normal"],
        id="transferred before an earlier normal ticket",
    ),
    pytest.param(
        [
            {"name": "normal", "minute": 1},
            {"name": "due", "minute": 5, "due_in": 10},
            {"name": "later", "minute": 3, "due_in": 60},
        ],
        ["due", "normal", "later"],
        id="appointment: due within 15 minutes jumps; due in an hour waits its turn",
    ),
    pytest.param(
        [{"name": "vip", "minute": 1, "priority": True}, {"name": "mine", "minute": 5, "target": "Z01"}],
        ["mine", "vip"],
        id="window: reserved for this window before everything",
    ),
    pytest.param(
        [{"name": "pinned", "minute": 1, "pinned": True}, {"name": "vip", "minute": 5, "priority": True}],
        ["vip", "pinned"],
        id="priority ranks above pinned",
    ),
    pytest.param(
        [
            {"name": "moved", "minute": 1, "transferred": True},
            {"name": "pinned", "minute": 5, "pinned": True},
        ],
        ["pinned", "moved"],
        id="pinned ranks above transferred",
    ),
    pytest.param(
        [{"name": "due", "minute": 1, "due_in": 0}, {"name": "moved", "minute": 5, "transferred": True}],
        ["moved", "due"],
        id="transferred ranks above a due appointment",
    ),
    pytest.param(
        [
            {"name": "a", "minute": 1},
            {"name": "theirs", "minute": 0, "target": "A01"},
            {"name": "b-only", "minute": 0, "business": "B"},
            {"name": "b-for-me", "minute": 2, "business": "B", "target": "Z01"},
        ],
        ["b-for-me", "a"],
        id="candidates: another window's ticket never, an unserved business only when reserved here",
    ),
]


@pytest.mark.parametrize(("specs", "expected"), ORDER_TABLE)
def test_call_order_keys(q: Queue, specs: list[dict[str, Any]], expected: list[str]) -> None:
    made = make(q, specs)
    assert names(q, made) == expected
    # the two short reads of call-next find the same tickets in the same order, at every limit
    by_pk = {t.pk: name for name, t in made.items()}
    for window in (q.org.general_window, q.org.window_a):
        full = [by_pk[pk] for pk in call_order(window, now=NOW).values_list("pk", flat=True)]
        for limit in range(1, len(full) + 1):
            fast = [by_pk[t.pk] for t in next_candidates(window, now=NOW, limit=limit)]
            assert fast == full[:limit], (window.code, limit)


def test_the_order_is_configuration(q: Queue) -> None:
    made = make(q, [{"name": "normal", "minute": 1}, {"name": "vip", "minute": 5, "priority": True}])
    assert names(q, made, keys=["queued_at", "number"]) == ["normal", "vip"]
    with override_settings(QUEUE_CALL_ORDER=["number"]):
        assert names(q, made) == ["normal", "vip"]
    with pytest.raises(ValueError, match="unknown key"):
        names(q, made, keys=["age"])


def test_void_and_called_tickets_are_no_candidates(q: Queue) -> None:
    made = make(
        q, [{"name": "void", "minute": 1}, {"name": "called", "minute": 2}, {"name": "w", "minute": 3}]
    )
    Ticket.objects.filter(pk=made["void"].pk).update(status=Ticket.Status.VOID)
    Ticket.objects.filter(pk=made["called"].pk).update(status=Ticket.Status.CALLED)
    assert names(q, made) == ["w"]


STARVATION_TABLE = [
    pytest.param(
        3, ["V1", "V2", "V3", "N1", "V4", "V5", "V6", "N2"], id="three priority calls, then a normal one"
    ),
    pytest.param(
        1,
        ["V1", "N1", "V2", "N2", "V3", "V4", "V5", "V6"],
        id="alternating; priority again when no normal waits",
    ),
    pytest.param(0, ["V1", "V2", "V3", "V4", "V5", "V6", "N1", "N2"], id="0: no limit"),
]


@pytest.mark.parametrize(("run", "expected"), STARVATION_TABLE)
def test_priority_does_not_starve_the_others(q: Queue, run: int, expected: list[str]) -> None:
    made = {}
    for i in range(1, 3):
        made[f"N{i}"] = q.issue(q.a, at(9, i))
    for i in range(1, 7):
        made[f"V{i}"] = q.issue(q.a, at(9, 10 + i), priority=True)
    by_pk = {t.pk: name for name, t in made.items()}
    called = []
    with override_settings(QUEUE_PRIORITY_RUN=run):
        for minute in range(len(made)):
            ticket = ticket_call_next(window=q.z01, actor=q.clerk, now=at(10, minute))
            assert ticket is not None
            called.append(by_pk[ticket.pk])
            ticket_finish(ticket=ticket, actor=q.clerk, now=at(10, minute, 30))
    assert called == expected


@pytest.mark.parametrize("keys", [None, ["queued_at", "number"]], ids=["default order", "time only"])
def test_a_transfer_keeps_the_place(q: Queue, keys: list[str] | None) -> None:
    """B001 (9:00) is called at A01, then transferred to business A: it waits again with its
    9:00 place, so Z01 calls it before A001 (9:05) — by the `transferred` key, and by its time
    alone when the order has no such key."""
    b1 = q.issue(q.b, at(9, 0))
    a1 = q.issue(q.a, at(9, 5))
    called = ticket_call_next(window=q.a01, actor=q.clerk_a, now=at(10))
    assert called is not None and called.pk == b1.pk
    moved = ticket_transfer(
        ticket=called, actor=q.clerk_a, to_business=q.a, note="综合窗口办理", now=at(10, 1)
    )
    assert (moved.status, moved.transferred, moved.queued_at, moved.business_id) == (
        Ticket.Status.WAITING,
        True,
        at(9, 0),
        q.a.pk,
    )
    assert moved.number == "B001" and moved.window_id is None
    settings_order = {"QUEUE_CALL_ORDER": keys} if keys else {}
    with override_settings(**settings_order):
        nxt = ticket_call_next(window=q.z01, actor=q.clerk, now=at(10, 2))
    assert nxt is not None and nxt.pk == b1.pk
    assert Ticket.objects.get(pk=a1.pk).status == Ticket.Status.WAITING


def test_a_transfer_to_a_window_is_called_there_only(q: Queue) -> None:
    a1 = q.issue(q.a, at(9, 0))
    q.issue(q.a, at(9, 5))
    called = ticket_call_next(window=q.z01, actor=q.clerk, now=at(10))
    assert called is not None and called.pk == a1.pk
    ticket_transfer(ticket=called, actor=q.clerk, to_window=q.a01, now=at(10, 1))
    again = ticket_call_next(window=q.z01, actor=q.clerk, now=at(10, 2))
    assert again is not None and again.number == "A002"  # A001 now waits for A01 only
    ticket_finish(ticket=again, actor=q.clerk, now=at(10, 3))
    assert ticket_call_next(window=q.z01, actor=q.clerk, now=at(10, 4)) is None
    there = ticket_call_next(window=q.a01, actor=q.clerk_a, now=at(10, 5))
    assert there is not None and there.pk == a1.pk


@pytest.mark.parametrize("seed", range(4))
def test_next_candidates_equals_the_call_order_on_random_queues(q: Queue, seed: int) -> None:
    """Random queues of both business types with every flag (and appointments not yet due): the
    two short reads give what the one sorted read gives, at both windows."""
    import random

    rng = random.Random(seed)
    specs: list[dict[str, Any]] = []
    for i in range(40):
        spec: dict[str, Any] = {"name": f"t{i}", "minute": rng.randrange(0, 50)}
        spec["business"] = rng.choice(["A", "B"])
        roll = rng.random()
        if roll < 0.1:
            spec["priority"] = True
        elif roll < 0.15:
            spec["pinned"] = True
        elif roll < 0.2:
            spec["transferred"] = True
        elif roll < 0.3:
            spec["due_in"] = rng.choice([-10, 5, 40, 120])
        elif roll < 0.33:
            spec["target"] = rng.choice(["A01", "Z01"])
        if rng.random() < 0.2:
            spec["queued_minute"] = rng.randrange(0, 50)
        specs.append(spec)
    made = make(q, specs)
    by_pk = {t.pk: name for name, t in made.items()}
    for window in (q.org.general_window, q.org.window_a):
        full = [by_pk[pk] for pk in call_order(window, now=NOW).values_list("pk", flat=True)]
        for limit in (1, 3, 8, len(full)):
            assert [by_pk[t.pk] for t in next_candidates(window, now=NOW, limit=limit)] == full[:limit]
