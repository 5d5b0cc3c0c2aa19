"""The rectifications' share of the supervision sweep: yellow (SMS to the chief), red (one order)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from onewindow.cases.tests.conftest import at, local
from onewindow.feedback.models import Rectification
from onewindow.feedback.rectification_sweep import rectification_sweep
from onewindow.feedback.tests.rectify_helpers import bad_rating, do
from onewindow.notifications.models import OutboxMessage
from onewindow.supervision.models import SupervisionOrder
from onewindow.supervision.sweep import sweep

pytestmark = pytest.mark.django_db


def _sweep(moment: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    with at(moment):
        rectification_sweep(local(moment), counts)
    return counts


def test_yellow_then_red_then_one_order_even_when_swept_twice(cx: Any) -> None:
    chief = cx.user("scjg-chief")
    chief.phone = "13900000001"
    chief.save(update_fields=["phone"])
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
    assert _sweep("2026-11-02 12:00") == Counter()  # green
    counts = _sweep("2026-11-03 20:00")  # 80 % of the call-back's span has passed
    assert counts["rectification_yellow"] == 1 and counts["reminder_sms"] == 1
    assert _sweep("2026-11-03 20:01") == Counter()  # flipped once
    r.refresh_from_db()
    assert r.level == 1
    sms = OutboxMessage.objects.get(related_type="feedback.rectification", related_id=str(r.pk))
    assert sms.recipient == "13900000001" and "2026-11-03 23:59" in sms.body
    counts = _sweep("2026-11-04 09:00")  # past the call-back deadline
    assert counts["rectification_red"] == 1 and counts["rectification_order"] == 1
    assert _sweep("2026-11-04 09:01") == Counter()
    with at("2026-11-04 09:02"):
        result = sweep(now=local("2026-11-04 09:02"))  # the registered part, through the sweep
    assert not result.counts["rectification_red"]
    order = SupervisionOrder.objects.get(subject_kind="rectification")
    assert order.subject_ref == str(r.pk) and order.case_id is None
    assert order.department_id == cx.dept_a.pk and order.to_chief
    assert order.key == r.callback_due_at.isoformat()


def test_the_rectification_deadline_is_supervised_after_classification(cx: Any) -> None:
    chief = cx.user("scjg-chief")
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        r = do(r, "callback", chief, reached=True, note="已回访", classification="complex", explanation="x")
    assert _sweep("2026-11-04 09:00") == Counter()  # the call-back clock stopped
    assert _sweep("2026-11-20 00:01")["rectification_yellow"] == 1
    assert _sweep("2026-11-24 00:01")["rectification_order"] == 1
    r.refresh_from_db()
    assert r.level == 2
    # sent back past its deadline: red again, but the crossing already has its order
    with at("2026-11-24 10:00"):
        r = do(r, "rectify", chief, note="已整改")
        r = do(r, "inform", chief, method="phone", note="已告知")
        r = do(r, "send_back", cx.user("supervisor"), note="不充分")
    assert r.level == 0
    counts = _sweep("2026-11-24 10:01")
    assert counts["rectification_red"] == 1 and not counts["rectification_order"]
    assert SupervisionOrder.objects.filter(subject_kind="rectification").count() == 1


def test_a_rectification_without_department_is_flagged_without_order(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
    Rectification.objects.filter(pk=r.pk).update(department=None)
    assert _sweep("2026-11-04 09:00")["rectification_red"] == 1
    assert not SupervisionOrder.objects.exists()


def test_the_sweep_queries_use_the_partial_indexes_on_postgresql(db: Any) -> None:
    from django.db import connection
    from django.db.models import Q

    from onewindow.feedback.rectification_sweep import CALLBACK_LATE, RECTIFY_LATE, WARN

    if connection.vendor != "postgresql":
        pytest.skip("the plans are PostgreSQL's")
    now = local("2026-11-04 09:00")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for crossed, index in (
        (CALLBACK_LATE & Q(callback_due_at__lte=now), "feedback_rect_callback_open"),
        (RECTIFY_LATE & Q(due_at__lte=now), "feedback_rect_due_open"),
        (WARN & Q(warn_at__lte=now), "feedback_rect_warn_open"),
    ):
        plan = Rectification.objects.filter(crossed).order_by().values_list("pk", flat=True).explain()
        assert index in plan, plan
