"""The unconfirmed year: Monday–Friday minus the statutory holidays on their own dates (the rule)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from onewindow.calendar import selectors
from onewindow.calendar.models import CalendarYear
from onewindow.calendar.services import calendar_set_year
from onewindow.calendar.statutory import RULE_FIRST_YEAR, statutory_holidays

D = dt.date

RULE_2027 = [
    (D(2027, 1, 1), "元旦"),
    (D(2027, 2, 5), "春节"),  # 除夕: 腊月 of the lunar year 2026 has 29 days, so 除夕 is 腊月廿九
    (D(2027, 2, 6), "春节"),  # 正月初一
    (D(2027, 2, 7), "春节"),
    (D(2027, 2, 8), "春节"),  # 初三
    (D(2027, 4, 5), "清明"),
    (D(2027, 5, 1), "劳动节"),
    (D(2027, 5, 2), "劳动节"),
    (D(2027, 6, 9), "端午"),
    (D(2027, 9, 15), "中秋"),
    (D(2027, 10, 1), "国庆节"),
    (D(2027, 10, 2), "国庆节"),
    (D(2027, 10, 3), "国庆节"),
]


def test_the_rule_for_2027():
    assert statutory_holidays(2027) == RULE_2027


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_rule_agrees_with_the_official_schedules(year):
    """The years of the revised rule that chinesecalendar knows: every statutory day by the rule is
    a holiday of the State Council's schedule, and there are 13 of them (4 for the Spring Festival)."""
    days = statutory_holidays(year)
    assert len(days) == 13
    assert [day for day, _name in days if not chinese_calendar.is_holiday(day)] == []
    # and each is named as the official schedule names it
    for day, name in days:
        assert chinese_calendar.Holiday(chinese_calendar.get_holiday_detail(day)[1]).chinese == name


def test_the_rule_for_the_known_years():
    # 2026: 除夕 02-16, 清明 04-05, 端午 06-19, 中秋 09-25
    assert [d for d, name in statutory_holidays(2026) if name not in ("元旦", "劳动节", "国庆节")] == [
        D(2026, 2, 16),
        D(2026, 2, 17),
        D(2026, 2, 18),
        D(2026, 2, 19),
        D(2026, 4, 5),
        D(2026, 6, 19),
        D(2026, 9, 25),
    ]


def test_before_the_revision_and_at_the_end_of_the_range():
    assert statutory_holidays(RULE_FIRST_YEAR - 1) == []
    # lunardate covers lunar years to 2099: for 2100 only the fixed-date days and 清明 are known
    assert [name for _day, name in statutory_holidays(2100)] == [
        "元旦",
        "清明",
        "劳动节",
        "劳动节",
        "国庆节",
        "国庆节",
        "国庆节",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [
        D(2027, 1, 1),
        D(2027, 2, 5),
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
        D(2027, 4, 5),
        D(2027, 5, 1),
        D(2027, 5, 2),
        D(2027, 6, 9),
        D(2027, 9, 15),
        D(2027, 10, 1),
        D(2027, 10, 2),
        D(2027, 10, 3),
    ],
)
def test_statutory_days_of_the_unconfirmed_year_are_not_working_days(day):
    assert not CalendarYear.objects.filter(year=2027, confirmed=True).exists()
    assert selectors.is_working_day(day) is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [
        D(2027, 1, 4),  # Monday after 元旦
        D(2027, 2, 4),  # Thursday before 除夕
        D(2027, 2, 9),  # Tuesday after 初三: no 调休, the holiday is not lengthened
        D(2027, 4, 6),  # Tuesday after 清明
        D(2027, 5, 3),  # Monday after 劳动节
        D(2027, 6, 8),  # Tuesday before 端午
        D(2027, 6, 10),
        D(2027, 9, 14),  # Tuesday before 中秋
        D(2027, 9, 16),
        D(2027, 9, 30),  # Thursday before 国庆节
        D(2027, 10, 4),  # Monday after 国庆节 (10-04..10-07 depend on the State Council's notice)
    ],
)
def test_plain_weekdays_around_them_are_working_days(day):
    assert day.weekday() < 5
    assert selectors.is_working_day(day) is True


@pytest.mark.django_db
def test_weekends_stay_rest_days_without_adjusted_days():
    # no make-up days: the Saturday and Sunday of the rule's Spring Festival are rest, and so is a
    # weekend after it that the State Council would usually make a working day
    assert selectors.is_working_day(D(2027, 2, 13)) is False
    assert selectors.is_working_day(D(2027, 2, 20)) is False


@pytest.mark.django_db
def test_results_in_the_unconfirmed_year_are_flagged(client):
    result = selectors.due_date(D(2027, 9, 14), 1)
    assert (result.value, result.confirmed) == (D(2027, 9, 16), False)
    response = client.get("/api/v1/calendar/due-date", {"start": "2027-09-14", "days": 1})
    assert response.json() == {"due_date": "2027-09-16", "confirmed": False}
    assert selectors.year_status(2027, 2027) == [{"year": 2027, "confirmed": False}]


@pytest.mark.django_db
def test_the_official_schedule_replaces_the_rule():
    # a draft (unconfirmed) schedule is not counted: the rule still is
    calendar_set_year(year=2027, holidays=[(D(2027, 2, 9), "春节")], adjusted_workdays=[], confirmed=False)
    assert selectors.is_working_day(D(2027, 2, 9)) is True
    assert selectors.is_working_day(D(2027, 2, 5)) is False
    # confirmed: only the schedule's own days count (here a made-up one without 除夕, with a 调休)
    calendar_set_year(
        year=2027,
        holidays=[(D(2027, 2, 6) + dt.timedelta(days=i), "春节") for i in range(8)],
        adjusted_workdays=[(D(2027, 2, 20), "春节")],
        confirmed=True,
    )
    assert selectors.is_working_day(D(2027, 2, 5)) is True
    assert selectors.is_working_day(D(2027, 2, 9)) is False
    assert selectors.is_working_day(D(2027, 2, 20)) is True
    assert selectors.is_working_day(D(2027, 6, 9)) is True  # not in this (partial) schedule
    (y2027,) = selectors.year_schedules(2027, 2027)
    assert y2027["provisional_holidays"] == []


@pytest.mark.django_db
def test_a_confirmed_year_ignores_the_rule():
    # a confirmed 2026 whose schedule (made up) leaves out National Day: 10-01 is then a working day
    calendar_set_year(year=2026, holidays=[(D(2026, 1, 1), "元旦")], adjusted_workdays=[], confirmed=True)
    assert selectors.is_working_day(D(2026, 10, 1)) is True
    assert selectors.is_working_day(D(2026, 1, 1)) is False
