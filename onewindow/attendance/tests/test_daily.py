"""The daily attendance derived (table-driven), with approved leave, the calendar, and today."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.attendance import daily
from onewindow.attendance.models import LeaveRequest
from onewindow.attendance.tests.helpers import MON, leave, local, record
from onewindow.core import clock

pytestmark = pytest.mark.django_db
TUE = MON + dt.timedelta(days=1)
LATER = local(MON + dt.timedelta(days=7), 12)  # "now" for the tests: the days are over

# (records as (hh, mm, kind), leave as ((hh, mm), (hh, mm), status) or None, status, late, early, incomplete)
CASES = [
    ([(8, 30, "in"), (17, 30, "out")], None, "normal", False, False, False),
    ([(9, 15, "in"), (17, 30, "out")], None, "late", True, False, False),
    ([(8, 30, "in"), (16, 0, "out")], None, "early", False, True, False),
    ([(9, 15, "in"), (16, 0, "out")], None, "late_early", True, True, False),
    ([], None, "absent", False, False, False),
    ([(8, 30, "in")], None, "incomplete", False, False, True),
    ([(17, 30, "out")], None, "incomplete", False, False, True),
    ([(7, 50, "in"), (18, 30, "out")], None, "normal", False, False, False),  # abnormal, not late
    # two ins: the first counts; two outs: the last counts
    ([(8, 30, "in"), (9, 30, "in"), (16, 0, "out"), (17, 10, "out")], None, "normal", False, False, False),
    # approved leave excuses
    ([(10, 0, "in"), (17, 30, "out")], ((8, 0), (10, 0), "approved"), "normal", False, False, False),
    ([(10, 5, "in"), (17, 30, "out")], ((8, 0), (10, 0), "approved"), "late", True, False, False),
    ([(8, 30, "in"), (15, 0, "out")], ((15, 0), (18, 0), "approved"), "normal", False, False, False),
    ([], ((8, 0), (18, 0), "approved"), "on_leave", False, False, False),
    ([], ((9, 0), (17, 0), "approved"), "on_leave", False, False, False),
    ([], ((8, 0), (12, 0), "approved"), "absent", False, False, False),  # half a day only
    ([(8, 30, "in")], ((14, 0), (18, 0), "approved"), "normal", False, False, False),  # left on leave
    ([(13, 0, "in"), (17, 30, "out")], ((8, 0), (13, 0), "approved"), "normal", False, False, False),
    # only approved leave counts
    ([(9, 30, "in"), (17, 30, "out")], ((8, 0), (10, 0), "pending"), "late", True, False, False),
    ([], ((8, 0), (18, 0), "rejected"), "absent", False, False, False),
]


@pytest.mark.parametrize(("recs", "lv", "status", "late", "early", "incomplete"), CASES)
def test_a_day_is_derived(org, recs, lv, status, late, early, incomplete):
    clerk = org.user("clerk")
    for hh, mm, kind in recs:
        record(clerk, MON, hh, mm, kind, abnormal=False)
    if lv is not None:
        (h1, m1), (h2, m2), st = lv
        leave(clerk, local(MON, h1, m1), local(MON, h2, m2), status=getattr(LeaveRequest.Status, st.upper()))
    (day,) = daily.derive(center=org.center, start=MON, end=MON, users=[clerk], now=LATER)
    assert (day.status, day.late, day.early, day.incomplete) == (status, late, early, incomplete)


def test_non_working_days_are_skipped_and_leave_over_days_covers_each(org):
    clerk = org.user("clerk")
    leave(clerk, local(MON, 8), local(TUE, 18), days="2")
    days = daily.derive(
        center=org.center,
        start=MON - dt.timedelta(days=2),
        end=MON + dt.timedelta(days=6),
        users=[clerk],
        now=LATER,
    )
    assert [d.date.weekday() for d in days] == [0, 1, 2, 3, 4]  # the weekends are not working days
    assert [d.status for d in days] == ["on_leave", "on_leave", "absent", "absent", "absent"]


def test_a_statutory_holiday_is_skipped(org):
    new_year = dt.date(2027, 1, 1)  # a Friday, a statutory holiday
    days = daily.derive(
        center=org.center, start=new_year, end=new_year, users=[org.user("clerk")], now=local(new_year, 20)
    )
    assert days == []


@pytest.mark.parametrize(
    ("now", "recs", "status"),
    [
        ((8, 40), [], "pending"),
        ((9, 1), [], "absent"),
        ((10, 0), [(8, 30, "in")], "pending"),
        ((10, 0), [(9, 30, "in")], "late"),
        ((17, 59), [(8, 30, "in")], "pending"),
        ((18, 1), [(8, 30, "in")], "incomplete"),
    ],
)
def test_today_is_judged_as_far_as_the_day_went(org, now, recs, status):
    clerk = org.user("clerk")
    for hh, mm, kind in recs:
        record(clerk, MON, hh, mm, kind)
    with clock.frozen_at(local(MON, *now)):
        (day,) = daily.derive(center=org.center, start=MON, end=MON + dt.timedelta(days=3), users=[clerk])
    assert day.status == status


def test_abnormal_records_show_their_reason_or_reason_missing(org):
    clerk = org.user("clerk")
    r = record(clerk, MON, 7, 40, "in", abnormal=True)
    record(clerk, MON, 17, 30, "out")
    (day,) = daily.derive(center=org.center, start=MON, end=MON, users=[clerk], now=LATER)
    assert day.reason_missing and day.abnormal[0].record_id == r.pk
    record(clerk, MON, 7, 40, "in", abnormal=True, reason="提前到岗")  # the explanation
    (day,) = daily.derive(center=org.center, start=MON, end=MON, users=[clerk], now=LATER)
    assert not day.reason_missing and [a.reason for a in day.abnormal] == ["提前到岗"]


def test_people_are_the_window_staff_and_whoever_clocked(org):
    names = {u.username for u in daily.people(org.center, MON, MON)}
    assert names == {"clerk"}
    record(org.user("supervisor"), MON, 8, 30, "in")
    assert {u.username for u in daily.people(org.center, MON, MON)} == {"clerk", "supervisor"}
