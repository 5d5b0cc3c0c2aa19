"""窗口授权: a clerk at a window to which an item is delegated handles and decides its cases
(`permissions.delegated_at_window`); an instant item is completed in one sitting."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from onewindow.cases import transitions as T
from onewindow.cases.guards import case_allowed_actions
from onewindow.cases.models import CaseStep
from onewindow.cases.permissions import delegated_at_window
from onewindow.cases.tests.conftest import act, at, intake, item
from onewindow.catalog.delegations import window_delegation_grant, window_delegation_revoke
from onewindow.core.errors import PermissionDenied
from onewindow.org.models import User
from tests.factories import make_item, make_user

INSTANT_STEPS = [
    ("受理", "accept", "accept", 0),
    ("核准登记", "decide", "decide", 0),
    ("发照", "certify", "certify", 0),
]


def fresh(user: User) -> User:
    """The account as a new request reads it (the delegations are kept per request)."""
    return User.objects.get(pk=user.pk)


def instant(org: Any) -> Any:
    return make_item(org, handling_type="instant", legal_limit=3, promised_limit=0, steps=INSTANT_STEPS)


@pytest.mark.django_db
def test_a_delegated_window_completes_an_instant_item_in_one_sitting(cx: Any) -> None:
    version = instant(cx)
    # not delegated: the clerk accepts and the case waits for the department's decision, due today
    with at("2026-09-30 09:00"):
        waiting = intake(cx, version)
    assert waiting.status == "accepted" and waiting.decision == ""
    decide = CaseStep.objects.get(case=waiting, status="active")
    assert decide.kind == "decide" and timezone.localtime(decide.due_at).date().isoformat() == "2026-09-30"
    assert list(waiting.events.order_by("seq").values_list("action", flat=True)) == ["receive", "accept"]
    window_delegation_grant(actor=cx.user("scjg-chief"), window=cx.general_window, item=version.item)
    clerk = fresh(cx.user("clerk"))
    with at("2026-09-30 10:00"):
        case = intake(cx, version, actor=clerk)
    assert case.status == "completed" and case.decision == "granted" and case.is_instant
    actions = list(case.events.order_by("seq").values_list("action", flat=True))
    assert actions == ["receive", "accept", "grant", "issue_certificate", "complete"]
    steps = list(CaseStep.objects.filter(case=case).order_by("position"))
    assert [(s.status, s.handler) for s in steps] == [("done", clerk)] * 3
    assert [s.result for s in steps] == ["pass", "grant", "pass"]
    assert set(case.notices.values_list("kind", flat=True)) == {"acceptance", "decision"}


@pytest.mark.django_db
def test_the_delegated_clerk_handles_and_decides_every_step(cx: Any) -> None:
    version = item(cx)  # a promised item: 受理 审查 审核 决定 制证
    other = make_user(
        "clerk-a01", center=cx.center, roles=("window_clerk",), posts=[cx.posts["accept"]], window=cx.window_a
    )
    case = intake(cx, version)
    assert not delegated_at_window(fresh(cx.user("clerk")), case)
    assert T.PASS_STEP not in case_allowed_actions(case, fresh(cx.user("clerk")))
    delegation = window_delegation_grant(actor=None, window=cx.general_window, item=version.item)
    clerk = fresh(cx.user("clerk"))
    assert delegated_at_window(clerk, case)
    assert not delegated_at_window(fresh(other), case)  # another window: no delegation there
    assert not delegated_at_window(fresh(cx.user("scjg-reviewer")), case)  # not a clerk
    assert T.PASS_STEP in case_allowed_actions(case, clerk)
    with pytest.raises(PermissionDenied):
        act(case, "pass_step", fresh(other))
    case = act(case, "pass_step", clerk, opinion="审查通过")
    case = act(case, "pass_step", clerk, opinion="审核通过")
    case = act(case, "grant", clerk, opinion="准予许可")
    case = act(case, "issue_certificate", clerk, certificate_number="JY0001")
    case = act(case, "complete", clerk)
    assert case.status == "completed" and case.decision == "granted"
    assert set(CaseStep.objects.filter(case=case).values_list("handler", flat=True)) == {clerk.pk}
    # revoked: the step actions are the department's posts' again
    window_delegation_revoke(actor=None, delegation=delegation)
    second = intake(cx, version)
    with pytest.raises(PermissionDenied):
        act(second, "pass_step", fresh(cx.user("clerk")))
    act(second, "pass_step", cx.user("scjg-reviewer"))


@pytest.mark.django_db
def test_a_closed_window_or_another_center_has_no_delegation(cx: Any) -> None:
    version = item(cx)
    window_delegation_grant(actor=None, window=cx.general_window, item=version.item)
    case = intake(cx, version)
    cx.general_window.active = False
    cx.general_window.save(update_fields=["active"])
    assert not delegated_at_window(fresh(cx.user("clerk")), case)
    assert not delegated_at_window(None, case)
