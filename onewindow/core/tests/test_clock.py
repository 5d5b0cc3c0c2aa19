"""core.clock: the frozen clock of the demo history and tests (ADR 0018)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone

from onewindow.core import clock

SH = dt.timezone(dt.timedelta(hours=8))
MOMENT = dt.datetime(2026, 9, 1, 10, 30, tzinfo=SH)


def test_frozen_at_moves_now_today_and_local_now_and_comes_back():
    real = clock.now()
    assert not clock.is_frozen()
    with clock.frozen_at(MOMENT) as frozen:
        assert clock.is_frozen()
        assert clock.now() == MOMENT
        assert clock.today() == dt.date(2026, 9, 1)
        assert clock.local_now().hour == 10
        frozen.move_to(MOMENT + dt.timedelta(days=3))
        assert clock.today() == dt.date(2026, 9, 4)
        assert frozen.moment == MOMENT + dt.timedelta(days=3)
    assert not clock.is_frozen()
    assert abs((clock.now() - real).total_seconds()) < 60
    assert abs((clock.now() - timezone.now()).total_seconds()) < 1


def test_blocks_nest_and_an_exception_restores_the_outer_clock():
    with clock.frozen_at(MOMENT):
        with pytest.raises(RuntimeError), clock.frozen_at(MOMENT + dt.timedelta(hours=1)):
            assert clock.now() == MOMENT + dt.timedelta(hours=1)
            raise RuntimeError("boom")
        assert clock.now() == MOMENT
    assert not clock.is_frozen()


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="aware"), clock.frozen_at(dt.datetime(2026, 9, 1, 10, 0)):
        pass  # pragma: no cover
    with clock.frozen_at(MOMENT) as frozen, pytest.raises(ValueError):
        frozen.move_to(dt.datetime(2026, 9, 2))  # type: ignore[arg-type]


def test_another_thread_keeps_the_real_clock():
    seen: list[dt.datetime] = []
    with clock.frozen_at(MOMENT):
        worker = threading.Thread(target=lambda: seen.append(clock.now()))
        worker.start()
        worker.join()
        assert clock.now() == MOMENT
    assert seen and seen[0] != MOMENT and seen[0].year >= 2026
