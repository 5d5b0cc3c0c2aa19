"""Working-day arithmetic on the stored schedule (pre-filled from chinesecalendar for 2004–2026)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.calendar import selectors
from onewindow.calendar.models import CalendarYear
from onewindow.core.errors import ValidationFailed

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "days", "due", "confirmed"),
    [
        # domain.md: accepted 2026-09-30, 5 days → 10-08, 10-09, 10-10 (adjusted Saturday), 10-12, 10-13
        (D(2026, 9, 30), 5, D(2026, 10, 13), True),
        # the first working day after National Day 2026 is Thursday 10-08
        (D(2026, 9, 30), 1, D(2026, 10, 8), True),
        # Spring Festival 2026: Friday 02-13 + 1 → the adjusted Saturday 02-14
        (D(2026, 2, 13), 1, D(2026, 2, 14), True),
        # ... + 2 → the whole holiday 02-15..02-23 is skipped, Tuesday 02-24
        (D(2026, 2, 13), 2, D(2026, 2, 24), True),
        # accepted on the adjusted Saturday itself: not counted, next is 02-24
        (D(2026, 2, 14), 1, D(2026, 2, 24), True),
        # Friday 02-27 + 1 → the adjusted Saturday 02-28
        (D(2026, 2, 27), 1, D(2026, 2, 28), True),
        # an adjusted Sunday: 2026-09-20 is worked before National Day (Saturday 09-19 is not)
        (D(2026, 9, 18), 1, D(2026, 9, 20), True),
        # Mid-Autumn 2026: Friday 09-25 is a holiday, Thursday 09-24 + 1 → Monday 09-28
        (D(2026, 9, 24), 1, D(2026, 9, 28), True),
        # year boundary: 2025-12-31 + 1 → 01-01..01-03 are New Year holidays, Sunday 01-04 is adjusted
        (D(2025, 12, 31), 1, D(2026, 1, 4), True),
        # ... + 2 → Monday 2026-01-05
        (D(2025, 12, 31), 2, D(2026, 1, 5), True),
        # ... + 20 → 19 more Monday–Friday days in January 2026 (01-05..01-29)
        (D(2025, 12, 31), 20, D(2026, 1, 29), True),
        # unconfirmed 2027 (nothing stored): Thursday 2026-12-31 + 1 → 元旦 Friday 2027-01-01 is a
        # statutory holiday by the rule, so Monday 01-04
        (D(2026, 12, 31), 1, D(2027, 1, 4), False),
        # inside 2027: the rule's Spring Festival 02-05..02-08, no 调休: Thursday 02-04 + 5 → 02-09..02-12,
        # then Monday 02-15
        (D(2027, 2, 4), 5, D(2027, 2, 15), False),
        # from confirmed 2026 deep into 2027: unconfirmed (12-02..12-31 is 22 days, 01-01 is rest)
        (D(2026, 12, 1), 30, D(2027, 1, 13), False),
        # days=0 is the start day itself, even a holiday
        (D(2026, 10, 1), 0, D(2026, 10, 1), True),
        # days=0 in an unconfirmed year
        (D(2027, 3, 1), 0, D(2027, 3, 1), False),
        # a year before the package's first (2003, nothing stored) is unconfirmed too
        (D(2003, 12, 30), 1, D(2003, 12, 31), False),
    ],
)
def test_due_date(start, days, due, confirmed):
    result = selectors.due_date(start, days)
    assert (result.value, result.confirmed) == (due, confirmed)
    assert selectors.add_working_days(start, days) == due
    assert selectors.working_days(start, due).value == days


def test_due_datetime_is_end_of_local_day():
    due = selectors.due_datetime(D(2026, 9, 30), 5)
    local = timezone.localtime(due)
    assert (local.date(), local.time()) == (D(2026, 10, 13), dt.time(23, 59, 59))
    assert str(local.tzinfo) == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("start", "end", "count", "confirmed"),
    [
        # the domain example, counted back
        (D(2026, 9, 30), D(2026, 10, 13), 5, True),
        # all of National Day (10-01..10-07) is rest
        (D(2026, 9, 30), D(2026, 10, 7), 0, True),
        # Friday 02-13 to Saturday 02-28: 02-14 (adjusted), 02-24..02-27, 02-28 (adjusted)
        (D(2026, 2, 13), D(2026, 2, 28), 6, True),
        # the same day: nothing after start
        (D(2026, 1, 1), D(2026, 1, 1), 0, True),
        # 12-31 (Thu), then unconfirmed 2027: 01-01 (Fri, 元旦 by the rule) is rest, 01-04 (Mon)
        (D(2026, 12, 30), D(2027, 1, 4), 2, False),
    ],
)
def test_working_days(start, end, count, confirmed):
    result = selectors.working_days(start, end)
    assert (result.value, result.confirmed) == (count, confirmed)
    assert selectors.count_working_days(start, end) == count


def test_is_working_day_matches_the_package_for_every_known_day():
    day, last = D(2004, 1, 1), D(2026, 12, 31)
    wrong = []
    while day <= last:
        if selectors.is_working_day(day) != chinese_calendar.is_workday(day):
            wrong.append(day)
        day += dt.timedelta(days=1)
    assert wrong == []


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: selectors.due_date(D(1999, 12, 31), 1), "start"),
        (lambda: selectors.due_date(D(2026, 1, 5), -1), "days"),
        (lambda: selectors.due_date(D(2026, 1, 5), selectors.MAX_DAYS + 1), "days"),
        (lambda: selectors.due_date(D(2100, 12, 1), 100), "days"),  # runs past 2100-12-31
        (lambda: selectors.working_days(D(2026, 1, 5), D(2026, 1, 4)), "end"),
        (lambda: selectors.working_days(D(2026, 1, 5), D(2101, 1, 1)), "end"),
        (lambda: selectors.is_working_day(D(2101, 1, 1)), "day"),
        (lambda: selectors.count_working_days(D(1999, 1, 1), D(2026, 1, 1)), "start"),
    ],
)
def test_bad_input_is_a_validation_error(call, field):
    with pytest.raises(ValidationFailed) as excinfo:
        call()
    assert list(excinfo.value.details) == [field]


def test_year_status():
    assert selectors.year_status(2025, 2027) == [
        {"year": 2025, "confirmed": True},
        {"year": 2026, "confirmed": True},
        {"year": 2027, "confirmed": False},
    ]
    assert selectors.unconfirmed_years(2003, 2005) == [2003]


def test_year_schedules_and_text():
    (y2026,) = selectors.year_schedules(2026, 2026)
    assert y2026["confirmed"] is True
    assert (D(2026, 2, 17), "春节") in y2026["holidays"]
    assert (D(2026, 10, 10), "国庆节") in y2026["adjusted_workdays"]
    (y2027,) = selectors.year_schedules(2027, 2027)
    assert {key: value for key, value in y2027.items() if key != "provisional_holidays"} == {
        "year": 2027,
        "confirmed": False,
        "source": "",
        "holidays": [],
        "adjusted_workdays": [],
    }
    assert y2027["provisional_holidays"][:2] == [(D(2027, 1, 1), "元旦"), (D(2027, 2, 5), "春节")]
    assert len(y2027["provisional_holidays"]) == 13
    assert y2026["provisional_holidays"] == []  # a confirmed year counts its schedule only
    text = selectors.schedule_text(2026)
    assert "2026-02-15..2026-02-23 春节" in text
    assert "2026-10-10 国庆节" in text


def test_cached_table_is_reused_and_a_change_elsewhere_is_noticed(django_assert_num_queries):
    first = selectors.table()
    with django_assert_num_queries(0):
        assert selectors.table() is first
    # Another process changes the schedule (simulated: a direct write, no invalidate()).
    row = CalendarYear.objects.get(year=2026)
    row.confirmed = False
    row.save()
    assert selectors.table() is first  # within RECHECK_SECONDS the cached table is used
    selectors._checked_at -= selectors.RECHECK_SECONDS + 1
    rebuilt = selectors.table()
    assert rebuilt is not first
    assert rebuilt.is_confirmed(2026) is False
    # 2026 unconfirmed now counts Monday–Friday minus the statutory days: 10-01..10-03 only, so
    # Monday 10-05 (a holiday in the official schedule) is counted
    assert selectors.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 5)


def test_an_unconfirmed_years_days_are_not_counted():
    row = CalendarYear.objects.get(year=2026)
    row.confirmed = False
    row.save()
    selectors.invalidate()
    assert selectors.is_working_day(D(2026, 10, 5)) is True  # Monday, draft holiday ignored
    assert selectors.is_working_day(D(2026, 10, 1)) is False  # Thursday, statutory by the rule
    assert selectors.is_working_day(D(2026, 10, 10)) is False  # Saturday, draft adjusted day ignored


@pytest.mark.django_db
def test_properties_on_the_stored_schedule():
    table = selectors.table()

    @settings(max_examples=300, deadline=None)
    @given(
        start=st.dates(min_value=D(2003, 6, 1), max_value=D(2028, 12, 31)),
        n=st.integers(min_value=0, max_value=400),
        extra=st.integers(min_value=0, max_value=400),
        shift=st.integers(min_value=0, max_value=60),
    )
    def check(start, n, extra, shift):
        due = table.add_working_days(start, n)
        assert table.count_working_days(start, due) == n
        if n:
            assert table.is_working_day(due)
            assert due > start
        # monotonic in the number of days ...
        assert table.add_working_days(start, n + extra) >= due
        if extra:
            assert table.add_working_days(start, n + extra) > due
        # ... and in the start day
        assert table.add_working_days(start + dt.timedelta(days=shift), n) >= due

    check()
