"""The services of calling: call next, call one (the FIFO guard), recall limit, skip, start,
finish (the evaluation occasion), transfer, pin, void, link a case, the "almost your turn" SMS."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from onewindow.core import context
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.feedback.models import ServiceOccasion
from onewindow.hall.calling import (
    ticket_call,
    ticket_call_next,
    ticket_finish,
    ticket_link_case,
    ticket_pin,
    ticket_recall,
    ticket_skip,
    ticket_start,
    ticket_transfer,
    ticket_void,
)
from onewindow.hall.models import Announcement, HallBoard, Ticket, TicketEvent, WindowState
from onewindow.hall.tests.queue_helpers import Queue, at, build_queue
from onewindow.hall.window_status import window_close, window_pause
from onewindow.notifications.models import OutboxMessage


@pytest.fixture
def q(org: Any) -> Queue:
    return build_queue(org)


def test_call_next_claims_announces_and_records(q: Queue) -> None:
    a1 = q.issue(q.a, at(9))
    token = context.set_current(context.RequestContext(ip="10.0.0.7"))
    try:
        ticket = ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 10))
    finally:
        context.reset(token)
    assert ticket is not None and ticket.pk == a1.pk
    assert (ticket.status, ticket.window_id, ticket.staff_id) == (Ticket.Status.CALLED, q.z01.pk, q.clerk.pk)
    assert ticket.first_called_at == ticket.called_at == at(9, 10)
    assert ticket.version == 2 and ticket.wait_seconds == 600
    event = TicketEvent.objects.get(ticket=ticket, kind=TicketEvent.Kind.CALLED)
    assert (event.actor_id, event.window_id, event.client_ip) == (q.clerk.pk, q.z01.pk, "10.0.0.7")
    assert Announcement.objects.get(kind=Announcement.Kind.CALL).text == "请A001号，到Z01号窗口"
    assert WindowState.objects.get(pk=q.z01.pk).current_id == ticket.pk
    assert HallBoard.objects.get(center=q.org.center).version > 0


def test_nobody_waits_busy_and_not_open(q: Queue) -> None:
    assert ticket_call_next(window=q.z01, actor=q.clerk, now=at(9)) is None
    q.issue(q.a, at(9))
    q.issue(q.a, at(9, 1))
    first = ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 5))
    with pytest.raises(Conflict) as busy:
        ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 6))
    assert busy.value.code == "window_busy"
    assert first is not None
    ticket_finish(ticket=first, actor=q.clerk, now=at(9, 7))
    window_pause(window=q.z01, actor=q.clerk, now=at(9, 8))
    with pytest.raises(Conflict) as paused:
        ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 9))
    assert paused.value.code == "window_not_open"


def test_only_the_seated_clerk_calls(q: Queue) -> None:
    q.issue(q.a, at(9))
    with pytest.raises(PermissionDenied):
        ticket_call_next(window=q.a01, actor=q.clerk, now=at(9, 5))
    # hall.manage_queue calls at any window of the center
    assert ticket_call_next(window=q.a01, actor=q.leader, now=at(9, 5)) is not None


FIFO_TABLE = [
    pytest.param({}, "earlier_ticket_waiting", id="a later normal ticket: refused"),
    pytest.param({"priority": True}, None, id="priority: allowed"),
    pytest.param({"pinned": True}, None, id="pinned: allowed"),
    pytest.param({"transferred": True}, None, id="transferred: allowed"),
    pytest.param({"due_at": at(9, 55)}, None, id="a due appointment: allowed"),
    pytest.param({"due_at": at(11)}, "earlier_ticket_waiting", id="an appointment not yet due: refused"),
]


@pytest.mark.parametrize(("fields", "refusal"), FIFO_TABLE)
def test_fifo_guard(q: Queue, fields: dict[str, Any], refusal: str | None) -> None:
    q.issue(q.a, at(9))
    later = q.issue(q.a, at(9, 5))
    Ticket.objects.filter(pk=later.pk).update(**fields)
    later.refresh_from_db()
    if refusal is None:
        assert ticket_call(ticket=later, window=q.z01, actor=q.clerk, now=at(9, 50)).status == "called"
    else:
        with pytest.raises(Conflict) as refused:
            ticket_call(ticket=later, window=q.z01, actor=q.clerk, now=at(9, 50))
        assert refused.value.code == refusal and refused.value.details == {"earlier": "A001"}


def test_fifo_guard_ignores_other_businesses_and_reserved_tickets(q: Queue) -> None:
    q.issue(q.b, at(8, 50))  # another business
    reserved = q.issue(q.a, at(8, 55))
    Ticket.objects.filter(pk=reserved.pk).update(target_window=q.a01)
    mine = q.issue(q.a, at(9))
    assert ticket_call(ticket=mine, window=q.z01, actor=q.clerk, now=at(9, 5)).pk == mine.pk


def test_a_ticket_called_elsewhere_is_refused(q: Queue) -> None:
    a1 = q.issue(q.a, at(9))
    ticket_call_next(window=q.a01, actor=q.clerk_a, now=at(9, 1))
    a1.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        ticket_call(ticket=a1, window=q.z01, actor=q.clerk, now=at(9, 2))
    assert refused.value.code == "already_called"
    other = q.issue(q.a, at(9, 3))
    Ticket.objects.filter(pk=other.pk).update(target_window=q.a01)
    other.refresh_from_db()
    with pytest.raises(Conflict) as elsewhere:
        ticket_call(ticket=other, window=q.z01, actor=q.clerk, now=at(9, 4))
    assert elsewhere.value.code == "other_window"
    b1 = q.issue(q.b, at(9, 5))
    with pytest.raises(Conflict) as unserved:
        ticket_call(ticket=b1, window=q.z01, actor=q.clerk, now=at(9, 6))
    assert unserved.value.code == "not_served_here"


@override_settings(QUEUE_MAX_RECALLS=3)
def test_recall_at_most_three_times_then_skip_with_a_reason(q: Queue) -> None:
    q.issue(q.a, at(9))
    ticket = ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 1))
    assert ticket is not None
    for minute in (2, 3, 4):
        ticket = ticket_recall(ticket=ticket, actor=q.clerk, now=at(9, minute))
    assert ticket.recalls == 3 and ticket.called_at == at(9, 4) and ticket.first_called_at == at(9, 1)
    with pytest.raises(Conflict) as limit:
        ticket_recall(ticket=ticket, actor=q.clerk, now=at(9, 5))
    assert limit.value.code == "recall_limit"
    assert Announcement.objects.filter(kind=Announcement.Kind.RECALL).count() == 3
    with pytest.raises(ValidationFailed):
        ticket_skip(ticket=ticket, actor=q.clerk, reason="  ", now=at(9, 6))
    skipped = ticket_skip(ticket=ticket, actor=q.clerk, reason="三次呼叫未到", now=at(9, 6))
    assert (skipped.status, skipped.close_reason, skipped.closed_at) == ("skipped", "三次呼叫未到", at(9, 6))
    assert WindowState.objects.get(pk=q.z01.pk).current_id is None


def test_start_finish_records_a_window_visit(q: Queue) -> None:
    q.issue(q.a, at(9))
    ticket = ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 1))
    assert ticket is not None
    ticket = ticket_start(ticket=ticket, actor=q.clerk, now=at(9, 2))
    assert ticket.status == "serving"
    with pytest.raises(Conflict):
        window_close(window=q.z01, actor=q.clerk, now=at(9, 3))
    ticket = ticket_finish(ticket=ticket, actor=q.clerk, now=at(9, 12))
    assert (ticket.status, ticket.service_seconds) == ("served", 600)
    occasion = ServiceOccasion.objects.get()
    assert (occasion.kind, occasion.ticket, occasion.window_id, occasion.staff_id) == (
        ServiceOccasion.Kind.WINDOW_VISIT,
        "A001",
        q.z01.pk,
        q.clerk.pk,
    )
    assert WindowState.objects.get(pk=q.z01.pk).current_id is None


def test_a_linked_case_covers_the_visit(q: Queue) -> None:
    from onewindow.cases.tests.conftest import intake, load_calendar_2026
    from tests.factories import make_item

    load_calendar_2026()
    case = intake(q.org, make_item(q.org))
    ServiceOccasion.objects.all().delete()
    q.issue(q.a, at(9))
    ticket = ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 1))
    assert ticket is not None
    ticket = ticket_link_case(ticket=ticket, case=case, actor=q.clerk, now=at(9, 5))
    assert list(ticket.cases.all()) == [case]
    assert TicketEvent.objects.filter(ticket=ticket, kind="case_linked").exists()
    ticket_finish(ticket=ticket, actor=q.clerk, now=at(9, 10))
    assert not ServiceOccasion.objects.exists()


def test_version_conflict(q: Queue) -> None:
    q.issue(q.a, at(9))
    ticket = ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 1))
    assert ticket is not None
    with pytest.raises(Conflict) as stale:
        ticket_start(ticket=ticket, actor=q.clerk, now=at(9, 2), version=ticket.version - 1)
    assert stale.value.code == "version_conflict"
    assert ticket_start(ticket=ticket, actor=q.clerk, now=at(9, 2), version=ticket.version).version == 3


def test_pin_and_void_by_the_issuer_or_a_manager(q: Queue) -> None:
    first = q.issue(q.a, at(9))
    second = q.issue(q.a, at(9, 1))
    with pytest.raises(PermissionDenied):
        ticket_pin(ticket=second, actor=q.clerk, now=at(9, 2))
    pinned = ticket_pin(ticket=second, actor=q.leader, now=at(9, 2))
    assert pinned.pinned
    voided = ticket_void(ticket=first, actor=q.kiosk, reason="未打印成功", now=at(9, 3))
    assert voided.status == "void"
    called = ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 4))
    assert called is not None and called.pk == second.pk
    with pytest.raises(Conflict):
        ticket_void(ticket=called, actor=q.leader, now=at(9, 5))


def test_transfer_rules(q: Queue) -> None:
    q.issue(q.a, at(9))
    ticket = ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 1))
    assert ticket is not None
    with pytest.raises(ValidationFailed):
        ticket_transfer(ticket=ticket, actor=q.clerk, now=at(9, 2))
    moved = ticket_transfer(ticket=ticket, actor=q.clerk, to_window=q.a01, to_business=q.b, now=at(9, 2))
    event = TicketEvent.objects.get(ticket=moved, kind="transferred")
    assert (event.from_business_id, event.to_business_id, event.from_window_id, event.to_window_id) == (
        q.a.pk,
        q.b.pk,
        q.z01.pk,
        q.a01.pk,
    )
    assert Announcement.objects.filter(kind="transfer", window=q.a01).count() == 1
    assert WindowState.objects.get(pk=q.z01.pk).current_id is None
    # a waiting ticket: only hall.manage_queue moves it
    with pytest.raises(PermissionDenied):
        ticket_transfer(ticket=moved, actor=q.clerk, to_window=q.z01, now=at(9, 3))
    assert (
        ticket_transfer(ticket=moved, actor=q.leader, to_window=q.z01, now=at(9, 3)).target_window_id
        == q.z01.pk
    )


@override_settings(QUEUE_ALMOST_AHEAD=3)
def test_almost_your_turn_sms_once(q: Queue) -> None:
    phones = {3: "13800138003", 5: "13800138005"}
    tickets = [q.issue(q.a, at(9, i), phone=phones.get(i, "")) for i in range(7)]

    def sent() -> list[str]:
        rows = OutboxMessage.objects.filter(template_code="queue_almost").order_by("pk")
        return [m.related_id for m in rows]

    ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 30))
    # waiting A002..A007: A004 has 2 ahead → its SMS; A006 has 4 ahead → not yet
    assert sent() == [str(tickets[3].pk)]
    body = OutboxMessage.objects.get(related_id=str(tickets[3].pk)).body
    assert "A004" in body and "前面还有2人" in body
    assert Ticket.objects.get(pk=tickets[3].pk).almost_sms_at == at(9, 30)
    ticket_call_next(window=q.a01, actor=q.clerk_a, now=at(9, 31))
    # waiting A003..A007: A006 has 3 ahead → its SMS; A004 never twice
    assert sent() == [str(tickets[3].pk), str(tickets[5].pk)]
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.SMS_SENT).count() == 2
