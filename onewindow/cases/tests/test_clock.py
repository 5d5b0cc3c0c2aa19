"""The legal clock: due dates with holidays, adjusted working days, pauses and extensions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onewindow.calendar.selectors import table
from onewindow.cases import clock
from onewindow.cases.models import CasePause, CaseStep
from onewindow.cases.tests.conftest import act, at, handler, intake, item, local
from onewindow.core.errors import ValidationFailed

D = dt.date.fromisoformat


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accepted_on", "limit", "paused", "extension", "due", "confirmed"),
    [
        # the domain's example: 10-01..10-07 are holidays, 10-10 is an adjusted Saturday
        ("2026-09-30", 5, 0, 0, "2026-10-13", True),
        # Friday + 1: Sunday 2026-09-20 is an adjusted working day
        ("2026-09-18", 1, 0, 0, "2026-09-20", True),
        # Friday + 2 over the Spring Festival: 02-14 (adjusted Saturday), then 02-15..02-23 off
        ("2026-02-13", 2, 0, 0, "2026-02-24", True),
        # same day for a limit of 0 (instant items)
        ("2026-09-30", 0, 0, 0, "2026-09-30", True),
        # pauses and extensions lengthen the limit
        ("2026-09-01", 10, 3, 0, "2026-09-18", True),
        ("2026-09-01", 10, 3, 5, "2026-09-24", True),
        # into 2027, whose schedule is not confirmed: Monday–Friday minus the statutory days (元旦 01-01)
        ("2026-12-31", 3, 0, 0, "2027-01-06", False),
    ],
)
def test_case_due_at(
    calendar_2026: None, accepted_on: str, limit: int, paused: int, extension: int, due: str, confirmed: bool
) -> None:
    t = table()
    result = clock.case_due_at(
        t, accepted_on=D(accepted_on), limit=limit, paused_working_days=paused, extension_days=extension
    )
    assert result == local(f"{due} 23:59:59")
    assert result.isoformat() == f"{due}T23:59:59+08:00"
    assert t.due_date(D(accepted_on), limit + paused + extension).confirmed is confirmed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2026-09-03", "2026-09-08", 3),  # Fri 4, Mon 7, Tue 8: the start day is not paused, the end day is
        ("2026-09-03", "2026-09-03", 0),  # started and ended the same day
        ("2026-09-30", "2026-10-09", 2),  # over the National Day holiday: 10-08, 10-09
        ("2026-10-09", "2026-10-10", 1),  # ends on an adjusted Saturday
        ("2026-10-01", "2026-10-07", 0),  # entirely within a holiday
    ],
)
def test_pause_working_days(calendar_2026: None, start: str, end: str, days: int) -> None:
    assert clock.pause_working_days(table(), started_on=D(start), ended_on=D(end)) == days


@pytest.mark.parametrize(("legal", "allowance"), [(20, 10), (45, 15), (60, 15), (7, 3), (1, 0), (0, 0)])
def test_extension_allowance(legal: int, allowance: int) -> None:
    assert clock.extension_allowance(legal) == allowance


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("started", "limit", "certificate", "due"),
    [
        ("2026-09-30", 4, False, "2026-10-12"),
        ("2026-09-30", 15, True, "2026-10-20"),  # 第44条: at most 10 working days after the decision
        ("2026-09-30", 2, True, "2026-10-09"),
    ],
)
def test_step_due_at(calendar_2026: None, started: str, limit: int, certificate: bool, due: str) -> None:
    result = clock.step_due_at(table(), started_on=D(started), limit_days=limit, certificate=certificate)
    assert result == local(f"{due} 23:59:59")


@pytest.mark.django_db
def test_answer_due_at_is_the_very_end_of_the_fifth_working_day(calendar_2026: None) -> None:
    result = clock.answer_due_at(table(), received_on=D("2026-09-30"))
    assert result == local("2026-10-13 23:59:59.999999")


@pytest.mark.django_db
def test_acceptance_sets_the_deadlines(cx: Any) -> None:
    version = item(cx, promised_limit=5, legal_limit=20)
    with at("2026-09-30 16:00"):
        case = intake(cx, version)
    assert case.accepted_on == D("2026-09-30")
    assert case.due_at == local("2026-10-13 23:59:59")
    # legal: 20 working days after 09-30 (10-08 … 11-03)
    assert case.legal_due_at == local("2026-11-03 23:59:59")
    step = CaseStep.objects.get(case=case, position=1)
    assert step.due_at == local("2026-10-08 23:59:59")


@pytest.mark.django_db
def test_pause_and_extension_move_the_case_and_its_step(cx: Any) -> None:
    version = item(cx, promised_limit=10, legal_limit=20)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    review = CaseStep.objects.get(case=case, position=2)
    assert review.due_at == local("2026-09-07 23:59:59")  # 4 working days after 09-01
    assert case.due_at == local("2026-09-15 23:59:59")
    with at("2026-09-03 11:00"):
        case = act(
            case,
            "start_special_procedure",
            handler(cx, case),
            kind="hearing",
            reason="听证",
            expected_working_days=3,
        )
    pause = CasePause.objects.get(case=case)
    assert pause.expected_end == D("2026-09-08")
    with at("2026-09-04 09:00"):  # during the pause the clock does not move
        summary = clock.clock_summary(case)
        assert summary is not None and summary.paused and not summary.running
        assert summary.days_left == 10 - 2  # 09-02, 09-03 used; 09-04 paused
    with at("2026-09-08 15:00"):
        case = act(case, "end_special_procedure", handler(cx, case))
    pause.refresh_from_db()
    assert pause.paused_working_days == 3
    assert case.paused_working_days == 3
    assert case.due_at == local("2026-09-18 23:59:59")
    # legal: 23 working days after 09-01 (09-20 is an adjusted Sunday, 09-25 a holiday)
    assert case.legal_due_at == local("2026-10-09 23:59:59")
    review.refresh_from_db()
    assert review.due_at == local("2026-09-10 23:59:59")

    with at("2026-09-09 10:00"):
        with pytest.raises(ValidationFailed) as exc:
            act(case, "request_extension", handler(cx, case), days=11, reason="复杂")
        assert exc.value.code == "extension_too_long"
        case = act(case, "request_extension", handler(cx, case), days=5, reason="情况复杂")
        assert case.due_at == local("2026-09-18 23:59:59")  # a request does not move the clock
    with at("2026-09-10 10:00"):
        case = act(case, "approve_extension", cx.user("scjg-chief"), note="同意")
    assert case.extension_days == 5
    assert case.due_at == local("2026-09-24 23:59:59")
    review.refresh_from_db()
    assert review.due_at == local("2026-09-17 23:59:59")

    with at("2026-09-10 12:00"):
        summary = clock.clock_summary(case)
    assert summary is not None
    assert (summary.limit, summary.days_paused, summary.extension_days) == (10, 3, 5)
    assert summary.days_used == 7 - 3  # 09-02 … 09-10 are 7 working days, 3 of them paused
    assert summary.days_left == 10 + 3 + 5 - 7
    assert summary.due_at == case.due_at and summary.confirmed
    assert [e.kind for e in summary.events] == ["accepted", "pause", "extension"]
    assert summary.events[1].days == 3 and summary.events[1].detail == "hearing"
    assert summary.step is not None and summary.step.name == "审查"
    assert summary.step.due_at == review.due_at

    # only 5 extension days are left for a legal limit of 20
    with at("2026-09-11 10:00"), pytest.raises(ValidationFailed):
        act(case, "request_extension", handler(cx, case), days=6, reason="还需时间")


@pytest.mark.django_db
def test_rejected_extension_keeps_the_clock(cx: Any) -> None:
    version = item(cx, promised_limit=10, legal_limit=20)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
        due = case.due_at
        case = act(case, "request_extension", handler(cx, case), days=3, reason="需要时间")
        case = act(case, "reject_extension", cx.user("supervisor"), note="不同意")
    assert case.due_at == due and case.extension_days == 0


@pytest.mark.django_db
def test_correction_during_processing_pauses_the_clock(cx: Any) -> None:
    version = item(cx, promised_limit=10)
    material = version.materials.first()
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    with at("2026-09-02 10:00"):
        case = act(
            case,
            "request_processing_correction",
            handler(cx, case),
            items=[{"material": material.pk, "note": "模糊"}],
        )
    assert case.status == "correction_in_progress"
    with at("2026-09-09 10:00"):
        case = act(case, "receive_processing_correction", cx.user("clerk"), materials=[material.pk])
    assert case.status == "in_progress"
    assert case.paused_working_days == 5  # 09-03, 04, 07, 08, 09
    assert case.due_at == local("2026-09-21 23:59:59")  # 15 working days after 09-01 (09-20 adjusted)


@pytest.mark.django_db
def test_certificate_step_due_within_ten_working_days_of_the_decision(cx: Any) -> None:
    steps = [
        ("受理", "accept", "accept", 1),
        ("决定", "decide", "decide", 2),
        ("制证", "certify", "certify", 15),
    ]
    version = item(cx, steps, promised_limit=15, legal_limit=20)
    with at("2026-09-28 10:00"):
        case = intake(cx, version)
    with at("2026-09-30 10:00"):
        case = act(case, "grant", handler(cx, case))
    certify = CaseStep.objects.get(case=case, position=3)
    assert certify.status == "active"
    assert certify.due_at == local("2026-10-20 23:59:59")


@pytest.mark.django_db
def test_summary_of_a_case_never_accepted_is_none(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-30 10:00"):
        case = intake(cx, version, action="refuse", note="不予受理")
    assert clock.clock_summary(case) is None
