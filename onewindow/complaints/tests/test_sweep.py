"""The complaints' share of the supervision sweep: yellow (a reminder SMS to the chiefs), red (one
supervision order, however many sweeps)."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.complaints.models import Complaint, ComplaintEvent
from onewindow.notifications.models import OutboxMessage
from onewindow.supervision.models import SupervisionOrder
from onewindow.supervision.sweep import sweep

from .conftest import act, at, local, register

pytestmark = pytest.mark.django_db


def test_yellow_then_red_once(cx: Any) -> None:
    chief = cx.user("scjg-chief")
    chief.phone = "13700000001"
    chief.save(update_fields=["phone"])
    with at("2026-11-02 10:00"):
        c = register(cx, department="SCJG").complaint
    result = sweep(now=local("2026-11-06 12:00"))  # before warn_at (11-06 23:59:59)
    assert result.counts["complaint_yellow"] == 0
    with at("2026-11-07 09:00"):
        result = sweep(now=local("2026-11-07 09:00"))
    assert result.counts["complaint_yellow"] == 1
    assert result.summary()
    c.refresh_from_db()
    assert c.level == 1
    reminder = OutboxMessage.objects.get(template_code="complaint_reminder")
    assert reminder.recipient == "13700000001" and c.number in reminder.body
    assert sweep(now=local("2026-11-07 09:01")).counts["complaint_yellow"] == 0  # once
    for minute in ("10", "11"):
        with at(f"2026-11-10 00:{minute}"):
            sweep(now=local(f"2026-11-10 00:{minute}"))
    c.refresh_from_db()
    assert c.level == 2
    order = SupervisionOrder.objects.get(subject_kind="complaint", subject_ref=c.number)
    assert order.department == cx.dept_a and order.case_id is None
    assert list(ComplaintEvent.objects.filter(complaint=c).values_list("action", flat=True)) == [
        "register",
        "assign",
        "yellow",
        "red",
    ]


def test_answered_ones_are_not_swept(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx, department="SCJG").complaint
        act(c, "answer", cx.user("scjg-chief"), answer="已答复")
    result = sweep(now=local("2026-11-20 10:00"))
    assert result.counts["complaint_red"] == 0
    assert Complaint.objects.get(pk=c.pk).level == 0


def test_an_extension_starts_a_new_crossing(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx, department="SCJG").complaint
    sweep(now=local("2026-11-10 09:00"))
    with at("2026-11-10 10:00"):
        c = act(c, "extend", cx.user("supervisor"), days=2, reason="需要调取监控")
    assert c.level == 0 and c.due_at == local("2026-11-11 23:59:59")
    sweep(now=local("2026-11-12 09:00"))
    assert SupervisionOrder.objects.filter(subject_ref=c.number).count() == 2
