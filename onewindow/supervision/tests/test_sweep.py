"""The sweep: yellow exactly at the threshold, red right after the deadline, deemed approval,
idempotency, pauses, extensions and calendar edits moving the deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onewindow.calendar.services import calendar_set_year
from onewindow.cases.models import CaseStep
from onewindow.cases.tests.conftest import ADJUSTED_2026, HOLIDAYS_2026, act, at, handler, intake, item, local
from onewindow.supervision.models import AccountabilityRecord, Flag, Reminder, SupervisionOrder
from onewindow.supervision.sweep import sweep

EPS = dt.timedelta(microseconds=1)


def review_case(cx: Any, **kwargs: Any) -> tuple[Any, CaseStep]:
    """A case accepted 2026-09-01 10:00 whose review step (4 working days) is active."""
    version = item(cx, promised_limit=10, legal_limit=20, **kwargs)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    return case, CaseStep.objects.get(case=case, position=2)


@pytest.mark.django_db
def test_yellow_exactly_at_the_threshold_and_red_right_after_the_deadline(cx: Any) -> None:
    case, review = review_case(cx)
    # due at the end of 09-07 (Mon); one working day left from Saturday 09-05 00:00
    assert review.due_at == local("2026-09-07 23:59:59")
    assert review.warn_at == local("2026-09-05 00:00")
    assert sweep(now=review.warn_at - EPS).counts["step_yellow"] == 0
    review.refresh_from_db()
    assert review.level == 0
    result = sweep(now=review.warn_at)
    assert result.counts["step_yellow"] == 1
    review.refresh_from_db()
    assert review.level == 1
    flag = Flag.objects.get(step=review, kind="step_yellow")
    assert flag.level == "yellow" and flag.resolved_at is None and flag.due_at == review.due_at
    reminder = Reminder.objects.get(step=review)
    assert reminder.post.code == "review" and reminder.department == cx.dept_a

    assert sweep(now=review.due_at).counts["step_red"] == 0  # the deadline itself is not past
    result = sweep(now=review.due_at + dt.timedelta(seconds=1))
    assert result.counts["step_red"] == 1
    review.refresh_from_db()
    assert review.level == 2
    assert Flag.objects.filter(step=review, kind="step_red").count() == 1
    record = AccountabilityRecord.objects.get(step=review)
    assert (record.post.code, record.department, record.status) == ("review", cx.dept_a, "active")
    order = SupervisionOrder.objects.get(case=case)
    assert order.issuer is None and order.status == "open"
    # the yellow flag is superseded by the red one
    assert Flag.objects.get(step=review, kind="step_yellow").resolved_at is not None


@pytest.mark.django_db
def test_the_threshold_skips_a_holiday(cx: Any) -> None:
    version = item(cx, promised_limit=10)
    with at("2026-09-22 10:00"):
        case = intake(cx, version)
    review = CaseStep.objects.get(case=case, position=2)
    # 09-23, 09-24, (09-25 holiday, weekend), 09-28, 09-29
    assert review.due_at == local("2026-09-29 23:59:59")
    assert review.warn_at == local("2026-09-29 00:00")
    assert sweep(now=local("2026-09-28 23:59:59")).counts["step_yellow"] == 0
    assert sweep(now=local("2026-09-29 00:00")).counts["step_yellow"] == 1


@pytest.mark.django_db
def test_two_sweeps_make_one_record_per_crossing(cx: Any) -> None:
    case, review = review_case(cx)
    for _ in range(2):
        sweep(now=local("2026-09-05 08:00"))
    for _ in range(2):
        sweep(now=local("2026-09-08 08:00"))
    assert Flag.objects.filter(step=review, kind="step_yellow").count() == 1
    assert Flag.objects.filter(step=review, kind="step_red").count() == 1
    assert Reminder.objects.filter(step=review).count() == 1
    assert AccountabilityRecord.objects.filter(step=review).count() == 1
    assert SupervisionOrder.objects.filter(case=case).count() == 1
    second = sweep(now=local("2026-09-08 08:01"))
    assert second.counts["step_red"] == 0 and second.counts["step_yellow"] == 0


@pytest.mark.django_db
def test_deemed_approval_after_the_configured_days(cx: Any) -> None:
    _case, review = review_case(cx, deemed_approval_days=2)
    assert sweep(now=local("2026-09-09 23:59:59")).counts["deemed_approved"] == 0
    result = sweep(now=local("2026-09-10 00:00:01"))
    assert result.counts["deemed_approved"] == 1
    review.refresh_from_db()
    assert review.result == "deemed" and review.status == "done"
    # the finished step's red flag is resolved; its accountability record stays
    assert Flag.objects.get(step=review, kind="step_red").resolved_at is not None
    assert AccountabilityRecord.objects.filter(step=review).count() == 1


@pytest.mark.django_db
def test_an_approved_extension_moves_the_deadline_out_of_range(cx: Any) -> None:
    case, review = review_case(cx)
    sweep(now=local("2026-09-05 08:00"))
    review.refresh_from_db()
    assert review.level == 1
    with at("2026-09-07 10:00"):
        case = act(case, "request_extension", handler(cx, case), days=5, reason="情况复杂")
        case = act(case, "approve_extension", cx.user("scjg-chief"), note="同意")
    review.refresh_from_db()
    assert review.due_at == local("2026-09-14 23:59:59")
    assert review.warn_at == local("2026-09-12 00:00")
    assert review.level == 0
    result = sweep(now=local("2026-09-07 10:01"))
    assert result.counts["resolved"] >= 1
    assert Flag.objects.get(step=review, kind="step_yellow").resolved_at is not None
    # the moved deadline can flag again
    assert sweep(now=local("2026-09-12 00:00")).counts["step_yellow"] == 1
    assert Flag.objects.filter(step=review, kind="step_yellow").count() == 2


@pytest.mark.django_db
def test_a_pause_stops_the_sweep_and_resolves_a_yellow_flag_when_the_deadline_moves(cx: Any) -> None:
    # a 1-day department step first (the acceptance finishes a 受理 step at once)
    version = item(cx, [("审查", "review", "review", 1), ("决定", "decide", "decide", 2)], promised_limit=10)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    step = CaseStep.objects.get(case=case, position=1)
    assert step.warn_at == step.started_at  # a 1-day step is yellow from its start
    assert sweep(now=local("2026-09-01 10:01")).counts["step_yellow"] == 1
    with at("2026-09-01 11:00"):
        case = act(
            case,
            "start_special_procedure",
            handler(cx, case),
            kind="inspection",
            reason="现场核查",
            expected_working_days=1,
        )
    # paused: nothing is raised although the deadline (end of 09-02) passes
    assert sweep(now=local("2026-09-03 09:00")).counts["step_red"] == 0
    with at("2026-09-03 10:00"):
        case = act(case, "end_special_procedure", handler(cx, case))
    step.refresh_from_db()
    assert step.paused_working_days == 2
    assert step.due_at == local("2026-09-04 23:59:59") and step.warn_at == local("2026-09-04 00:00")
    assert step.level == 0
    sweep(now=local("2026-09-03 10:01"))
    assert Flag.objects.get(step=step, kind="step_yellow").resolved_at is not None
    # the special procedure ran past its expected end (09-02): an anomaly
    assert Flag.objects.filter(case=case, kind="pause_overrun").count() == 1


@pytest.mark.django_db
def test_a_calendar_edit_recomputes_the_deadlines(cx: Any) -> None:
    case, review = review_case(cx)
    assert review.due_at == local("2026-09-07 23:59:59")
    with at("2026-09-02 09:00"):
        calendar_set_year(
            year=2026,
            holidays=[(dt.date.fromisoformat(d), "假日") for d in [*HOLIDAYS_2026, "2026-09-03"]],
            adjusted_workdays=[(dt.date.fromisoformat(d), "调休") for d in ADJUSTED_2026],
            confirmed=True,
            source="tests",
        )
    review.refresh_from_db()
    case.refresh_from_db()
    assert review.due_at == local("2026-09-08 23:59:59")
    assert review.warn_at == local("2026-09-08 00:00")
    assert case.due_at == local("2026-09-16 23:59:59")


@pytest.mark.django_db
def test_anomalies_from_case_events(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-01 10:00"):
        case = intake(cx, version, materials=[], note="申请人承诺三日内补交")
    result = sweep(now=local("2026-09-01 10:05"))
    assert result.counts["anomaly"] == 1
    flag = Flag.objects.get(case=case, kind="missing_required_material")
    assert flag.level == "anomaly" and flag.detail["missing"]
    assert sweep(now=local("2026-09-01 10:06")).counts["anomaly"] == 0
