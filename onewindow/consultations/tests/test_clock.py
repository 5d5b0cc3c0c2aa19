"""The consultation clock (pure): working minutes across lunch, the end of the day, weekends,
holidays and a question asked at night."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from onewindow.consultations import clock

TZ = ZoneInfo("Asia/Shanghai")
HOLIDAYS = {dt.date(2026, 10, d) for d in range(1, 8)}  # National Day week
ADJUSTED = {dt.date(2026, 10, 10)}  # a Saturday worked instead


def working(day: dt.date) -> bool:
    if day in ADJUSTED:
        return True
    return day.weekday() < 5 and day not in HOLIDAYS


def at(day: str, hhmm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=TZ)


def add(start: dt.datetime, minutes: float) -> dt.datetime:
    return clock.add_working_minutes(start, minutes, is_working_day=working, tz=TZ)


def test_within_a_working_period():
    assert add(at("2026-12-07", "10:00"), 5) == at("2026-12-07", "10:05")


def test_across_the_end_of_a_working_day():
    """Asked at 16:58 on a Monday: 2 minutes that day, 3 the next morning → Tuesday 09:03."""
    assert add(at("2026-12-07", "16:58"), 5) == at("2026-12-08", "09:03")


def test_ending_exactly_at_the_end_of_the_day_stays_that_day():
    assert add(at("2026-12-07", "16:55"), 5) == at("2026-12-07", "17:00")


def test_across_lunch():
    assert add(at("2026-12-07", "11:58"), 5) == at("2026-12-07", "13:03")
    assert add(at("2026-12-07", "12:30"), 5) == at("2026-12-07", "13:05")


def test_across_a_weekend():
    """Friday 16:59 → Monday 09:04; asked on Saturday → Monday 09:05."""
    assert add(at("2026-12-11", "16:59"), 5) == at("2026-12-14", "09:04")
    assert add(at("2026-12-12", "10:00"), 5) == at("2026-12-14", "09:05")


def test_across_a_holiday_and_onto_an_adjusted_workday():
    """Asked on 30 September at 16:58: the holiday week and the Sunday after are skipped; the
    next working day is Thursday 8 October."""
    assert add(at("2026-09-30", "16:58"), 5) == at("2026-10-08", "09:03")
    # the adjusted Saturday counts
    assert add(at("2026-10-09", "16:59"), 5) == at("2026-10-10", "09:04")


def test_asked_at_night_waits_for_the_next_morning():
    assert add(at("2026-12-07", "22:30"), 5) == at("2026-12-08", "09:05")
    assert add(at("2026-12-08", "06:00"), 3) == at("2026-12-08", "09:03")


def test_working_minutes_between_skips_lunch_nights_and_weekends():
    between = clock.working_minutes_between
    assert between(at("2026-12-07", "11:58"), at("2026-12-07", "13:03"), is_working_day=working, tz=TZ) == 5
    assert between(at("2026-12-11", "16:59"), at("2026-12-14", "09:04"), is_working_day=working, tz=TZ) == 5
    assert between(at("2026-12-07", "20:00"), at("2026-12-07", "23:00"), is_working_day=working, tz=TZ) == 0
    assert between(at("2026-12-07", "10:00"), at("2026-12-07", "09:00"), is_working_day=working, tz=TZ) == 0


def test_custom_periods():
    periods = [(dt.time(8, 30), dt.time(12)), (dt.time(14), dt.time(17, 30))]
    assert clock.add_working_minutes(
        at("2026-12-07", "11:59"), 5, periods=periods, is_working_day=working, tz=TZ
    ) == at("2026-12-07", "14:04")


def test_bad_periods_are_refused():
    with pytest.raises(ValueError):
        clock.check_periods([(dt.time(9), dt.time(12)), (dt.time(11), dt.time(13))])
    with pytest.raises(ValueError):
        clock.check_periods([(dt.time(12), dt.time(9))])
    with pytest.raises(ValueError):
        clock.check_periods([])


def test_days_overdue():
    due = at("2026-12-07", "10:05")
    assert clock.working_days_late(due, at("2026-12-07", "10:04"), is_working_day=working, tz=TZ) == 0
    assert clock.working_days_late(due, at("2026-12-07", "10:06"), is_working_day=working, tz=TZ) == 1
    # Friday's deadline answered on Tuesday: Monday and Tuesday
    friday = at("2026-12-11", "10:05")
    assert clock.working_days_late(friday, at("2026-12-15", "09:00"), is_working_day=working, tz=TZ) == 2


def test_in_working_time():
    assert clock.in_working_time(at("2026-12-07", "09:00"), is_working_day=working, tz=TZ)
    assert not clock.in_working_time(at("2026-12-07", "12:30"), is_working_day=working, tz=TZ)
    assert not clock.in_working_time(at("2026-12-12", "10:00"), is_working_day=working, tz=TZ)
    assert clock.next_working_moment(at("2026-12-12", "10:00"), is_working_day=working, tz=TZ) == at(
        "2026-12-14", "09:00"
    )
