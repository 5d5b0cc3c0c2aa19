"""Concurrency on a real database (threads, committed transactions): numbers never collide and
two clerks acting on one case get one success and one conflict."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.numbers import parse_case_number
from onewindow.cases.tests.conftest import act, intake, item, load_calendar_2026
from onewindow.core.errors import Conflict


def run_threads(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(i: int) -> None:
        try:
            barrier.wait()
            value = work(i)
            with lock:
                results.append(value)
        except BaseException as exc:  # collected and checked by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_never_collides(org: Any) -> None:
    load_calendar_2026()
    version = item(org)
    per_thread, threads = 5, 6

    def work(i: int) -> list[str]:
        return [intake(org, version).number for _ in range(per_thread)]

    results, errors = run_threads(threads, work)
    assert errors == []
    numbers = [n for batch in results for n in batch]
    assert len(numbers) == len(set(numbers)) == per_thread * threads
    for number in numbers:
        assert parse_case_number(number) == number
    sequences = sorted(int(n[-7:-1]) for n in numbers)
    assert sequences == list(range(1, per_thread * threads + 1))
    receipts = set(Case.objects.values_list("receipt_number", flat=True))
    assert len(receipts) == per_thread * threads


@pytest.mark.django_db(transaction=True)
def test_two_clerks_one_case_one_success_one_conflict(org: Any) -> None:
    load_calendar_2026()
    version = item(org)
    case = intake(org, version)
    seen_version = case.version
    events_before = CaseEvent.objects.filter(case=case).count()

    def work(i: int) -> str:
        from onewindow.cases import services

        return services.case_act(
            case=case.number,
            action="pass_step",
            version=seen_version,
            actor=org.user("scjg-reviewer"),
            opinion=f"#{i}",
        ).status

    results, errors = run_threads(2, work)
    assert results == ["in_progress"]
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
    assert errors[0].status == 409 and errors[0].details["version"] == seen_version + 1
    case.refresh_from_db()
    assert case.version == seen_version + 1
    assert CaseEvent.objects.filter(case=case).count() == events_before + 1


@pytest.mark.django_db
def test_stale_version_is_a_conflict(cx: Any) -> None:
    case = intake(cx, item(cx))
    stale = case.version
    act(case, "pass_step", cx.user("scjg-reviewer"))
    from onewindow.cases import services

    with pytest.raises(Conflict):
        services.case_act(case=case, action="withdraw", version=stale, actor=cx.user("clerk"), reason="x")
