"""Two sweeps at once (two threads, two connections) create no duplicates, and text each
reminder once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from onewindow.cases.models import CaseStep
from onewindow.cases.tests.conftest import at, intake, item, load_calendar_2026, local
from onewindow.notifications.models import OutboxMessage
from onewindow.supervision.models import (
    AccountabilityRecord,
    Flag,
    Reminder,
    SupervisionOrder,
    SupervisionRule,
)
from onewindow.supervision.sweep import sweep


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_make_no_duplicates(org: Any) -> None:
    load_calendar_2026()
    version = item(org, promised_limit=10)
    with at("2026-09-01 10:00"):
        for _ in range(6):
            intake(org, version)
    # reminders go out by SMS to the assigned reviewer
    SupervisionRule.objects.create(center=org.center, remind_by_sms=True)
    reviewer = org.user("scjg-reviewer")
    reviewer.phone = "13800138000"
    reviewer.save(update_fields=["phone"])
    CaseStep.objects.filter(position=2).update(assignee=reviewer)
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(now: Any) -> None:
        try:
            barrier.wait()
            sweep(now=now, batch_size=2)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    for now in (local("2026-09-05 08:00"), local("2026-09-08 08:00")):
        threads = [threading.Thread(target=run, args=(now,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    reviews = CaseStep.objects.filter(position=2)
    assert reviews.count() == 6 and set(reviews.values_list("level", flat=True)) == {2}
    assert Flag.objects.filter(kind="step_yellow").count() == 6
    assert Flag.objects.filter(kind="step_red").count() == 6
    assert Reminder.objects.count() == 6
    assert AccountabilityRecord.objects.count() == 6
    assert SupervisionOrder.objects.count() == 6
    assert OutboxMessage.objects.filter(template_code="reminder").count() == 6
