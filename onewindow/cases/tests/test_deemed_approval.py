"""超期默认: an overdue step of an item that allows it passes as a system action."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.models import CaseEvent, CaseStep, Notice
from onewindow.cases.services import case_deem_approve_overdue_steps
from onewindow.cases.tests.conftest import act, active_kind, at, handler, intake, item
from onewindow.notifications.models import OutboxMessage


@pytest.mark.django_db
def test_overdue_steps_pass_and_the_decision_is_granted(cx: Any) -> None:
    version = item(cx, deemed_approval_days=2, promised_limit=10)
    plain = item(cx, promised_limit=10)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
        other = intake(cx, plain)
    review = CaseStep.objects.get(case=case, position=2)
    assert review.due_at.date().isoformat() == "2026-09-07"
    with at("2026-09-09 23:59:59"):  # 2 working days after the due date: not yet
        assert case_deem_approve_overdue_steps() == 0
    with at("2026-09-10 00:00:01"):
        assert case_deem_approve_overdue_steps() == 1
        assert case_deem_approve_overdue_steps() == 0
    review.refresh_from_db()
    assert (review.status, review.result, review.opinion, review.handler) == (
        "done",
        "deemed",
        "超期默认",
        None,
    )
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.action == "deem_approve_step" and event.actor is None and event.public
    case.refresh_from_db()
    assert case.status == "in_progress" and active_kind(case) == "approve"
    other.refresh_from_db()
    assert other.version == 2  # no deemed approval for this item
    with at("2026-09-10 10:00"):
        case = act(case, "pass_step", handler(cx, case))  # 审核 → 决定 (due 09-14)
    with at("2026-09-17 00:00:01"):
        assert case_deem_approve_overdue_steps() == 1
    case.refresh_from_db()
    assert case.status == "decided_granted" and case.decision == "granted"
    assert Notice.objects.get(case=case, kind="decision").data["deemed"] is True
    assert OutboxMessage.objects.filter(
        related_id=str(case.pk), template_code="case_deemed_approved"
    ).exists()
