"""Leave thresholds (seed 003): per person, the leave requests and the leave days per month,
quarter and year, against the rule's thresholds (5 / 10 / 20 by default).

- Counted: requests not rejected or withdrawn (waiting and approved), by the local date they
  start on; days are the requests' `days` (late arrival and early leave count as requests with
  0 days).
- Periods as the window assessment counts them (wave2.md §4.2): the calendar month; quarters
  December–February, March–May, June–August, September–November; the year from 1 December to
  30 November (a request of 5 December 2026 is in year 2027).
- Flagged when the requests or the days EXCEED the period's threshold (6 requests in a month
  with the default 5 is flagged, 5 is not).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import pgettext_lazy

from onewindow.attendance.models import LeaveRequest
from onewindow.attendance.rules import rule_for
from onewindow.core import clock as time

PERIODS = ("month", "quarter", "year")
PERIOD_LABELS = {
    "month": pgettext_lazy("attendance", "month"),
    "quarter": pgettext_lazy("attendance", "quarter"),
    "year": pgettext_lazy("attendance", "year"),
}
COUNTED = (LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED)


@dataclass
class Count:
    user_id: int
    period: str
    start: dt.date
    end: dt.date  # last day included
    requests: int
    days: Decimal
    threshold: int

    @property
    def flagged(self) -> bool:
        return self.requests > self.threshold or self.days > self.threshold

    @property
    def period_label(self) -> str:
        return str(PERIOD_LABELS[self.period])


def _month_start(year: int, month: int) -> dt.date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1)


def period_of(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month, assessment quarter or assessment year of `day`."""
    if period == "month":
        start = dt.date(day.year, day.month, 1)
        months = 1
    elif period == "quarter":
        year_start = day.year if day.month == 12 else day.year - 1
        since_december = (day.month - 12) % 12  # Dec 0, Jan 1, … Nov 11
        start = _month_start(year_start, 12 + since_december // 3 * 3)
        months = 3
    elif period == "year":
        start = dt.date(day.year if day.month == 12 else day.year - 1, 12, 1)
        months = 12
    else:
        raise ValueError(period)
    nxt = _month_start(start.year, start.month + months)
    return start, nxt - dt.timedelta(days=1)


def counts(*, center: Any, day: dt.date, user_ids: list[int] | None = None) -> list[Count]:
    """Every counted person's requests and days in the month, quarter and year of `day`, with
    the thresholds of the rule valid on `day` (people without requests are left out)."""
    rule = rule_for(center, day)
    thresholds = {
        "month": rule.month_threshold,
        "quarter": rule.quarter_threshold,
        "year": rule.year_threshold,
    }
    year_start, year_end = period_of("year", day)
    rows = LeaveRequest.objects.filter(
        center=center,
        status__in=COUNTED,
        starts_at__gte=dt.datetime.combine(year_start, dt.time(0), tzinfo=time.zone()),
        starts_at__lt=dt.datetime.combine(year_end + dt.timedelta(days=1), dt.time(0), tzinfo=time.zone()),
    )
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    spans = {p: period_of(p, day) for p in PERIODS}
    tally: dict[tuple[int, str], list[Any]] = defaultdict(lambda: [0, Decimal("0")])
    for user_id, starts_at, days in rows.values_list("user_id", "starts_at", "days"):
        local_day = time.local(starts_at).date()
        for p, (s, e) in spans.items():
            if s <= local_day <= e:
                tally[(user_id, p)][0] += 1
                tally[(user_id, p)][1] += days
    return [
        Count(user_id, p, spans[p][0], spans[p][1], n, d, thresholds[p])
        for (user_id, p), (n, d) in sorted(tally.items(), key=lambda kv: (kv[0][0], PERIODS.index(kv[0][1])))
    ]


def flagged(*, center: Any, day: dt.date, user_ids: list[int] | None = None) -> dict[int, list[Count]]:
    """The flagged counts per person."""
    out: dict[int, list[Count]] = defaultdict(list)
    for c in counts(center=center, day=day, user_ids=user_ids):
        if c.flagged:
            out[c.user_id].append(c)
    return dict(out)
