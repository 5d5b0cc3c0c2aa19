"""The pre-filled schedule (data migration) and the calendar_sync_package command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import call_command

from onewindow.calendar import package, selectors
from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.calendar.services import calendar_set_year
from onewindow.core.models import AuditEntry

D = dt.date

pytestmark = pytest.mark.django_db


def _days(year: int) -> list[tuple[dt.date, str, str]]:
    return list(CalendarDay.objects.filter(year=year).order_by("date").values_list("date", "kind", "name"))


def test_the_migration_filled_every_known_year():
    years = list(CalendarYear.objects.order_by("year").values_list("year", "confirmed", "source"))
    source = f"chinesecalendar {chinese_calendar.__version__}"
    assert years == [(y, True, source) for y in range(2004, 2027)]
    assert CalendarDay.objects.filter(kind="holiday").count() == len(chinese_calendar.holidays)
    assert CalendarDay.objects.filter(kind="adjusted_workday").count() == len(chinese_calendar.workdays)
    # names are in Chinese, adjusted days named after the holiday they compensate
    assert CalendarDay.objects.get(date=D(2026, 2, 17)).name == "春节"
    adjusted = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert (adjusted.kind, adjusted.name) == ("adjusted_workday", "国庆节")
    assert CalendarDay.objects.get(date=D(2015, 9, 3)).name.startswith("中国人民抗日战争")
    # every adjusted working day is a weekend day
    assert not [d for d in CalendarDay.objects.filter(kind="adjusted_workday") if d.date.weekday() < 5]


def test_package_reader_matches_the_package():
    known = {y.year: y for y in package.years()}
    assert sorted(known) == list(range(2004, 2027))
    assert (D(2026, 2, 14), "春节") in known[2026].adjusted_workdays
    assert package.source() == f"chinesecalendar {chinese_calendar.__version__}"


def _sync(*args: str) -> str:
    out = StringIO()
    call_command("calendar_sync_package", *args, stdout=out)
    return out.getvalue()


def test_sync_with_nothing_to_do_changes_nothing():
    audit_count = AuditEntry.objects.count()
    assert "0 created, 0 updated, 23 unchanged, 0 kept" in _sync()
    assert AuditEntry.objects.count() == audit_count


def test_sync_restores_missing_and_outdated_years_but_keeps_edited_ones(org):
    CalendarYear.objects.filter(year=2010).delete()  # missing
    calendar_set_year(
        year=2012, holidays=[], adjusted_workdays=[], confirmed=True, source="chinesecalendar 1.0.0"
    )
    edited_2020 = [(D(2020, 1, 1), "元旦")]
    calendar_set_year(
        year=2020,
        holidays=edited_2020,
        adjusted_workdays=[],
        confirmed=True,
        source="国办发明电〔2019〕16号",
        actor=org.user("centeradmin"),
    )
    output = _sync()
    assert "1 created, 1 updated, 20 unchanged, 1 kept as edited" in output
    assert "2020: kept" in output
    expected_2010 = sorted(
        [
            (d, "holiday", package.chinese_name(n))
            for d, n in chinese_calendar.holidays.items()
            if d.year == 2010
        ]
        + [
            (d, "adjusted_workday", package.chinese_name(n))
            for d, n in chinese_calendar.workdays.items()
            if d.year == 2010
        ]
    )
    assert _days(2010) == expected_2010
    assert len(_days(2012)) > 0 and CalendarYear.objects.get(year=2012).source == package.source()
    assert _days(2020) == [(D(2020, 1, 1), "holiday", "元旦")]
    assert selectors.is_working_day(D(2012, 10, 1)) is False  # the restored 2012 is used at once

    output = _sync("--force")
    assert "0 created, 1 updated, 22 unchanged, 0 kept as edited" in output
    assert len(_days(2020)) > 1
    assert CalendarYear.objects.get(year=2020).updated_by is None
