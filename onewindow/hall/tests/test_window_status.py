"""Window status: open, pause (announced), resume, away with a message, close; the ledger of
periods; who may change it."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.hall.calling import ticket_call_next
from onewindow.hall.models import Announcement, WindowState, WindowStatusPeriod
from onewindow.hall.tests.queue_helpers import Queue, at, build_queue
from onewindow.hall.window_status import (
    window_away,
    window_close,
    window_open,
    window_pause,
    window_resume,
    window_set_status,
)


@pytest.fixture
def q(org: Any) -> Queue:
    return build_queue(org, open_windows=False)


def test_the_ledger_of_a_day(q: Queue) -> None:
    assert window_open(window=q.z01, actor=q.clerk, now=at(8, 30)).status == "open"
    paused = window_pause(window=q.z01, actor=q.clerk, message="系统故障", now=at(10))
    assert (paused.status, paused.message, paused.since) == ("paused", "系统故障", at(10))
    assert Announcement.objects.get(kind=Announcement.Kind.PAUSE).text == "Z01号窗口暂停服务"
    window_resume(window=q.z01, actor=q.clerk, now=at(10, 20))
    away = window_away(window=q.z01, actor=q.clerk, message="现场踏勘", expected_return=at(15), now=at(13))
    assert (away.status, away.expected_return) == ("away", at(15))
    window_resume(window=q.z01, actor=q.clerk, now=at(14, 50))
    window_close(window=q.z01, actor=q.clerk, now=at(17))
    periods = list(
        WindowStatusPeriod.objects.filter(window=q.z01).values_list("status", "started_at", "ended_at")
    )
    assert periods == [
        ("open", at(8, 30), at(10)),
        ("paused", at(10), at(10, 20)),
        ("open", at(10, 20), at(13)),
        ("away", at(13), at(14, 50)),
        ("open", at(14, 50), at(17)),
        ("closed", at(17), None),
    ]


def test_rules(q: Queue) -> None:
    with pytest.raises(Conflict):
        window_resume(window=q.z01, actor=q.clerk, now=at(9))  # closed, not paused
    with pytest.raises(ValidationFailed):
        window_away(window=q.z01, actor=q.clerk, message="", now=at(9))
    with pytest.raises(ValidationFailed):
        window_away(window=q.z01, actor=q.clerk, message="午餐", expected_return=at(8), now=at(9))
    with pytest.raises(PermissionDenied):
        window_open(window=q.a01, actor=q.clerk, now=at(9))  # not the clerk's window
    assert window_open(window=q.a01, actor=q.leader, now=at(9)).status == "open"  # hall.manage_queue
    with pytest.raises(ValidationFailed):
        window_set_status(window=q.z01, actor=q.clerk, status="lunch", now=at(9))
    window_set_status(window=q.z01, actor=q.clerk, status="open", now=at(9))
    q.issue(q.a, at(9))
    assert ticket_call_next(window=q.z01, actor=q.clerk, now=at(9, 5)) is not None
    with pytest.raises(Conflict) as busy:
        window_close(window=q.z01, actor=q.clerk, now=at(9, 6))
    assert busy.value.code == "window_busy"
    assert WindowState.objects.get(pk=q.z01.pk).status == "open"
