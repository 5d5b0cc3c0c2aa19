"""Two approvers decide the same stage at the same moment (two threads, two connections): one
decision is written, the other is a Conflict. Two overlapping requests of one person at once:
one is made, the other refused."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection

from onewindow.attendance.leave import leave_decide, leave_request_create
from onewindow.attendance.models import LeaveDecision, LeaveRequest
from onewindow.core import clock
from onewindow.core.errors import Conflict, ValidationFailed
from tests.factories import make_user

NOW = dt.datetime(2026, 12, 7, 0, 0, tzinfo=dt.UTC)  # Monday 08:00 in Shanghai


def at(hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, 8, hour, tzinfo=clock.zone())


def _race(work: Callable[[Any], Any], args: list[Any]) -> list[str]:
    barrier = threading.Barrier(len(args))
    outcomes: list[str] = []

    def run(arg: Any) -> None:
        try:
            barrier.wait()
            work(arg)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        except ValidationFailed as exc:
            outcomes.append(exc.code)
        except BaseException as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_one_wins(org: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        leaders = [make_user(f"leader{i}", center=org.center, roles=("group_leader",)) for i in (1, 2)]
        clerk = org.user("clerk")
        req = leave_request_create(
            user=clerk, kind="personal", starts_at=at(9), ends_at=at(10), reason="办事", actor=clerk
        )

        def approve(user: Any) -> None:
            leave_decide(
                request=LeaveRequest.objects.get(pk=req.pk),
                decision="approve",
                note="",
                actor=user,
                version=1,
            )

        assert _race(approve, leaders) == ["conflict", "ok"]
        assert LeaveDecision.objects.filter(request=req).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_requests_at_once_one_is_made(org: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        clerk = org.user("clerk")

        def ask(hour: int) -> None:
            leave_request_create(
                user=clerk,
                kind="personal",
                starts_at=at(hour),
                ends_at=at(hour + 1),
                reason="办事",
                actor=clerk,
            )

        assert _race(ask, [9, 9]) == ["leave_overlap", "ok"]
        assert LeaveRequest.objects.count() == 1
