"""The system check: from 1 November (local time), warn when next year is not confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import checks

from onewindow.calendar.checks import next_year_schedule
from onewindow.calendar.services import calendar_set_year

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _ids() -> list[str]:
    return [message.id for message in next_year_schedule()]


@pytest.mark.parametrize(
    ("moment", "warned"),
    [
        (dt.datetime(2026, 6, 1, 12, tzinfo=UTC), False),  # mid-year: too early to expect 2027
        (dt.datetime(2026, 10, 31, 15, 59, tzinfo=UTC), False),  # 23:59 on 31 October in Beijing
        (dt.datetime(2026, 10, 31, 16, 0, tzinfo=UTC), True),  # 00:00 on 1 November in Beijing
        (dt.datetime(2026, 12, 31, 12, tzinfo=UTC), True),  # still missing at the end of the year
    ],
)
def test_warns_from_november_when_next_year_is_unconfirmed(moment, warned):
    with time_machine.travel(moment, tick=False):
        assert _ids() == (["calendar.W001"] if warned else [])


def test_the_warning_names_the_year():
    with time_machine.travel(dt.datetime(2026, 11, 2, tzinfo=UTC), tick=False):
        (warning,) = next_year_schedule()
    assert isinstance(warning, checks.Warning)
    assert "2027" in warning.msg and "calendar_sync_package" in warning.hint


def test_no_warning_once_next_year_is_confirmed():
    calendar_set_year(
        year=2027, holidays=[(dt.date(2027, 1, 1), "元旦")], adjusted_workdays=[], confirmed=True
    )
    with time_machine.travel(dt.datetime(2026, 11, 15, tzinfo=UTC), tick=False):
        assert _ids() == []


def test_an_entered_but_unconfirmed_year_still_warns():
    calendar_set_year(
        year=2027, holidays=[(dt.date(2027, 1, 1), "元旦")], adjusted_workdays=[], confirmed=False
    )
    with time_machine.travel(dt.datetime(2026, 11, 15, tzinfo=UTC), tick=False):
        assert _ids() == ["calendar.W001"]


def test_registered_with_the_onewindow_tag():
    with time_machine.travel(dt.datetime(2026, 11, 15, tzinfo=UTC), tick=False):
        found = [m.id for m in checks.run_checks(tags=["onewindow"])]
    assert "calendar.W001" in found
    with time_machine.travel(dt.datetime(2026, 5, 15, tzinfo=UTC), tick=False):
        found = [m.id for m in checks.run_checks(tags=["onewindow"])]
    assert "calendar.W001" not in found
