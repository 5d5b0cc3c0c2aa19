"""Who may act: permission, post and department (wrong → PermissionDenied)."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests.conftest import act, active_kind, handler, item, reach
from onewindow.core.errors import PermissionDenied
from tests.factories import make_user


@pytest.mark.django_db
def test_step_needs_the_post(cx: Any) -> None:
    case = reach(cx, item(cx), "accepted")  # 审查 (review post) is active
    for name in ("scjg-approver", "scjg-chief", "clerk", "supervisor"):
        with pytest.raises(PermissionDenied):
            act(case, "pass_step", cx.user(name))
    act(case, "pass_step", cx.user("scjg-reviewer"))


@pytest.mark.django_db
def test_step_needs_the_department(cx: Any) -> None:
    case = reach(cx, item(cx), "in_progress")
    with pytest.raises(PermissionDenied):
        act(case, "pass_step", cx.user("sw-reviewer"))
    # the right post and permission, another department, even with the whole center in scope
    outsider = make_user(
        "sw-reviewer-2",
        center=cx.center,
        department=cx.dept_b,
        roles=("reviewer",),
        posts=[cx.posts["review"]],
        data_scope="center",
    )
    with pytest.raises(PermissionDenied):
        act(case, "pass_step", outsider)


@pytest.mark.django_db
def test_step_needs_the_permission(cx: Any) -> None:
    case = reach(cx, item(cx), "in_progress")
    # holds the post in the department but has no role granting cases.handle_step
    no_role = make_user("scjg-temp", center=cx.center, department=cx.dept_a, posts=[cx.posts["review"]])
    with pytest.raises(PermissionDenied):
        act(case, "pass_step", no_role)
    with pytest.raises(PermissionDenied):  # the system cannot pass a step
        act(case, "pass_step", None)


@pytest.mark.django_db
def test_decision_needs_decide_case(cx: Any) -> None:
    case = reach(cx, item(cx), "in_progress")
    while active_kind(case) != "decide":
        case = act(case, "pass_step", handler(cx, case))
    # the decision post without the decide permission
    reviewer_with_post = make_user(
        "scjg-decider",
        center=cx.center,
        department=cx.dept_a,
        roles=("reviewer",),
        posts=[cx.posts["decide"]],
    )
    with pytest.raises(PermissionDenied):
        act(case, "grant", reviewer_with_post)
    with pytest.raises(PermissionDenied):
        act(case, "grant", cx.user("scjg-reviewer"))
    with pytest.raises(PermissionDenied):
        act(case, "deny", cx.user("sw-chief"), reasons="x")
    case = act(case, "grant", cx.user("scjg-chief"))
    assert case.status == "decided_granted"


@pytest.mark.django_db
def test_extension_approval_needs_its_permission(cx: Any) -> None:
    case = reach(cx, item(cx), "in_progress", extension_first=True)
    for name in ("scjg-approver", "scjg-reviewer", "clerk"):
        with pytest.raises(PermissionDenied):
            act(case, "approve_extension", cx.user(name))
    case = act(case, "approve_extension", cx.user("supervisor"))
    assert case.extension_days == 2
    with pytest.raises(PermissionDenied):  # requesting is for the step's handler (审核 is active)
        act(case, "request_extension", cx.user("scjg-reviewer"), days=1, reason="x")


@pytest.mark.django_db
def test_system_actions_refuse_users(cx: Any) -> None:
    version = item(cx)
    case = reach(cx, version, "received")
    from onewindow.cases.models import Case

    Case.objects.filter(pk=case.pk).update(answer_due_at=case.answer_due_at.replace(year=2001))
    with pytest.raises(PermissionDenied):
        act(case, "deem_accept", cx.user("clerk"))


@pytest.mark.django_db
def test_terminate_and_deliver_need_their_permissions(cx: Any) -> None:
    version = item(cx)
    case = reach(cx, version, "accepted")
    with pytest.raises(PermissionDenied):
        act(case, "terminate", cx.user("clerk"), reason="x")
    with pytest.raises(PermissionDenied):
        act(case, "terminate", cx.user("sw-chief"), reason="x")
    case = reach(cx, version, "completed")
    with pytest.raises(PermissionDenied):
        act(case, "deliver", cx.user("scjg-chief"), method="pickup")
