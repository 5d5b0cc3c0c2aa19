"""Orders, accountability appeals, threshold rules and the scope of each department."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.models import CaseStep
from onewindow.cases.tests.conftest import at, intake, item, local
from onewindow.core.audit import AuditEntry
from onewindow.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.supervision import selectors, services
from onewindow.supervision.models import AccountabilityRecord, SupervisionOrder
from onewindow.supervision.sweep import sweep


def overdue_case(cx: Any, department: Any = None) -> Any:
    version = item(cx, promised_limit=10, department=department or cx.dept_a)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    sweep(now=local("2026-09-08 08:00"))
    return case


@pytest.mark.django_db
def test_order_lifecycle(cx: Any) -> None:
    case = overdue_case(cx)
    supervisor, chief = cx.user("supervisor"), cx.user("scjg-chief")
    with at("2026-09-08 09:00"):
        with pytest.raises(PermissionDenied):
            services.order_issue(case=case, actor=chief, demand="x", reply_days=2)
        with pytest.raises(ValidationFailed) as exc:
            services.order_issue(case=case, actor=supervisor, demand=" ", reply_days=2)
        assert "demand" in exc.value.details
        order = services.order_issue(case=case, actor=supervisor, demand="说明超期原因", reply_days=2)
    assert order.reply_due_at == local("2026-09-10 23:59:59") and order.status == "open"
    with pytest.raises(InvalidTransition):
        services.order_close(order=order, actor=supervisor, note="x")
    order = services.order_reply(order=order, actor=chief, reply="已加派人手")
    assert order.status == "replied" and order.replied_by == chief
    order = services.order_send_back(order=order, actor=supervisor, note="未说明原因")
    assert order.status in ("open", "overdue") and order.sent_back_count == 1
    order = services.order_reply(order=order, actor=chief, reply="原因:材料核验")
    order = services.order_close(order=order, actor=supervisor, note="同意")
    assert order.status == "closed"
    assert AuditEntry.objects.filter(action__startswith="supervision.order_").count() == 5


@pytest.mark.django_db
def test_overdue_replies_are_marked(cx: Any) -> None:
    case = overdue_case(cx)
    order = SupervisionOrder.objects.get(case=case)
    assert order.reply_due_at == local("2026-09-11 23:59:59")  # 3 working days after 09-08
    assert sweep(now=local("2026-09-12 00:00")).counts["order_overdue"] == 1
    order.refresh_from_db()
    assert order.status == "overdue"


@pytest.mark.django_db
def test_appeal_lifecycle_keeps_revoked_records(cx: Any) -> None:
    overdue_case(cx)
    record = AccountabilityRecord.objects.get()
    chief, supervisor = cx.user("scjg-chief"), cx.user("supervisor")
    with pytest.raises(PermissionDenied):
        services.accountability_appeal(record=record, actor=cx.user("scjg-reviewer"), reason="x")
    with pytest.raises(InvalidTransition):
        services.accountability_decide(record=record, actor=supervisor, uphold=True, note="x")
    record = services.accountability_appeal(record=record, actor=chief, reason="系统故障")
    assert record.status == "appealed"
    with pytest.raises(PermissionDenied):
        services.accountability_decide(record=record, actor=chief, uphold=False, note="x")
    record = services.accountability_decide(record=record, actor=supervisor, uphold=False, note="属实,撤销")
    assert record.status == "revoked"
    assert AccountabilityRecord.objects.filter(status="revoked").count() == 1


@pytest.mark.django_db
def test_a_department_sees_and_appeals_only_its_own(cx: Any) -> None:
    overdue_case(cx, cx.dept_a)
    overdue_case(cx, cx.dept_b)
    a, b = cx.user("scjg-chief"), cx.user(f"{cx.dept_b.code.lower()}-chief")
    assert {o.department_id for o in selectors.orders(user=a)} == {cx.dept_a.pk}
    assert {r.department_id for r in selectors.accountability_records(user=b)} == {cx.dept_b.pk}
    assert selectors.orders(user=cx.user("supervisor")).count() == 2
    foreign = AccountabilityRecord.objects.get(department=cx.dept_b)
    with pytest.raises(NotFound):
        services.accountability_appeal(record=foreign, actor=a, reason="不是我们的")
    with pytest.raises(NotFound):
        services.order_reply(order=SupervisionOrder.objects.get(department=cx.dept_b), actor=a, reply="x")
    board = selectors.board(user=a)
    assert set(board.steps_by_department) == {cx.dept_a.code}
    assert board.steps.red == 1
    assert selectors.board(user=cx.user("supervisor")).steps.red == 2
    assert selectors.flags(user=a, level="red").count() == 1  # its own overdue step only


@pytest.mark.django_db
def test_a_rule_change_recomputes_warn_at_and_is_audited(cx: Any) -> None:
    version = item(cx, promised_limit=10)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    review = CaseStep.objects.get(case=case, position=2)
    assert review.warn_at == local("2026-09-05 00:00")
    with pytest.raises(PermissionDenied):
        services.supervision_rule_save(actor=cx.user("scjg-chief"), yellow_days=2, yellow_percent=20)
    with pytest.raises(ValidationFailed) as exc:
        services.supervision_rule_save(actor=cx.user("supervisor"), yellow_days=2, yellow_percent=120)
    assert "yellow_percent" in exc.value.details
    with at("2026-09-02 09:00"):
        services.supervision_rule_save(
            actor=cx.user("supervisor"), yellow_days=2, yellow_percent=20, item=version.item
        )
    review.refresh_from_db()
    assert review.warn_at == local("2026-09-04 00:00")  # two working days left from 09-04
    assert AuditEntry.objects.filter(action="supervision.rule_save").count() == 1
    f = selectors.forecast(user=cx.user("supervisor"), at=local("2026-09-04 00:00"))
    assert [r.step for r in f.yellow] == ["审查"] and f.red == []
