"""The demo attendance loads through the services and is idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.attendance import daily, devices
from onewindow.attendance.models import ClockRecord, PatrolEntry
from onewindow.attendance.tests.helpers import local
from onewindow.core import clock
from onewindow.demo import attendance
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_demo_attendance_loads_once(org):
    make_user("clerk2", center=org.center, roles=("window_clerk",), window=org.window_a)
    with clock.frozen_at(local(dt.date(2026, 11, 25), 7)):
        made = attendance.load(org.center)
        assert made["attendance_rules"] == 1 and made["attendance_terminals"] == 2
        assert made["clock_records"] > 60 and made["patrol_entries"] == 5
        assert attendance.load(org.center) == {
            "attendance_rules": 0,
            "attendance_terminals": 0,
            "clock_records": 0,
            "patrol_entries": 0,
        }
        assert devices.device_from_key("owt_demo_terminal_1f") is not None
        days = daily.derive(center=org.center, start=dt.date(2026, 10, 1), end=dt.date(2026, 11, 24))
    statuses = {d.status for d in days}
    assert {"normal", "incomplete", "late", "early", "absent"} <= statuses
    assert ClockRecord.objects.filter(abnormal=True).exists()
    assert PatrolEntry.objects.filter(violation=True).count() == 2
