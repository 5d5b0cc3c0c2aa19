"""Reminders (催办) by SMS: switched on by the rule (the item's rule over the center's), one
outbox message per crossing to the handler's phone, never two, the phone masked in the log."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest

from onewindow.cases.models import CaseStep
from onewindow.cases.tests.conftest import act, at, handler, intake, item, local
from onewindow.notifications.models import OutboxMessage
from onewindow.supervision import services
from onewindow.supervision.models import Reminder
from onewindow.supervision.sweep import sweep

PHONE = "13800138000"


def returned_case(cx: Any, *, phone: str = PHONE, **kwargs: Any) -> tuple[Any, CaseStep]:
    """A case returned on 2026-09-02 to its review step, which is assigned to the reviewer (its
    earlier handler) and due at the end of 09-08 (yellow from 09-07 00:00)."""
    version = item(cx, promised_limit=10, **kwargs)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
        case = act(case, "pass_step", handler(cx, case), opinion="审查通过")
    with at("2026-09-02 10:00"):
        case = act(case, "return_step", handler(cx, case), to_position=2, reason="材料需补充核查")
    review = CaseStep.objects.get(case=case, position=2)
    assert review.status == "active" and review.assignee == cx.user("scjg-reviewer")
    review.assignee.phone = phone
    review.assignee.save(update_fields=["phone"])
    return case, review


def sms() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template_code="reminder"))


def switch_on(cx: Any, *, on: bool = True, item: Any = None) -> None:
    with at("2026-09-01 08:00"):
        services.supervision_rule_save(
            actor=cx.user("supervisor"), yellow_days=1, yellow_percent=20, remind_by_sms=on, item=item
        )


@pytest.mark.django_db
def test_a_yellow_step_texts_its_handler_once(cx: Any) -> None:
    switch_on(cx)
    case, review = returned_case(cx)
    assert sweep(now=review.warn_at - dt.timedelta(microseconds=1)).counts["reminder_sms"] == 0
    for _ in range(2):
        sweep(now=review.warn_at)
    [message] = sms()
    reminder = Reminder.objects.get(step=review)
    assert message.recipient == PHONE and message.related_type == "supervision.reminder"
    assert message.related_id == str(reminder.pk)
    assert case.number in message.body and review.name in message.body and "2026-09-" in message.body
    # red, and a later sweep, send nothing more
    sweep(now=review.due_at + dt.timedelta(seconds=1))
    sweep(now=local("2026-09-20 08:00"))
    assert len(sms()) == 1 and Reminder.objects.filter(step=review).count() == 1


@pytest.mark.django_db
def test_no_text_when_switched_off_or_without_a_handler(cx: Any) -> None:
    _case, review = returned_case(cx)  # no rule: off by default
    unassigned_version = item(cx, promised_limit=10)
    with at("2026-09-01 10:00"):
        unassigned = intake(cx, unassigned_version)
    sweep(now=review.warn_at)
    assert Reminder.objects.filter(step=review).exists() and sms() == []
    switch_on(cx)
    sweep(now=local("2026-09-06 00:00"))  # the unassigned review step (due 09-07) turns yellow
    step = CaseStep.objects.get(case=unassigned, position=2)
    assert step.level == 1 and step.assignee is None
    assert Reminder.objects.filter(step=step, handler__isnull=True).exists() and sms() == []


@pytest.mark.django_db
def test_the_items_rule_wins_over_the_centers(cx: Any) -> None:
    _case, review = returned_case(cx)
    switch_on(cx, on=True)
    switch_on(cx, on=False, item=review.case.item_version.item)
    sweep(now=review.warn_at)
    assert Reminder.objects.filter(step=review).exists() and sms() == []


@pytest.mark.django_db
def test_a_bad_phone_leaves_the_reminder_and_a_masked_log(cx: Any, caplog: Any) -> None:
    switch_on(cx)
    _case, review = returned_case(cx, phone="1380013800A")
    with caplog.at_level(logging.WARNING, logger="onewindow.supervision.reminders"):
        sweep(now=review.warn_at)
    assert Reminder.objects.filter(step=review).exists() and sms() == []
    assert "not queued" in caplog.text and "1380013800A" not in caplog.text
