"""The rectification (整改) of a 差评: each transition and refusal, the clocks across holidays."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests.conftest import at, local
from onewindow.core.audit import AuditEntry
from onewindow.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.feedback import rectification_selectors as selectors
from onewindow.feedback.models import Evaluation, RectificationEvent
from onewindow.feedback.rectification_services import actions_for, rectification_act
from onewindow.feedback.tests.rectify_helpers import bad_rating, do

pytestmark = pytest.mark.django_db


def test_the_call_back_is_due_the_next_working_day_across_national_day(cx: Any) -> None:
    with at("2026-09-30 10:00"):
        r = bad_rating(cx)
    assert r.callback_due_at == local("2026-10-08 23:59:59")  # 10-01…07 are holidays
    # one working day or less: yellow when 80 % of the span has passed
    assert local("2026-10-06 00:00") < r.warn_at < r.callback_due_at
    with at("2026-10-09 10:00"):  # Friday: the next working day is the adjusted Saturday
        r2 = bad_rating(cx)
    assert r2.callback_due_at == local("2026-10-10 23:59:59")


def test_a_complex_rating_is_rectified_within_15_working_days_across_national_day(cx: Any) -> None:
    chief = cx.user("scjg-chief")
    with at("2026-09-29 09:00"):
        r = bad_rating(cx)
    with at("2026-09-30 10:00"):
        r = do(r, "callback", chief, reached=True, note="已回访，申请人反映等候太久")
        r = do(r, "classify", chief, classification="complex", explanation="需调整窗口排班")
    assert r.status == "rectifying"
    # 10-08 (1), 10-09 (2), 10-10 adjusted workday (3), 10-12 … 10-27 (15)
    assert r.due_at == local("2026-10-27 23:59:59")
    # yellow with 3 working days left (20 % of 15): from midnight after 10-22
    assert r.warn_at == local("2026-10-23 00:00")
    assert r.level == 0


def test_the_handler_may_set_an_earlier_deadline_never_a_later_one(cx: Any) -> None:
    chief = cx.user("scjg-chief")
    with at("2026-09-30 10:00"):
        r = bad_rating(cx)
        r = do(r, "callback", chief, reached=True, note="已回访")
        with pytest.raises(ValidationFailed) as late:
            do(r, "classify", chief, classification="complex", explanation="x", due_date="2026-10-28")
        assert "2026-10-27" in late.value.details["due_date"][0]
        with pytest.raises(ValidationFailed) as past:
            do(r, "classify", chief, classification="complex", explanation="x", due_date="2026-09-29")
        assert "due_date" in past.value.details
        r = do(r, "classify", chief, classification="complex", explanation="x", due_date="2026-10-12")
    assert r.due_at == local("2026-10-12 23:59:59")


def test_the_whole_run_callback_classify_rectify_inform_close(cx: Any) -> None:
    chief, supervisor = cx.user("scjg-chief"), cx.user("supervisor")
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        assert actions_for(r, chief) == ["callback", "classify"]
        # the call-back and the classification in one step
        r = do(r, "callback", chief, reached=True, note="已回访", classification="reasonable")
        assert r.status == "rectifying" and r.due_at == local("2026-11-02 23:59:59")
        with pytest.raises(ValidationFailed) as empty:
            do(r, "rectify", chief, note=" ")
        assert list(empty.value.details) == ["note"]
        r = do(r, "rectify", chief, note="已对窗口人员批评教育")
        assert r.status == "rectified"
        with pytest.raises(ValidationFailed) as how:
            do(r, "inform", chief, method="pigeon", note="x")
        assert "method" in how.value.details
        r = do(r, "inform", chief, method="phone", note="已电话告知整改结果")
        assert r.status == "informed"
        with pytest.raises(PermissionDenied):
            do(r, "approve", chief)  # the chief handles; a supervisor reviews
        r = do(r, "send_back", supervisor, note="请补充整改材料")
        assert r.status == "rectifying" and r.rectified_at is None
        r = do(r, "rectify", chief, note="补充了排班表")
        r = do(r, "inform", chief, method="sms", note="已短信告知")
        r = do(r, "approve", supervisor, note="同意")
    assert r.status == "closed" and r.closed_at is not None
    events = list(RectificationEvent.objects.filter(rectification=r).values_list("action", "actor__username"))
    assert [a for a, _u in events] == [
        "opened",
        "callback",
        "classify",
        "rectify",
        "inform",
        "send_back",
        "rectify",
        "inform",
        "approve",
    ]
    assert events[-1][1] == "supervisor"
    assert (
        RectificationEvent.objects.filter(rectification=r, action="rectify").first().client_ip == "10.0.0.9"
    )


def test_no_legal_basis_goes_straight_to_informing(cx: Any) -> None:
    chief = cx.user("scjg-chief")
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        r = do(r, "callback", chief, reached=False, note="电话无人接听")
        with pytest.raises(ValidationFailed) as why:
            do(r, "classify", chief, classification="no_legal_basis", explanation="")
        assert "explanation" in why.value.details
        r = do(r, "classify", chief, classification="no_legal_basis", explanation="该要求无法律依据")
    assert r.status == "rectified" and r.callback_reached is False
    assert actions_for(r, chief) == ["inform", "request_void"]


def test_a_real_name_rating_needs_a_call_back_record(cx: Any) -> None:
    chief = cx.user("scjg-chief")
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        with pytest.raises(InvalidTransition) as refused:
            do(r, "classify", chief, classification="reasonable")
        assert refused.value.code == "callback_required"
        anonymous = bad_rating(cx, anonymous=True)
        anonymous = do(anonymous, "classify", chief, classification="reasonable")
    assert anonymous.status == "rectifying"
    rate = selectors.callback_rate(chief)
    assert (rate.called_back, rate.real_name) == (0, 1)
    with at("2026-11-02 11:00"):
        do(r, "callback", chief, reached=True, note="已回访")
    assert selectors.callback_rate(chief).rate == 1.0


def test_refusals_stale_version_wrong_state_unknown_action(cx: Any) -> None:
    chief = cx.user("scjg-chief")
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        with pytest.raises(Conflict):
            rectification_act(
                rectification_id=r.pk,
                action="callback",
                actor=chief,
                version=r.version + 1,
                reached=True,
                note="x",
            )
        with pytest.raises(InvalidTransition) as wrong:
            do(r, "rectify", chief, note="x")
        assert wrong.value.details["allowed"] == ["callback", "classify"]
        with pytest.raises(ValidationFailed):
            do(r, "fly", chief)
        with pytest.raises(ValidationFailed) as reached:
            do(r, "callback", chief, note="x")
        assert "reached" in reached.value.details


def test_another_departments_chief_does_not_find_it(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        with pytest.raises(NotFound):
            do(r, "callback", cx.user("sw-chief"), reached=True, note="x")
        with pytest.raises(NotFound):
            selectors.rectification_for(cx.user("sw-chief"), r.pk)
    assert not selectors.rectifications(cx.user("sw-chief")).exists()
    assert list(selectors.rectifications(cx.user("scjg-chief"))) == [r]
    assert not selectors.rectifications(cx.user("clerk")).exists()  # no permission


def test_void_with_approval_stays_visible(cx: Any) -> None:
    chief, supervisor = cx.user("scjg-chief"), cx.user("supervisor")
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        r = do(r, "callback", chief, reached=True, note="评价人承认误点")
        r = do(r, "classify", chief, classification="mistaken", explanation="评价人表示误评")
        assert r.status == "void_requested" and r.void_request_reason == "评价人表示误评"
        with pytest.raises(PermissionDenied):
            do(r, "approve_void", chief, note="x")
        r = do(r, "reject_void", supervisor, note="证据不足")
        assert r.status == "rectifying" and r.due_at == local("2026-11-23 23:59:59")
        r = do(r, "request_void", chief, note="补充了录音证据")
        r = do(r, "approve_void", supervisor, note="录音证实为误评")
    assert r.status == "voided"
    evaluation = Evaluation.objects.get(pk=r.evaluation_id)
    assert evaluation.voided_by == supervisor and evaluation.void_reason == "录音证实为误评"
    assert evaluation.level == "very_dissatisfied"  # the row stays, marked voided
    entry = AuditEntry.objects.get(action="feedback.evaluation_void")
    assert entry.object_id == str(evaluation.pk) and entry.actor_id == supervisor.pk
    assert actions_for(r, supervisor) == []
