from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from onewindow.core.ratelimit import check_rate, reset_rate

START = dt.datetime(2026, 9, 30, 1, 0, 0, tzinfo=dt.UTC)  # on a window boundary for 60 and 300


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_allows_up_to_the_limit_in_one_window():
    with time_machine.travel(START, tick=False):
        assert [check_rate(key="k", limit=3, window_seconds=60) for _ in range(5)] == [
            True,
            True,
            True,
            False,
            False,
        ]


def test_a_new_window_starts_a_new_count():
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(3):
            check_rate(key="k", limit=3, window_seconds=60)
        traveller.shift(dt.timedelta(seconds=59))
        assert check_rate(key="k", limit=3, window_seconds=60) is False
        traveller.shift(dt.timedelta(seconds=1))
        assert check_rate(key="k", limit=3, window_seconds=60) is True


def test_keys_are_counted_separately_and_may_hold_any_text():
    with time_machine.travel(START, tick=False):
        assert check_rate(key="login:张三:127.0.0.1", limit=1, window_seconds=60)
        assert not check_rate(key="login:张三:127.0.0.1", limit=1, window_seconds=60)
        assert check_rate(key="login:李四 with spaces:127.0.0.1", limit=1, window_seconds=60)
        assert check_rate(key="x" * 500, limit=1, window_seconds=60)


def test_windows_of_different_lengths_do_not_share_counters():
    with time_machine.travel(START, tick=False):
        assert check_rate(key="k", limit=1, window_seconds=60)
        assert check_rate(key="k", limit=1, window_seconds=300)
        assert not check_rate(key="k", limit=1, window_seconds=60)


def test_reset():
    with time_machine.travel(START, tick=False):
        check_rate(key="k", limit=1, window_seconds=60)
        assert not check_rate(key="k", limit=1, window_seconds=60)
        reset_rate(key="k", window_seconds=60)
        assert check_rate(key="k", limit=1, window_seconds=60)


def test_an_evicted_counter_starts_again():
    with time_machine.travel(START, tick=False):
        check_rate(key="k", limit=1, window_seconds=60)
        cache.clear()
        assert check_rate(key="k", limit=1, window_seconds=60)


@pytest.mark.parametrize(("limit", "window"), [(0, 60), (1, 0), (-1, 60)])
def test_nonsense_limits_are_refused(limit, window):
    with pytest.raises(ValueError):
        check_rate(key="k", limit=limit, window_seconds=window)
