"""The complaint workflow: registration, the state table and its refusals, the limit across the
National Day holiday, extension, the call-back, validity and the accountability record."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.complaints import deadlines, numbers, services
from onewindow.complaints.models import ComplaintEvent
from onewindow.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.notifications.models import OutboxMessage
from onewindow.supervision import selectors as supervision_selectors
from onewindow.supervision.models import AccountabilityRecord

from .conftest import act, at, local, register

pytestmark = pytest.mark.django_db


def test_registration_gives_a_number_a_query_code_and_an_sms(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        registered = register(cx)
        second = register(cx, name="", phone="", id_number="")
    c = registered.complaint
    assert c.number == "TS202611020001" and second.complaint.number == "TS202611020002"
    assert len(registered.query_code) == 6 and registered.query_code not in c.query_code_digest
    assert numbers.code_matches(c.number, registered.query_code.lower(), c.query_code_digest)
    assert c.status == "registered" and c.respondent_department == cx.dept_a  # the window's department
    assert c.due_at == local("2026-11-09 23:59:59") and c.warn_at == local("2026-11-06 23:59:59")
    sms = OutboxMessage.objects.get(template_code="complaint_registered")
    assert sms.recipient == "13900000005" and registered.query_code in sms.body and c.number in sms.body
    assert second.complaint.anonymous
    assert OutboxMessage.objects.filter(template_code="complaint_registered").count() == 1
    assert list(ComplaintEvent.objects.filter(complaint=c).values_list("action", flat=True)) == ["register"]


def test_registration_errors_name_the_fields(cx: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        register(
            cx, title="", content="x" * 1001, phone="abc", respondent_window="NOPE", source="online", kind="x"
        )
    assert set(exc.value.details) == {"title", "content", "phone", "respondent_window", "source", "kind"}
    with pytest.raises(PermissionDenied):
        register(cx, user="scjg-reviewer")


def test_the_five_working_day_limit_spans_the_national_day_holiday(cx: Any) -> None:
    with at("2026-09-30 10:00"):
        c = register(cx).complaint
    # 10-08, 10-09, 10-10 (the adjusted Saturday), 10-12, 10-13
    assert c.due_at == local("2026-10-13 23:59:59")
    assert c.warn_at == local("2026-10-12 23:59:59")
    with at("2026-10-15 09:00"):
        act(c, "assign", cx.user("supervisor"), department="SCJG")
        c = act(c, "answer", cx.user("scjg-chief"), answer="已核实并批评教育。")
    assert c.days_overdue == 2 and c.status == "answered"


def test_simple_ones_are_due_the_same_day(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx, kind="on_the_spot").complaint
    assert c.simple and c.due_at == local("2026-11-02 23:59:59") and c.warn_at == local("2026-11-02 19:59:59")


def test_the_whole_workflow_and_its_refusals(cx: Any) -> None:
    clerk, chief, supervisor = cx.user("clerk"), cx.user("scjg-chief"), cx.user("supervisor")
    with at("2026-11-02 10:00"):
        c = register(cx).complaint
        with pytest.raises(InvalidTransition):
            act(c, "answer", supervisor, answer="x")  # not assigned yet
        with pytest.raises(NotFound):
            act(c, "answer", chief, answer="x")  # not SCJG's (yet): out of the chief's scope
        act(c, "assign", clerk, department="SW")
        with pytest.raises(NotFound):
            act(c, "investigate", chief)  # SW's complaint, not SCJG's
        c = act(c, "return", cx.user("sw-chief"), reason="不属于税务局，应为市场监管。")
        assert c.status == "registered" and c.department is None
        act(c, "assign", supervisor, department="SCJG")
        with pytest.raises(Conflict):
            services.complaint_act(number=c.number, action="investigate", version=1, actor=chief)
        c = act(c, "investigate", chief)
        assert c.handler == chief and c.status == "investigating"
        with pytest.raises(ValidationFailed):
            act(c, "answer", chief, answer=" ")
        c = act(c, "answer", chief, answer="已核实，对窗口人员批评教育。")
    assert c.days_overdue == 0 and c.answered_by == chief
    assert OutboxMessage.objects.filter(template_code="complaint_answered").count() == 1
    with pytest.raises(ValidationFailed):
        act(c, "callback", chief, satisfaction="meh")
    c = act(c, "callback", chief, satisfaction="satisfied", note="满意")
    assert c.status == "closed" and c.closed_at is not None
    actions = list(ComplaintEvent.objects.filter(complaint=c).values_list("action", flat=True))
    assert actions == ["register", "assign", "return", "assign", "investigate", "answer", "callback"]
    assert ComplaintEvent.objects.filter(complaint=c, action="return").get().note.startswith("税务局")


def test_not_accepted_with_a_reason_code_still_replies(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx).complaint
        with pytest.raises(ValidationFailed):
            act(c, "not_accept", cx.user("clerk"), reason="whatever", reply="x")
        c = act(c, "not_accept", cx.user("clerk"), reason="review_or_litigation", reply="已在行政复议中。")
    assert c.status == "not_accepted"
    sms = OutboxMessage.objects.get(template_code="complaint_not_accepted")
    assert "行政复议或诉讼" in sms.body and "已在行政复议中" in sms.body
    with pytest.raises(InvalidTransition):
        act(c, "assign", cx.user("supervisor"), department="SCJG")


def test_extension_once_by_the_supervisor(cx: Any) -> None:
    with at("2026-09-30 10:00"):
        c = register(cx, department="SCJG").complaint
    assert c.status == "assigned"
    with pytest.raises(PermissionDenied):
        act(c, "extend", cx.user("scjg-chief"), days=3, reason="需多部门核实")
    with pytest.raises(ValidationFailed):
        act(c, "extend", cx.user("supervisor"), days=0, reason="x")
    c = act(c, "extend", cx.user("supervisor"), days=3, reason="需多部门核实")
    assert c.due_at == local("2026-10-16 23:59:59") and c.warn_at == local("2026-10-15 23:59:59")
    assert c.extension_days == 3 and c.extended_by == cx.user("supervisor")
    with pytest.raises(InvalidTransition) as exc:
        act(c, "extend", cx.user("supervisor"), days=1, reason="再延")
    assert exc.value.code == "already_extended"


def test_validity_and_one_accountability_record(cx: Any) -> None:
    supervisor = cx.user("supervisor")
    with at("2026-11-02 10:00"):
        c = register(cx, department="SCJG", respondent_staff="scjg-reviewer").complaint
        c = act(c, "answer", cx.user("scjg-chief"), answer="属实。")
        with pytest.raises(PermissionDenied):
            act(c, "judge", cx.user("scjg-chief"), valid=True, reason="属实")
        with pytest.raises(ValidationFailed):
            act(c, "judge", supervisor, valid=False, reason="不属实", accountability=True)
        c = act(c, "judge", supervisor, valid=True, reason="经核实属实", accountability=True)
        with pytest.raises(InvalidTransition):
            act(c, "judge", supervisor, valid=True, reason="再判", accountability=True)
    assert c.valid is True and c.judged_by == supervisor
    record = AccountabilityRecord.objects.get(subject_kind="complaint", subject_ref=c.number)
    assert record.department == cx.dept_a and record.person == cx.user("scjg-reviewer")
    assert AccountabilityRecord.objects.filter(subject_ref=c.number).count() == 1
    # judging after the close is possible too; an invalid one creates no record
    with at("2026-11-02 11:00"):
        other = register(cx, department="SCJG").complaint
        other = act(other, "answer", cx.user("scjg-chief"), answer="已处理")
        other = act(other, "callback", cx.user("scjg-chief"), satisfaction="basically")
        act(other, "judge", supervisor, valid=False, reason="不属实")
    assert not AccountabilityRecord.objects.filter(subject_ref=other.number).exists()


def test_the_record_appears_in_supervisions_accountability_list(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx, department="SCJG").complaint
        c = act(c, "answer", cx.user("scjg-chief"), answer="属实。")
        act(c, "judge", cx.user("supervisor"), valid=True, reason="属实", accountability=True)
    listed = supervision_selectors.accountability_records(user=cx.user("supervisor"))
    assert [r.subject_ref for r in listed] == [c.number]


def test_days_overdue_counts_working_days(calendar_2026: None) -> None:
    due = local("2026-09-30 23:59:59")
    assert deadlines.days_overdue(due, local("2026-09-30 20:00")) == 0
    assert deadlines.days_overdue(due, local("2026-10-03 10:00")) == 1  # late, though in the holiday
    assert deadlines.days_overdue(due, local("2026-10-09 10:00")) == 2


def test_a_bad_rating_escalates_to_one_complaint(cx: Any) -> None:
    from onewindow.cases.tests.conftest import intake, item
    from onewindow.feedback.models import ServiceOccasion
    from onewindow.feedback.services import evaluation_submit

    version = item(cx)
    with at("2026-11-02 10:00"):
        case = intake(cx, version)
        occasion = ServiceOccasion.objects.get(case=case)
        good = evaluation_submit(occasion=occasion, level="satisfied", tags=[], text="", channel="qr_code")
        with pytest.raises(ValidationFailed):
            services.complaint_from_evaluation(good, cx.user("supervisor"))
    with at("2026-11-02 11:00"):
        case = intake(cx, version)
        occasion = ServiceOccasion.objects.get(case=case)
        bad = evaluation_submit(
            occasion=occasion, level="very_dissatisfied", tags=[], text="态度差", channel="qr_code"
        )
        with pytest.raises(PermissionDenied):
            services.complaint_from_evaluation(bad, cx.user("scjg-reviewer"))
        c = services.complaint_from_evaluation(bad, cx.user("supervisor")).complaint
        with pytest.raises(Conflict):
            services.complaint_from_evaluation(bad, cx.user("supervisor"))
    assert c.source == "bad_rating" and c.evaluation == bad and c.case == case
    assert c.content == "态度差" and c.complainant_name == case.applicant_name
    assert c.respondent_window == occasion.window and c.respondent_staff == cx.user("clerk")


def test_complaint_events_are_append_only(cx: Any) -> None:
    from django.db import DatabaseError, transaction

    from onewindow.core.append_only import registered_tables

    with at("2026-11-02 10:00"):
        c = register(cx).complaint
    assert "complaints_complaintevent" in registered_tables()
    for change in (
        lambda: ComplaintEvent.objects.filter(complaint=c).update(note="changed"),
        lambda: ComplaintEvent.objects.filter(complaint=c).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert ComplaintEvent.objects.get(complaint=c).note != "changed"
