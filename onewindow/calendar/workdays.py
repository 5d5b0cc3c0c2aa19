"""Pure working-day arithmetic (《行政许可法》第82条: limits are counted in working days).

A `WorkingDayTable` is built once from the holiday schedule and answers every question in
O(1) or O(log n): it holds, for each day of its range, the number of working days up to and
including that day (a prefix sum), so counting is a subtraction and adding is a binary search.

Rules (domain.md §3): a working day is Monday–Friday that is not a public holiday, or an
adjusted working day (调休) on a weekend. The start day is not counted: accepted on D with a
limit of N working days, the case is due at the end of the N-th working day after D.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Generic, TypeVar

RANGE_START = dt.date(2000, 1, 1)
RANGE_END = dt.date(2100, 12, 31)


T = TypeVar("T", dt.date, int)


@dataclass(frozen=True)
class Result(Generic[T]):
    """A computed date or count, and whether every year it touched has a confirmed schedule."""

    value: T
    confirmed: bool


class WorkingDayTable:
    def __init__(
        self,
        *,
        holidays: Iterable[dt.date] = (),
        adjusted_workdays: Iterable[dt.date] = (),
        confirmed_years: Iterable[int] = (),
        start: dt.date = RANGE_START,
        end: dt.date = RANGE_END,
    ) -> None:
        self.start = start
        self.end = end
        self.confirmed_years = frozenset(confirmed_years)
        holiday_set = set(holidays)
        adjusted_set = set(adjusted_workdays)
        first = start.toordinal()
        size = end.toordinal() - first + 1
        flags = bytearray(size)
        weekday = start.weekday()
        for i in range(size):
            flags[i] = 1 if (weekday + i) % 7 < 5 else 0
        for day in holiday_set:
            if start <= day <= end:
                flags[day.toordinal() - first] = 0
        for day in adjusted_set:
            if start <= day <= end:
                flags[day.toordinal() - first] = 1
        self._first = first
        self._flags = bytes(flags)
        # _cum[i] = working days in [start, start + i]
        self._cum = list(accumulate(self._flags))

    # -- helpers -----------------------------------------------------------
    def _index(self, day: dt.date) -> int:
        if not (self.start <= day <= self.end):
            raise ValueError(f"{day.isoformat()} is outside the calendar range {self.start}..{self.end}")
        return day.toordinal() - self._first

    def _confirmed(self, first: dt.date, last: dt.date) -> bool:
        lo, hi = min(first, last), max(first, last)
        return all(year in self.confirmed_years for year in range(lo.year, hi.year + 1))

    # -- queries -----------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        return bool(self._flags[self._index(day)])

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (start itself not counted); days=0 → start."""
        if days < 0:
            raise ValueError("days must not be negative")
        i = self._index(start)
        if days == 0:
            return start
        target = self._cum[i] + days
        j = bisect.bisect_left(self._cum, target, lo=i + 1)
        if j >= len(self._cum):
            raise ValueError(f"{days} working days after {start.isoformat()} is past {self.end.isoformat()}")
        return dt.date.fromordinal(self._first + j)

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when end < start)."""
        return self._cum[self._index(end)] - self._cum[self._index(start)]

    def due_date(self, start: dt.date, days: int) -> Result[dt.date]:
        due = self.add_working_days(start, days)
        return Result(due, self._confirmed(start, due))

    def working_days(self, start: dt.date, end: dt.date) -> Result[int]:
        return Result(self.count_working_days(start, end), self._confirmed(start, end))

    def is_confirmed(self, year: int) -> bool:
        return year in self.confirmed_years
