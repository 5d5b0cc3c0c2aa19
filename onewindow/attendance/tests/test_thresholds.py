"""Leave thresholds per month / quarter / year (5 / 10 / 20 by default), and the periods."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.attendance import thresholds
from onewindow.attendance.models import LeaveRequest
from onewindow.attendance.tests.helpers import leave, local

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("period", "day", "start", "end"),
    [
        ("month", dt.date(2026, 2, 10), dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("quarter", dt.date(2026, 12, 5), dt.date(2026, 12, 1), dt.date(2027, 2, 28)),
        ("quarter", dt.date(2027, 1, 5), dt.date(2026, 12, 1), dt.date(2027, 2, 28)),
        ("quarter", dt.date(2026, 3, 1), dt.date(2026, 3, 1), dt.date(2026, 5, 31)),
        ("quarter", dt.date(2026, 8, 31), dt.date(2026, 6, 1), dt.date(2026, 8, 31)),
        ("quarter", dt.date(2026, 11, 30), dt.date(2026, 9, 1), dt.date(2026, 11, 30)),
        ("year", dt.date(2026, 12, 5), dt.date(2026, 12, 1), dt.date(2027, 11, 30)),
        ("year", dt.date(2026, 11, 30), dt.date(2025, 12, 1), dt.date(2026, 11, 30)),
    ],
)
def test_periods_follow_the_assessment(period, day, start, end):
    assert thresholds.period_of(period, day) == (start, end)


def _requests(user, n, month, *, days="0", status=LeaveRequest.Status.APPROVED):
    for i in range(n):
        day = dt.date(2026, month, 2 + i)
        leave(user, local(day, 8), local(day, 10), days=days, status=status)


@pytest.mark.parametrize(
    ("per_month", "months", "flagged"),
    [
        ((5,), (9,), set()),  # 5 in a month: at the threshold, not over it
        ((6,), (9,), {"month"}),
        ((5, 5), (9, 10), set()),  # 10 in the quarter Sep–Nov
        ((5, 5, 1), (9, 10, 11), {"quarter"}),
        ((4, 4, 4, 4, 4), (3, 4, 6, 7, 9), set()),  # 20 in the year: at the threshold
        ((4, 4, 4, 4, 4, 1), (3, 4, 6, 7, 9, 10), {"year"}),  # 21 in the year Dec 2025–Nov 2026
    ],
)
def test_requests_over_the_thresholds_are_flagged(org, per_month, months, flagged):
    clerk = org.user("clerk")
    for n, month in zip(per_month, months, strict=True):
        _requests(clerk, n, month)
    last = dt.date(2026, months[-1], 20)
    got = {c.period for c in thresholds.counts(center=org.center, day=last) if c.flagged}
    assert got == flagged


def test_days_count_too_and_rejected_or_withdrawn_do_not(org):
    clerk = org.user("clerk")
    leave(clerk, local(dt.date(2026, 9, 7), 8), local(dt.date(2026, 9, 14), 18), days="6")
    leave(
        clerk,
        local(dt.date(2026, 9, 21), 8),
        local(dt.date(2026, 9, 21), 18),
        days="1",
        status=LeaveRequest.Status.REJECTED,
    )
    leave(
        clerk,
        local(dt.date(2026, 9, 22), 8),
        local(dt.date(2026, 9, 22), 18),
        days="1",
        status=LeaveRequest.Status.WITHDRAWN,
    )
    (month, quarter, year) = thresholds.counts(center=org.center, day=dt.date(2026, 9, 30))
    assert (month.requests, month.days, month.threshold, month.flagged) == (1, 6, 5, True)
    assert not quarter.flagged and not year.flagged
    assert thresholds.flagged(center=org.center, day=dt.date(2026, 9, 30)) == {clerk.pk: [month]}
