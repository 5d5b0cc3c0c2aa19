"""The statutory holidays of a year computed from the rule, for a year without a confirmed schedule.

The 全国年节及纪念日放假办法 (as revised in 2024, in force from 2025) fixes 13 days of public
holiday on their own dates:

- 元旦: 1 January;
- 春节: 4 days, 除夕 (the last day of the twelfth lunar month, the 29th or the 30th) and
  正月初一 to 初三;
- 清明: the day of the solar term 清明 (4 or 5 April);
- 劳动节: 1 and 2 May;
- 端午: 五月初五;
- 中秋: 八月十五;
- 国庆节: 1 to 3 October.

Each year the State Council's notice moves days around them (调休: a longer holiday, and
weekend days worked instead); those are unknown until it is published, so a year without a
confirmed schedule counts Monday–Friday minus these days only, and stays unconfirmed. A date
that falls on a weekend changes nothing (it is no working day anyway).

Lunar dates come from `lunardate` (lunar years 1900–2099: for 2100 the lunar holidays are not
known and only the fixed-date ones are given); the solar term from `chinesecalendar`. The rule
applies from `RULE_FIRST_YEAR`; earlier years (before the revision) get no computed days.
"""

from __future__ import annotations

import datetime as dt
import functools

import chinese_calendar
from chinese_calendar import Holiday
from lunardate import LunarDate

RULE_FIRST_YEAR = 2025
"""The first year of the 2024 revision (earlier years followed other rules)."""

# Named as the stored schedules name them (chinesecalendar's Chinese names, see package.py).
NEW_YEAR = str(Holiday.new_years_day.chinese)  # 元旦
SPRING_FESTIVAL = str(Holiday.spring_festival.chinese)  # 春节
TOMB_SWEEPING = str(Holiday.tomb_sweeping_day.chinese)  # 清明
LABOUR_DAY = str(Holiday.labour_day.chinese)  # 劳动节
DRAGON_BOAT = str(Holiday.dragon_boat_festival.chinese)  # 端午
MID_AUTUMN = str(Holiday.mid_autumn_festival.chinese)  # 中秋
NATIONAL_DAY = str(Holiday.national_day.chinese)  # 国庆节


def _lunar(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian date of a (non-leap) lunar date, or None outside lunardate's range."""
    try:
        return LunarDate(year, month, day).to_solar_date()  # type: ignore[no-any-return]
    except ValueError:
        return None


def _qingming(year: int) -> dt.date | None:
    terms = chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))
    return next((day for day, name in terms if name == "清明"), None)


@functools.lru_cache(maxsize=256)
def _rule_days(year: int) -> tuple[tuple[dt.date, str], ...]:
    days: list[tuple[dt.date, str]] = [(dt.date(year, 1, 1), NEW_YEAR)]
    new_year = _lunar(year, 1, 1)
    if new_year is not None:
        eve = new_year - dt.timedelta(days=1)  # 除夕: the day before 正月初一, whether 腊月 has 29 or 30 days
        days += [(eve + dt.timedelta(days=i), SPRING_FESTIVAL) for i in range(4)]
    qingming = _qingming(year)
    if qingming is not None:
        days.append((qingming, TOMB_SWEEPING))
    days += [(dt.date(year, 5, 1), LABOUR_DAY), (dt.date(year, 5, 2), LABOUR_DAY)]
    for month, day, name in ((5, 5, DRAGON_BOAT), (8, 15, MID_AUTUMN)):
        date = _lunar(year, month, day)
        if date is not None:
            days.append((date, name))
    days += [(dt.date(year, 10, d), NATIONAL_DAY) for d in (1, 2, 3)]
    # 正月初一 falls between 21 January and 20 February, so every day lies in `year`.
    return tuple(sorted(days))


def statutory_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The statutory holiday dates of `year` by the rule, sorted, each with its Chinese name
    (empty before `RULE_FIRST_YEAR`)."""
    if year < RULE_FIRST_YEAR:
        return []
    return list(_rule_days(year))
