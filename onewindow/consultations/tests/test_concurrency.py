"""Two staff members reply at the same moment (two threads, two connections): one reply is
written, the other gets a Conflict; the applicant gets one SMS."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from onewindow.cases.tests.conftest import load_calendar_2026
from onewindow.consultations import services
from onewindow.consultations.models import ConsultationMessage, ConsultationWait
from onewindow.core.errors import Conflict
from onewindow.identity.sessions import Applicant
from onewindow.notifications.models import OutboxMessage
from tests.applicants import make_person
from tests.factories import make_item


@pytest.mark.django_db(transaction=True)
def test_two_replies_at_once_one_wins(org: Any) -> None:
    load_calendar_2026()
    make_item(org, code="SC001")
    applicant = Applicant(person=make_person(phone="13900000001"))
    c = services.consultation_ask(applicant=applicant, subject="问", body="问题", item_code="SC001")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def reply(user: Any) -> None:
        try:
            barrier.wait()
            services.consultation_reply(consultation_id=c.pk, actor=user, body="答复", version=1)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        except BaseException as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=reply, args=(org.user(name),)) for name in ("scjg-reviewer", "scjg-chief")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert ConsultationMessage.objects.filter(author="staff").count() == 1
    assert ConsultationWait.objects.get().answered_at is not None
    assert OutboxMessage.objects.filter(template_code="consultation_answered").count() == 1
