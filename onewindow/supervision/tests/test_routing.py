"""Reminders (催办) and supervision orders (督办) go to who must act on the step: its assigned
handler, the clerk who received the case for a window step, the holders of its post; the
department chief only when the step has no handler and its post no holder."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onewindow.cases.models import CaseStep
from onewindow.cases.tests.conftest import at, intake, item
from onewindow.core.errors import PermissionDenied
from onewindow.supervision import selectors, services
from onewindow.supervision.models import AccountabilityRecord, Reminder, SupervisionOrder
from onewindow.supervision.sweep import sweep


def review_case(cx: Any) -> tuple[Any, CaseStep]:
    """A case whose review step (审查, SCJG) is active."""
    with at("2026-09-01 10:00"):
        case = intake(cx, item(cx, promised_limit=10))  # accepting finishes 受理
    return case, CaseStep.objects.get(case=case, status="active")


def yellow(step: CaseStep) -> Reminder:
    assert step.warn_at is not None
    sweep(now=step.warn_at)
    return Reminder.objects.get(step=step)


def seen_by(cx: Any, name: str, reminder: Reminder) -> bool:
    return selectors.reminders_for(cx.user(name)).filter(pk=reminder.pk).exists()


@pytest.mark.django_db
def test_a_reminder_goes_to_the_post_not_the_chief(cx: Any) -> None:
    _case, review = review_case(cx)
    reminder = yellow(review)
    assert (reminder.post_id, reminder.handler_id, reminder.to_chief) == (review.post_id, None, False)
    assert seen_by(cx, "scjg-reviewer", reminder)
    assert not seen_by(cx, "scjg-chief", reminder) and not seen_by(cx, "sw-reviewer", reminder)


@pytest.mark.django_db
def test_a_reminder_goes_to_the_assigned_handler(cx: Any) -> None:
    _case, review = review_case(cx)
    CaseStep.objects.filter(pk=review.pk).update(assignee=cx.user("scjg-approver"))
    review.refresh_from_db()
    reminder = yellow(review)
    assert reminder.handler == cx.user("scjg-approver") and not reminder.to_chief
    assert seen_by(cx, "scjg-approver", reminder) and seen_by(cx, "scjg-reviewer", reminder)
    assert not seen_by(cx, "scjg-chief", reminder)


@pytest.mark.django_db
def test_without_handler_or_post_holder_the_chief_must_act(cx: Any) -> None:
    _case, review = review_case(cx)
    reviewer = cx.user("scjg-reviewer")
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    reminder = yellow(review)
    assert reminder.handler_id is None and reminder.to_chief
    assert seen_by(cx, "scjg-chief", reminder) and not seen_by(cx, "sw-chief", reminder)
    with at("2026-09-03 09:00"):
        order = services.order_issue(
            case=review.case, actor=cx.user("supervisor"), demand="说明进度", reply_days=2
        )
    assert order.step_id == review.pk and order.to_chief
    assert selectors.orders_for(cx.user("scjg-chief")).filter(pk=order.pk).exists()
    with at("2026-09-03 10:00"):
        services.order_reply(order=order, actor=cx.user("scjg-chief"), reply="已安排他人办理")


@pytest.mark.django_db
def test_an_overdue_window_step_goes_to_the_clerk_who_received_the_case(cx: Any) -> None:
    # a template whose only step is the window's 受理: accepting leaves it active for the clerk
    version = item(cx, steps=[("受理", "accept", "accept", 1)], promised_limit=10)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    accept = CaseStep.objects.get(case=case, status="active")
    assert accept.kind == "accept" and accept.assignee_id is None
    assert accept.due_at is not None
    sweep(now=accept.due_at + dt.timedelta(hours=9))  # the acceptance step is overdue
    order = SupervisionOrder.objects.get(case=case, key__startswith="step")
    clerk = cx.user("clerk")
    assert (order.step_id, order.post_id, order.handler_id) == (accept.pk, accept.post_id, clerk.pk)
    assert not order.to_chief
    assert AccountabilityRecord.objects.get(step=accept).person == clerk
    assert selectors.orders_for(clerk).filter(pk=order.pk).exists()
    assert not selectors.orders_for(cx.user("scjg-chief")).filter(pk=order.pk).exists()
    # the clerk answers it (the service lets whoever it went to reply)
    with at("2026-09-03 09:00"):
        replied = services.order_reply(order=order, actor=clerk, reply="申请人补充说明后当日办理")
    assert replied.status == "replied"


@pytest.mark.django_db
def test_a_manual_order_goes_to_the_active_steps_post(cx: Any) -> None:
    case, review = review_case(cx)
    with at("2026-09-02 09:00"):
        order = services.order_issue(
            case=case, actor=cx.user("supervisor"), demand="请说明进度", reply_days=2
        )
    assert (order.step_id, order.post_id, order.handler_id, order.to_chief) == (
        review.pk,
        review.post_id,
        None,
        False,
    )
    assert selectors.orders_for(cx.user("scjg-reviewer")).filter(pk=order.pk).exists()
    assert not selectors.orders_for(cx.user("scjg-chief")).filter(pk=order.pk).exists()
    with at("2026-09-02 10:00"), pytest.raises(PermissionDenied):
        services.order_reply(order=order, actor=cx.user("sw-reviewer"), reply="x")
