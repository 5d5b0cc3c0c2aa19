"""How open flags are resolved: the sweep re-checks the flags of the cases that had events since
the last sweep (not every open flag every minute), and every flag once after a change that
moves deadlines without case events (a calendar edit, a threshold change)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onewindow.calendar.services import calendar_set_year
from onewindow.cases.models import CaseStep
from onewindow.cases.tests.conftest import ADJUSTED_2026, HOLIDAYS_2026, act, at, intake, item, local
from onewindow.supervision import services
from onewindow.supervision.models import Flag, SweepCursor
from onewindow.supervision.resolution import RESOLVE_ALL, request_full_resolution
from onewindow.supervision.sweep import sweep


def yellow_review(cx: Any) -> tuple[Any, CaseStep]:
    """A review step due at the end of 09-07, flagged yellow by a sweep on 09-05."""
    version = item(cx, promised_limit=10, legal_limit=20)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    review = CaseStep.objects.get(case=case, position=2)
    assert sweep(now=local("2026-09-05 08:00")).counts["step_yellow"] == 1
    return case, review


def open_flag(review: CaseStep) -> bool:
    return Flag.objects.filter(step=review, kind="step_yellow", resolved_at__isnull=True).exists()


@pytest.mark.django_db
def test_only_the_flags_of_cases_with_events_are_rechecked(cx: Any) -> None:
    _case, review = yellow_review(cx)
    _other, other_review = yellow_review(cx)
    # both rows lose their level without a case event (as if edited in the database)
    CaseStep.objects.filter(pk__in=[review.pk, other_review.pk]).update(
        level=0, warn_at=local("2026-09-30 00:00")
    )
    assert sweep(now=local("2026-09-05 08:01")).counts["resolved"] == 0
    assert open_flag(review) and open_flag(other_review)
    # an event on one case: its flag is re-checked, the other one is not
    with at("2026-09-05 08:02"):
        act(_case, "request_extension", cx.user("scjg-reviewer"), days=1, reason="复杂")
    assert sweep(now=local("2026-09-05 08:03")).counts["resolved"] == 1
    assert not open_flag(review) and open_flag(other_review)
    # asked for, the next sweep re-checks every open flag once
    request_full_resolution()
    assert sweep(now=local("2026-09-05 08:04")).counts["resolved"] == 1
    assert not open_flag(other_review)
    assert not SweepCursor.objects.filter(name=RESOLVE_ALL).exists()


@pytest.mark.django_db
def test_a_calendar_edit_resolves_a_flag_whose_deadline_moved_out_of_range(cx: Any) -> None:
    _case, review = yellow_review(cx)
    with at("2026-09-05 09:00"):
        calendar_set_year(
            year=2026,
            holidays=[(dt.date.fromisoformat(d), "假日") for d in [*HOLIDAYS_2026, "2026-09-02"]],
            adjusted_workdays=[(dt.date.fromisoformat(d), "调休") for d in ADJUSTED_2026],
            confirmed=True,
            source="tests",
        )
    review.refresh_from_db()
    assert review.warn_at == local("2026-09-08 00:00") and review.level == 0
    assert SweepCursor.objects.filter(name=RESOLVE_ALL).exists()
    assert sweep(now=local("2026-09-05 09:01")).counts["resolved"] == 1
    assert not open_flag(review)
    # the moved deadline flags again, with a new flag
    assert sweep(now=local("2026-09-08 00:00")).counts["step_yellow"] == 1
    assert Flag.objects.filter(step=review, kind="step_yellow").count() == 2


@pytest.mark.django_db
def test_a_threshold_change_resolves_the_flags_it_makes_green(cx: Any) -> None:
    _case, review = yellow_review(cx)
    with at("2026-09-05 09:00"):
        services.supervision_rule_save(actor=cx.user("supervisor"), yellow_days=0, yellow_percent=0)
    review.refresh_from_db()
    assert review.level == 0 and review.warn_at > local("2026-09-05 09:01")
    assert sweep(now=local("2026-09-05 09:01")).counts["resolved"] == 1
    assert not open_flag(review)
