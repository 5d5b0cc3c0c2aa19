"""The pure WorkingDayTable, on a synthetic schedule (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.calendar.workdays import WorkingDayTable

D = dt.date

# A made-up 2030: Monday 2030-01-07 .. Friday 2030-01-11 is a holiday week, Saturday
# 2030-01-12 is worked in exchange; 2031 has no confirmed schedule.
SYNTHETIC = WorkingDayTable(
    holidays=[D(2030, 1, 7), D(2030, 1, 8), D(2030, 1, 9), D(2030, 1, 10), D(2030, 1, 11), D(2030, 1, 13)],
    adjusted_workdays=[D(2030, 1, 12)],
    confirmed_years=[2030],
    start=D(2029, 12, 1),
    end=D(2031, 3, 31),
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2030, 1, 4), True),  # an ordinary Friday
        (D(2030, 1, 5), False),  # an ordinary Saturday
        (D(2030, 1, 7), False),  # a holiday on a Monday
        (D(2030, 1, 12), True),  # the adjusted Saturday
        (D(2030, 1, 13), False),  # a holiday on a Sunday stays a rest day
        (D(2030, 1, 14), True),  # back to work on Monday
    ],
)
def test_is_working_day(day, working):
    assert SYNTHETIC.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "due", "confirmed"),
    [
        (D(2030, 1, 4), 0, D(2030, 1, 4), True),  # days=0: the start day itself
        (D(2030, 1, 5), 0, D(2030, 1, 5), True),  # days=0 even on a rest day
        (D(2030, 1, 3), 1, D(2030, 1, 4), True),  # Thursday + 1 → Friday
        (D(2030, 1, 4), 1, D(2030, 1, 12), True),  # the holiday week is skipped, the adjusted Saturday counts
        (D(2030, 1, 4), 2, D(2030, 1, 14), True),  # Sunday 13th is a holiday, then Monday
        (D(2030, 1, 6), 1, D(2030, 1, 12), True),  # starting inside the holiday: the start is not counted
        (D(2030, 12, 31), 1, D(2031, 1, 1), False),  # into 2031 (unconfirmed): Monday–Friday, unconfirmed
        (D(2029, 12, 31), 1, D(2030, 1, 1), False),  # from 2029 (unconfirmed) into 2030
    ],
)
def test_due_date(start, days, due, confirmed):
    result = SYNTHETIC.due_date(start, days)
    assert result.value == due
    assert result.confirmed is confirmed
    assert SYNTHETIC.count_working_days(start, due) == days


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2030, 1, 4), D(2030, 1, 4), 0),  # same day
        (D(2030, 1, 4), D(2030, 1, 11), 0),  # the holiday week holds no working day
        (D(2030, 1, 4), D(2030, 1, 12), 1),  # only the adjusted Saturday
        (D(2030, 1, 1), D(2030, 1, 31), 18),  # 23 weekdays - 5 holidays + 1 adjusted Saturday - Jan 1 (start)
        (D(2030, 1, 12), D(2030, 1, 4), -1),  # end before start: negative
    ],
)
def test_count_working_days(start, end, count):
    assert SYNTHETIC.count_working_days(start, end) == count


def test_without_schedule_every_weekday_works():
    table = WorkingDayTable(start=D(2030, 1, 1), end=D(2030, 12, 31))
    assert [table.is_working_day(D(2030, 1, d)) for d in range(1, 8)] == [True] * 4 + [False, False, True]
    assert table.due_date(D(2030, 1, 4), 1).confirmed is False


def test_errors():
    with pytest.raises(ValueError, match="negative"):
        SYNTHETIC.add_working_days(D(2030, 1, 4), -1)
    with pytest.raises(ValueError, match="outside the calendar range"):
        SYNTHETIC.is_working_day(D(2029, 11, 30))
    with pytest.raises(ValueError, match="past"):
        SYNTHETIC.add_working_days(D(2031, 3, 20), 30)


@given(
    start=st.dates(min_value=D(2029, 12, 1), max_value=D(2031, 1, 31)),
    n=st.integers(min_value=0, max_value=40),
)
def test_add_and_count_are_inverse(start, n):
    due = SYNTHETIC.add_working_days(start, n)
    assert SYNTHETIC.count_working_days(start, due) == n
    if n:
        assert SYNTHETIC.is_working_day(due)
        # nothing between start and due is skipped: one day earlier has one working day fewer
        assert SYNTHETIC.count_working_days(start, due - dt.timedelta(days=1)) == n - 1
