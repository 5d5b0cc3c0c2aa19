"""The state table, transition by transition: every allowed one succeeds (with its guard met and
the right actor), every forbidden one is refused with the allowed actions listed."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases import transitions as T
from onewindow.cases.guards import case_allowed_actions
from onewindow.cases.models import Case, CaseEvent, CaseStep, Status
from onewindow.cases.tests.conftest import (
    CERTIFY_THEN_DELIVERY,
    DECIDE_FIRST,
    DECIDE_THEN_PUBLICITY,
    FULL,
    NO_CERTIFY,
    act,
    active_kind,
    handler,
    item,
    items_of,
    local,
    reach,
)
from onewindow.core.errors import InvalidTransition

PARAMS: dict[str, dict[str, Any]] = {
    T.PRE_REVIEW_PASS: {},
    T.ACCEPT: {},
    T.REQUEST_CORRECTION: {"items": "ITEMS"},
    T.RECEIVE_CORRECTION: {},
    T.REFUSE: {"reason": "不属于受理范围"},
    T.PASS_STEP: {"opinion": "同意"},
    T.RETURN_STEP: {"to_position": 1, "reason": "材料需重新核对"},
    T.GRANT: {"opinion": "准予"},
    T.DENY: {"reasons": "不符合法定条件"},
    T.START_SPECIAL_PROCEDURE: {"kind": "expert_review", "reason": "专家评审", "expected_working_days": 3},
    T.END_SPECIAL_PROCEDURE: {},
    T.REQUEST_PROCESSING_CORRECTION: {"items": "ITEMS"},
    T.RECEIVE_PROCESSING_CORRECTION: {},
    T.REQUEST_EXTENSION: {"days": 3, "reason": "情况复杂"},
    T.APPROVE_EXTENSION: {"note": "同意延期"},
    T.REJECT_EXTENSION: {"note": "理由不充分"},
    T.ISSUE_CERTIFICATE: {"certificate_number": "JY0001"},
    T.COMPLETE: {},
    T.DELIVER: {"method": "pickup"},
    T.WITHDRAW: {"reason": "申请人撤回"},
    T.TERMINATE: {"reason": "企业已注销"},
    T.DEEM_ACCEPT: {},
    T.DEEM_APPROVE_STEP: {},
    T.RESUBMIT_ONLINE: {"materials": [], "note": ""},
    T.RECORD_JOINT_INSPECTION: {
        "inspection_id": 1,
        "kind": "inspection",
        "date": "2026-03-02",
        "place": "项目现场",
        "conclusion": "pass",
        "overall": "pass",
    },
}

CLERK_ACTIONS = {
    T.PRE_REVIEW_PASS,
    T.ACCEPT,
    T.REQUEST_CORRECTION,
    T.RECEIVE_CORRECTION,
    T.REFUSE,
    T.RECEIVE_PROCESSING_CORRECTION,
    T.COMPLETE,
    T.DELIVER,
    T.WITHDRAW,
}
CHIEF_ACTIONS = {T.APPROVE_EXTENSION, T.REJECT_EXTENSION, T.TERMINATE}


def template_for(status: str, action: str) -> list[tuple[str, str, str, int]]:
    if status == Status.ACCEPTED and action in (T.GRANT, T.DENY):
        return DECIDE_FIRST
    if status == Status.DECIDED_GRANTED and action == T.PASS_STEP:
        return DECIDE_THEN_PUBLICITY
    if status == Status.DECIDED_GRANTED and action == T.COMPLETE:
        return NO_CERTIFY
    if status == Status.CERTIFICATE_ISSUED and action == T.PASS_STEP:
        return CERTIFY_THEN_DELIVERY
    return FULL


def actor_for(org: Any, case: Case, action: str) -> Any:
    if action in (T.DEEM_ACCEPT, T.DEEM_APPROVE_STEP, T.RECORD_JOINT_INSPECTION, T.RESUBMIT_ONLINE):
        return None
    if action in CLERK_ACTIONS:
        return org.user("clerk")
    if action in CHIEF_ACTIONS:
        return org.user("scjg-chief")
    return handler(org, case)


ALLOWED = sorted(T.TABLE)
FORBIDDEN = sorted(
    (status, action) for status in Status.values for action in T.ACTIONS if (status, action) not in T.TABLE
)


def check_allowed(cx: Any, status: str, action: str) -> None:
    version = item(cx, template_for(status, action), deemed_approval_days=2)
    case = reach(cx, version, status, extension_first=action in (T.APPROVE_EXTENSION, T.REJECT_EXTENSION))
    if action == T.RETURN_STEP:  # return from a later step to the first one
        case = act(case, T.PASS_STEP, handler(cx, case))
    while status == Status.IN_PROGRESS and action in (T.GRANT, T.DENY) and active_kind(case) != "decide":
        case = act(case, T.PASS_STEP, handler(cx, case))
    if action == T.DEEM_ACCEPT:
        Case.objects.filter(pk=case.pk).update(answer_due_at=case.answer_due_at.replace(year=2000))
    if action == T.RECORD_JOINT_INSPECTION:  # only a bundle's sub-case takes part
        Case.objects.filter(pk=case.pk).update(joint=True)
    if action == T.RESUBMIT_ONLINE:  # only an online application
        Case.objects.filter(pk=case.pk).update(channel=Case.Channel.ONLINE)
    if action == T.DEEM_APPROVE_STEP:  # the active step is long overdue
        CaseStep.objects.filter(case=case, status="active").update(due_at=local("2000-01-03 23:59:59"))
    case.refresh_from_db()
    assert case.status == status
    before_version = case.version
    before_events = CaseEvent.objects.filter(case=case).count()
    params = {k: (items_of(version) if v == "ITEMS" else v) for k, v in PARAMS[action].items()}
    actor = actor_for(cx, case, action)
    assert action in case_allowed_actions(case, actor) or actor is None
    assert action in case_allowed_actions(case)

    result = act(case, action, actor, **params)

    transition = T.TABLE[(status, action)]
    assert result.status in transition.targets, (status, action)
    result.refresh_from_db()
    assert result.version == before_version + 1
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert len(events) == before_events + 1
    assert (events[-1].action, events[-1].from_status, events[-1].to_status, events[-1].seq) == (
        action,
        status,
        result.status,
        result.version,
    )


ALLOWED_STATUSES = sorted({status for status, _ in ALLOWED})


@pytest.mark.django_db
@pytest.mark.parametrize("status", ALLOWED_STATUSES)
def test_every_allowed_transition(cx: Any, status: str) -> None:
    """Each (status, action) of the table, on a fresh case driven to `status`."""
    actions = [action for s, action in ALLOWED if s == status]
    assert actions
    for action in actions:
        check_allowed(cx, status, action)


@pytest.fixture
def case_in(cx: Any) -> Any:
    version = item(cx)
    cache: dict[str, Case] = {}

    def get(status: str) -> Case:
        if status not in cache:
            cache[status] = reach(cx, version, status)
        return cache[status]

    return get


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
def test_every_forbidden_transition_is_refused(cx: Any, case_in: Any, status: str) -> None:
    case = case_in(status)
    for action in T.ACTIONS:
        if (status, action) in T.TABLE:
            continue
        case.refresh_from_db()
        version, events = case.version, CaseEvent.objects.filter(case=case).count()
        with pytest.raises(InvalidTransition) as exc:
            act(case, action, cx.user("clerk"))
        assert exc.value.details["allowed_actions"] == T.actions_from(status), action
        assert exc.value.status == 422
        case.refresh_from_db()
        assert (case.status, case.version) == (status, version)
        assert CaseEvent.objects.filter(case=case).count() == events


def test_forbidden_list_is_not_empty() -> None:
    assert len(FORBIDDEN) > 200 and len(ALLOWED) > 40


def test_final_statuses_allow_nothing() -> None:
    for status in T.FINAL_STATUSES:
        assert T.actions_from(status) == []


def test_every_status_is_reachable_in_the_table() -> None:
    reachable = (
        {Status.SUBMITTED, Status.RECEIVED}
        | {target for t in T.TABLE.values() for target in t.targets}
        | {Status.CORRECTION_REQUESTED, Status.REFUSED, Status.ACCEPTED}
    )
    assert reachable == set(Status.values)


@pytest.mark.django_db
def test_unknown_action(cx: Any) -> None:
    case = reach(cx, item(cx), "accepted")
    with pytest.raises(InvalidTransition) as exc:
        act(case, "approve_everything", cx.user("clerk"))
    assert exc.value.details["allowed_actions"] == T.actions_from("accepted")


@pytest.mark.django_db
def test_guards_beyond_the_table(cx: Any) -> None:
    version = item(cx)
    case = reach(cx, version, "accepted")
    with pytest.raises(InvalidTransition):  # decided only on the decision step
        act(case, T.GRANT, cx.user("scjg-approver"))
    case = reach(cx, version, "decided_granted")
    with pytest.raises(InvalidTransition):  # the certificate step is still open
        act(case, T.COMPLETE, cx.user("clerk"))
    with pytest.raises(InvalidTransition):  # the certificate step is finished by issue_certificate
        act(case, T.PASS_STEP, cx.user("scjg-certifier"))
    case = reach(cx, version, "in_progress")
    with pytest.raises(InvalidTransition):  # nothing to approve
        act(case, T.APPROVE_EXTENSION, cx.user("scjg-chief"))


@pytest.mark.django_db
def test_allowed_actions_for_a_user(cx: Any) -> None:
    version = item(cx)
    case = reach(cx, version, "in_progress")  # 审核 is active
    assert set(case_allowed_actions(case, cx.user("scjg-approver"))) == {
        T.PASS_STEP,
        T.RETURN_STEP,
        T.START_SPECIAL_PROCEDURE,
        T.REQUEST_PROCESSING_CORRECTION,
        T.REQUEST_EXTENSION,
        T.TERMINATE,  # the approver holds cases.decide_case
    }
    assert set(case_allowed_actions(case, cx.user("clerk"))) == {T.WITHDRAW}
    assert set(case_allowed_actions(case, cx.user("scjg-chief"))) == {T.TERMINATE}
    assert case_allowed_actions(case, cx.user("sw-reviewer")) == []
    assert T.DEEM_ACCEPT not in case_allowed_actions(case)
