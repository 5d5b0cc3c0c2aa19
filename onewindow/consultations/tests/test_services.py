"""Asking, following up, replying and closing; the waits and their clock; the SMS."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.consultations import services
from onewindow.consultations.levels import consultation_levels_sweep
from onewindow.consultations.models import Consultation, ConsultationWait, Level
from onewindow.consultations.tasks import consultation_levels
from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.identity.sessions import Applicant
from onewindow.notifications.models import OutboxMessage
from tests.applicants import make_person

from .conftest import at


def ask(applicant: Applicant, item: Any = None, **kw: Any) -> Consultation:
    params: dict[str, Any] = {
        "subject": "需要哪些材料？",
        "body": "我的电话13912345678，想问一下开店需要什么材料。",
    }
    if item is not None:
        params["item_code"] = item.item.code
    params.update(kw)
    return services.consultation_ask(applicant=applicant, **params)


def test_ask_about_an_item_goes_to_its_department_with_a_five_minute_deadline(org, item, applicant):
    with clock.frozen_at(at("2026-12-07", "10:00")):
        c = ask(applicant, item)
    assert c.department == org.dept_a and c.item_name == "食品经营许可"
    assert c.applicant_id_number == applicant.person.id_number
    wait = ConsultationWait.objects.get(consultation=c)
    assert wait.warn_at == at("2026-12-07", "10:03") and wait.due_at == at("2026-12-07", "10:05")
    assert AuditEntry.objects.filter(action="consultation.ask", object_id=str(c.pk)).exists()


def test_a_question_at_the_end_of_the_day_is_due_the_next_morning(org, item, applicant):
    with clock.frozen_at(at("2026-12-07", "16:58")):
        c = ask(applicant, item)
    wait = c.waits.get()
    assert wait.due_at == at("2026-12-08", "09:03") and wait.warn_at == at("2026-12-08", "09:01")


def test_a_question_before_a_holiday_is_due_after_it(org, item, applicant):
    with clock.frozen_at(at("2026-09-30", "20:00")):
        c = ask(applicant, item)
    assert c.waits.get().due_at == at("2026-10-08", "09:05")


def test_general_question_needs_a_department(org, calendar_2026, applicant):
    with pytest.raises(ValidationFailed) as exc:
        services.consultation_ask(applicant=applicant, subject="问", body="问题")
    assert "department" in exc.value.details
    c = services.consultation_ask(applicant=applicant, subject="问", body="问题", department_code="SW")
    assert c.department == org.dept_b and c.item is None


def test_bad_input_writes_nothing(org, calendar_2026, applicant):
    with pytest.raises(ValidationFailed) as exc:
        services.consultation_ask(applicant=applicant, subject=" ", body="x" * 2001, item_code="NOPE")
    assert set(exc.value.details) == {"subject", "body", "item"}
    assert not Consultation.objects.exists()


def test_reply_ends_the_wait_and_sends_a_masked_sms(org, item, applicant):
    with clock.frozen_at(at("2026-12-07", "16:58")):
        c = ask(applicant, item, subject="身份证110101199003071234要带吗")
    with clock.frozen_at(at("2026-12-08", "09:02")):
        services.consultation_reply(
            consultation_id=c.pk, actor=org.user("scjg-reviewer"), body="要带。", version=1
        )
    c.refresh_from_db()
    assert c.status == Consultation.Status.ANSWERED and c.version == 2
    wait = c.waits.get()
    assert wait.answered_at == at("2026-12-08", "09:02") and wait.working_minutes == pytest.approx(4)
    assert wait.overdue_days == 0
    sms = OutboxMessage.objects.get(template_code="consultation_answered")
    assert sms.recipient == "13900000001"
    assert "市场监督管理局的答复" in sms.body and "110101199003071234" not in sms.body


def test_late_reply_counts_days_overdue(org, item, applicant):
    with clock.frozen_at(at("2026-12-11", "16:00")):  # a Friday
        c = ask(applicant, item)
    with clock.frozen_at(at("2026-12-14", "10:00")):
        services.consultation_reply(
            consultation_id=c.pk, actor=org.user("scjg-chief"), body="答复", version=1
        )
    wait = c.waits.get()
    assert wait.overdue_days == 1 and wait.answered_at > wait.due_at


def test_follow_up_starts_a_new_wait_only_when_none_is_open(org, item, applicant):
    with clock.frozen_at(at("2026-12-07", "10:00")):
        c = ask(applicant, item)
        services.consultation_follow_up(consultation_id=c.pk, applicant=applicant, body="补充一下")
    assert c.waits.count() == 1
    with clock.frozen_at(at("2026-12-07", "10:02")):
        services.consultation_reply(
            consultation_id=c.pk, actor=org.user("scjg-reviewer"), body="好", version=2
        )
    with clock.frozen_at(at("2026-12-07", "11:59")):
        services.consultation_follow_up(consultation_id=c.pk, applicant=applicant, body="还有一个问题")
    c.refresh_from_db()
    assert c.status == Consultation.Status.WAITING
    newest = c.waits.order_by("-started_at").first()
    assert newest.ended_at is None and newest.due_at == at("2026-12-07", "13:04")


def test_only_the_owner_follows_up(org, item, applicant):
    c = ask(applicant, item)
    other = Applicant(person=make_person(phone="13900000002"))
    with pytest.raises(NotFound):
        services.consultation_follow_up(consultation_id=c.pk, applicant=other, body="?")


def test_staff_scope_and_permission(org, item, applicant):
    c = ask(applicant, item)
    with pytest.raises(NotFound):  # another department's reviewer
        services.consultation_reply(consultation_id=c.pk, actor=org.user("sw-reviewer"), body="x", version=1)
    with pytest.raises(PermissionDenied):  # an approver sees the department but may not reply
        services.consultation_reply(
            consultation_id=c.pk, actor=org.user("scjg-approver"), body="x", version=1
        )
    with pytest.raises(PermissionDenied):  # the supervisor reads only
        services.consultation_reply(consultation_id=c.pk, actor=org.user("supervisor"), body="x", version=1)
    # the clerk at the general window sees the whole center and may reply
    services.consultation_reply(consultation_id=c.pk, actor=org.user("clerk"), body="答复", version=1)


def test_stale_version_is_a_conflict(org, item, applicant):
    c = ask(applicant, item)
    services.consultation_reply(consultation_id=c.pk, actor=org.user("scjg-reviewer"), body="一", version=1)
    with pytest.raises(Conflict) as exc:
        services.consultation_reply(consultation_id=c.pk, actor=org.user("scjg-chief"), body="二", version=1)
    assert exc.value.details == {"version": 2}
    assert c.messages.filter(author="staff").count() == 1


def test_close_ends_an_open_wait_unanswered_and_stops_follow_ups(org, item, applicant):
    c = ask(applicant, item)
    services.consultation_close(consultation_id=c.pk, actor=org.user("scjg-chief"), version=1)
    wait = c.waits.get()
    assert wait.ended_at is not None and wait.answered_at is None
    with pytest.raises(InvalidTransition):
        services.consultation_follow_up(consultation_id=c.pk, applicant=applicant, body="?")
    with pytest.raises(InvalidTransition):
        services.consultation_reply(consultation_id=c.pk, actor=org.user("scjg-chief"), body="x", version=2)


def test_levels_sweep_marks_yellow_at_three_and_red_at_five_working_minutes(org, item, applicant):
    with clock.frozen_at(at("2026-12-07", "11:58")):
        c = ask(applicant, item)  # yellow at 13:01 (lunch), red at 13:03
    wait = c.waits.get()
    assert consultation_levels_sweep(at("2026-12-07", "12:30")) == 0
    assert consultation_levels_sweep(at("2026-12-07", "13:01")) == 1
    wait.refresh_from_db()
    assert wait.level == Level.YELLOW
    with clock.frozen_at(at("2026-12-07", "13:03")):
        assert consultation_levels.call_local() == 1  # the periodic task
    wait.refresh_from_db()
    assert wait.level == Level.RED
    assert consultation_levels_sweep(at("2026-12-07", "14:00")) == 0


def test_answered_waits_do_not_move(org, item, applicant):
    with clock.frozen_at(at("2026-12-07", "10:00")):
        c = ask(applicant, item)
        services.consultation_reply(
            consultation_id=c.pk, actor=org.user("scjg-reviewer"), body="好", version=1
        )
    assert consultation_levels_sweep(at("2026-12-07", "11:00")) == 0
    assert c.waits.get().level == Level.GREEN
