"""Pending approvals (待批准): every extension request waiting for a holder of
cases.approve_extension in their data scope, oldest first, until decided."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.approvals import pending_approvals_for, pending_extension
from onewindow.cases.tests.conftest import act, at, handler, intake, item


@pytest.mark.django_db
def test_extension_requests_wait_for_the_approvers_in_scope(cx: Any) -> None:
    scjg = item(cx)
    sw = item(cx, department=cx.dept_b)
    with at("2026-09-01 10:00"):
        first = intake(cx, scjg)
        act(first, "request_extension", handler(cx, first), days=3, reason="需现场核查")
    with at("2026-09-02 10:00"):
        second = intake(cx, scjg)
        act(second, "request_extension", handler(cx, second), days=2, reason="需专家论证")
        other = intake(cx, sw)
        act(other, "request_extension", cx.user("sw-reviewer"), days=1, reason="税务核查")
    mine = pending_approvals_for(cx.user("scjg-chief"))
    assert [a.case.pk for a in mine] == [first.pk, second.pk]  # oldest first, own department only
    assert (mine[0].days, mine[0].reason, mine[0].requester) == (3, "需现场核查", "scjg-reviewer")
    center_wide = pending_approvals_for(cx.user("supervisor"))
    assert {a.case.pk for a in center_wide} == {first.pk, second.pk, other.pk}
    assert [a.case.pk for a in pending_approvals_for(cx.user("sw-chief"))] == [other.pk]
    for name in ("scjg-reviewer", "scjg-approver", "clerk"):  # no cases.approve_extension
        assert pending_approvals_for(cx.user(name)) == []
    assert pending_approvals_for(None) == []
    assert pending_extension(first) is not None and pending_extension(first).days == 3
    with at("2026-09-03 10:00"):
        act(first, "approve_extension", cx.user("scjg-chief"))
        act(second, "reject_extension", cx.user("supervisor"), note="无需延期")
    assert pending_approvals_for(cx.user("scjg-chief")) == []
    assert pending_extension(first) is None
