"""Two handlers answer at the same moment (two threads, two connections): one answer is
written, the other gets a Conflict; the complainant gets one SMS. Two registrations at once get
two numbers of the day."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from onewindow.cases.tests.conftest import load_calendar_2026
from onewindow.complaints import services
from onewindow.complaints.models import Complaint, ComplaintEvent
from onewindow.core.errors import Conflict
from onewindow.notifications.models import OutboxMessage


def _race(work: Callable[[Any], Any], args: list[Any]) -> list[str]:
    barrier = threading.Barrier(len(args))
    outcomes: list[str] = []

    def run(arg: Any) -> None:
        try:
            barrier.wait()
            work(arg)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        except BaseException as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_one_wins(org: Any) -> None:
    load_calendar_2026()
    c = services.complaint_register(
        actor=org.user("clerk"), title="态度", content="内容", phone="13900000005", department="SCJG"
    ).complaint

    def answer(user: Any) -> None:
        services.complaint_act(number=c.number, action="answer", version=c.version, actor=user, answer="答复")

    assert _race(answer, [org.user("scjg-chief"), org.user("supervisor")]) == ["conflict", "ok"]
    assert ComplaintEvent.objects.filter(complaint=c, action="answer").count() == 1
    assert OutboxMessage.objects.filter(template_code="complaint_answered").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_once_get_two_numbers(org: Any) -> None:
    load_calendar_2026()

    def register(user: Any) -> None:
        services.complaint_register(actor=user, title="t", content="c")

    assert _race(register, [org.user("clerk"), org.user("supervisor")]) == ["ok", "ok"]
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 2 and numbers[0][-4:] == "0001" and numbers[1][-4:] == "0002"
