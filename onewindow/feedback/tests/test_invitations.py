"""The SMS invitation after completion and the one reminder 3 days later (feedback.tasks)."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.models import Case
from onewindow.cases.tests.conftest import at
from onewindow.feedback import tasks
from onewindow.feedback.invitations import evaluation_invitations_send, evaluation_reminders_send
from onewindow.feedback.services import evaluation_submit
from onewindow.feedback.tests.occasion_helpers import delivered_case, occasion_of, token_of
from onewindow.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def sms(code: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template_code=code).order_by("id"))


def test_one_invitation_then_one_reminder(cx: Any) -> None:
    case = delivered_case(cx)
    with at("2026-11-02 11:00"):
        assert tasks.evaluation_invitations.call_local() == 1
        assert evaluation_invitations_send() == 0  # claimed: never twice
    [invitation] = sms("evaluation_invitation")
    assert invitation.recipient == case.applicant_phone
    assert f"/evaluate/{token_of(case)}/?via=sms" in invitation.body
    assert case.display_number in invitation.body and "张三" not in invitation.body
    assert occasion_of(case).invited_at is not None
    with at("2026-11-05 10:59"):
        assert evaluation_reminders_send() == 0  # not 3 days yet
    with at("2026-11-05 11:00"):
        assert evaluation_reminders_send() == 1
    with at("2026-11-09 11:00"):
        assert evaluation_reminders_send() == 0  # one reminder only
    [reminder] = sms("evaluation_reminder")
    assert "2026年12月2日" in reminder.body and "?via=sms" in reminder.body


def test_nothing_for_an_evaluated_or_closed_occasion_or_at_night(cx: Any) -> None:
    case = delivered_case(cx)
    with at("2026-11-02 22:00"):
        assert evaluation_invitations_send() == 0  # 08:00–20:00 only
    with at("2026-11-03 09:00"):
        assert evaluation_invitations_send() == 1
        evaluation_submit(occasion=occasion_of(case), level="satisfied", tags=[], text="", channel="sms")
    with at("2026-11-07 09:00"):
        assert evaluation_reminders_send() == 0
    late = delivered_case(cx, "2026-11-02 10:00")
    with at("2026-12-03 09:00"):
        assert evaluation_invitations_send() == 0  # closed after 30 days
    assert occasion_of(late).invited_at is None


def test_no_invitation_without_a_phone_or_for_a_sub_case(cx: Any) -> None:
    no_phone = delivered_case(cx)
    Case.objects.filter(pk=no_phone.pk).update(applicant_phone="")
    sub_case = delivered_case(cx)
    Case.objects.filter(pk=sub_case.pk).update(joint=True)
    with at("2026-11-02 11:00"):
        assert evaluation_invitations_send() == 0
    assert not sms("evaluation_invitation")


def test_only_completed_occasions_are_invited(cx: Any) -> None:
    case = delivered_case(cx)
    with at("2026-11-02 11:00"):
        evaluation_invitations_send()
    assert occasion_of(case, "accepted").invited_at is None
