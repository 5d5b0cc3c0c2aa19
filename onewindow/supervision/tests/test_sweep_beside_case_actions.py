"""A supervision sweep and a case action on the same case at once (PostgreSQL, two connections):
the action writes only the columns it changed, so the sweep's flip survives it (the action's
write path: cases/persistence.py)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from onewindow.cases import persistence
from onewindow.cases import transitions as T
from onewindow.cases.models import Case, CaseStep, Status
from onewindow.cases.tests.conftest import intake, item, load_calendar_2026
from onewindow.core import clock
from onewindow.supervision.sweep import sweep


@pytest.mark.django_db(transaction=True)
def test_a_sweep_flip_and_a_step_action_at_once_both_survive(
    org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL, two connections: the action reads the case and its steps, the sweep flips the
    active step to yellow and commits, then the action writes and commits. Both effects stay."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL); SQLite runs one write transaction at a time")
    load_calendar_2026()
    case = intake(org, item(org))
    now = clock.now()
    first = CaseStep.objects.get(case=case, position=2)  # 审查: the acceptance finished 受理
    CaseStep.objects.filter(pk=first.pk).update(
        warn_at=now - dt.timedelta(hours=1), due_at=now + dt.timedelta(days=3), level=0
    )
    Case.objects.filter(pk=case.pk).update(
        warn_at=now + dt.timedelta(days=30), due_at=now + dt.timedelta(days=40), level=0
    )
    read, swept = threading.Event(), threading.Event()
    lock_case = persistence.lock_case

    def read_then_wait(*args: Any, **kwargs: Any) -> Any:
        found = lock_case(*args, **kwargs)
        read.set()
        assert swept.wait(30), "the sweep did not finish"
        return found

    monkeypatch.setattr(persistence, "lock_case", read_then_wait)
    errors: list[BaseException] = []

    def action() -> None:
        try:
            from onewindow.cases import services

            services.case_act(
                case=case.pk,
                action=T.PASS_STEP,
                version=case.version,
                actor=org.user("scjg-reviewer"),
                opinion="同意",
            )
        except BaseException as exc:  # checked below
            errors.append(exc)
            read.set()
        finally:
            connection.close()

    def flip() -> None:
        try:
            assert read.wait(30), "the action did not read"
            sweep(now=now)
        except BaseException as exc:  # checked below
            errors.append(exc)
        finally:
            swept.set()
            connection.close()

    threads = [threading.Thread(target=action), threading.Thread(target=flip)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    first.refresh_from_db()
    case.refresh_from_db()
    assert first.level == 1, "the action overwrote the sweep's flip"
    assert (first.status, first.opinion) == (CaseStep.Status.DONE, "同意")
    assert (case.status, case.active_step_position) == (Status.IN_PROGRESS, 3)
