"""A fresh case is green: the acceptance finishes 受理, so the active step is the department's
first step with its own limit, and a sweep right after the acceptance raises nothing (before,
the 1-day acceptance step made every new case yellow within a minute)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onewindow.cases.models import Case, CaseStep
from onewindow.cases.tests.conftest import at, intake, item, local
from onewindow.supervision.models import Flag
from onewindow.supervision.sweep import sweep


@pytest.mark.django_db
def test_a_fresh_case_is_green_on_the_board(cx: Any) -> None:
    version = item(cx, promised_limit=10)  # 受理 (1 day) 审查 (4) 审核 (2) 决定 (2) 制证 (1)
    with at("2026-09-01 10:00"):
        case = intake(cx, version)
    active = CaseStep.objects.get(case=case, status="active")
    assert (active.kind, active.limit_days) == ("review", 4)
    assert active.warn_at is not None and active.warn_at > local("2026-09-01 10:01")
    result = sweep(now=local("2026-09-01 10:01"))
    assert result.counts["step_yellow"] == 0 and result.counts["case_yellow"] == 0
    assert not Flag.objects.filter(case=case).exists()
    case = Case.objects.get(pk=case.pk)
    active.refresh_from_db()
    assert (case.level, active.level) == (0, 0)
    # it turns yellow only when its own step nears its deadline
    assert sweep(now=active.warn_at + dt.timedelta(minutes=1)).counts["step_yellow"] == 1
