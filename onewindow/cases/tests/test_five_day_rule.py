"""《行政许可法》第32条: unanswered for 5 working days → accepted from the day of receipt."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onewindow.cases import tasks
from onewindow.cases.models import CaseEvent, CaseStep
from onewindow.cases.services import case_deem_accept_overdue
from onewindow.cases.tests.conftest import act, at, intake, item, items_of, local, submit_online
from onewindow.core.models import AuditEntry


@pytest.mark.django_db
def test_deemed_accepted_from_the_day_of_receipt_and_not_a_moment_before(cx: Any) -> None:
    version = item(cx, promised_limit=10)
    with at("2026-09-30 10:00"):
        case = submit_online(cx, version)
        case = act(case, "pre_review_pass", cx.user("clerk"))
    assert case.answer_due_at == local("2026-10-13 23:59:59.999999")
    with at("2026-10-13 23:59:59.999999"):
        assert case_deem_accept_overdue() == 0
    case.refresh_from_db()
    assert case.status == "received"
    with at("2026-10-14 00:00:00"):
        assert case_deem_accept_overdue() == 1
        assert case_deem_accept_overdue() == 0  # safe to run twice
    case.refresh_from_db()
    assert case.status == "accepted" and case.deemed_accepted
    assert case.accepted_on == dt.date(2026, 9, 30)
    assert case.number.startswith("DEMO20260930")
    assert case.due_at == local("2026-10-20 23:59:59")  # 10 working days after 09-30
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.action == "deem_accept" and event.actor is None and event.actor_name == "system"
    assert event.data["received_on"] == "2026-09-30"
    assert CaseEvent.objects.filter(case=case, action="deem_accept").count() == 1
    # the deemed acceptance finishes 受理 too, with no handler; 审查 is active
    accepted, review = CaseStep.objects.filter(case=case, position__in=(1, 2)).order_by("position")
    assert (accepted.status, accepted.handler, accepted.result) == ("done", None, "pass")
    assert review.status == "active" and case.active_step_position == 2
    # the event is the audit record (ADR 0009): no duplicate AuditEntry
    assert not AuditEntry.objects.filter(object_id=str(case.pk), action__startswith="case.").exists()


@pytest.mark.django_db
def test_answered_applications_are_not_deemed(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-30 10:00"):
        corrected = intake(cx, version, action="correct", correction_items=items_of(version))
        refused = intake(cx, version, action="refuse", note="不予受理")
    with at("2026-11-30 10:00"):
        assert case_deem_accept_overdue() == 0
    for case in (corrected, refused):
        status = case.status
        case.refresh_from_db()
        assert case.status == status


@pytest.mark.django_db
def test_received_corrections_restart_the_five_days(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-01 10:00"):
        case = intake(cx, version, action="correct", correction_items=items_of(version))
    with at("2026-09-21 10:00"):
        case = act(case, "receive_correction", cx.user("clerk"))
    assert case.answer_due_at == local("2026-09-29 23:59:59.999999")  # 22, 23, 24, (25 holiday), 28, 29
    with at("2026-09-29 12:00"):
        assert case_deem_accept_overdue() == 0
    with at("2026-09-30 08:00"):
        assert tasks.deem_accept_overdue.call_local() == 1
    case.refresh_from_db()
    assert case.accepted_on == dt.date(2026, 9, 21)


@pytest.mark.django_db
def test_an_online_application_counts_from_its_submission_even_unreviewed(cx: Any) -> None:
    """Online, the 5 working days run from the submission: a pre-review that never comes does
    not stop them (the case is deemed accepted from the day it was submitted)."""
    version = item(cx)
    with at("2026-09-30 10:00"):
        waiting = submit_online(cx, version)
    assert waiting.answer_due_at == local("2026-10-13 23:59:59.999999")
    with at("2026-10-13 23:00"):
        assert case_deem_accept_overdue() == 0
    with at("2026-10-14 00:00"):
        assert case_deem_accept_overdue() == 1
    waiting.refresh_from_db()
    assert waiting.status == "accepted" and waiting.deemed_accepted
    assert waiting.accepted_on == dt.date(2026, 9, 30)
