"""The demo leave requests: a dozen in the promised states, and a second run adds nothing."""

from __future__ import annotations

from collections import Counter

import pytest

from onewindow.attendance.models import LeaveRequest
from onewindow.demo import leave as demo_leave
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_demo_leave_requests(org):
    make_user(
        "clerk2", center=org.center, department=org.dept_a, roles=("window_clerk",), window=org.window_a
    )
    make_user("groupleader", center=org.center, roles=("group_leader",))
    assert demo_leave.load(org.center) == {"leave_requests": 12}
    rows = LeaveRequest.objects.filter(center=org.center)
    states = Counter((r.status, r.stage) for r in rows)
    assert states == {
        ("approved", "done"): 8,
        ("rejected", "done"): 1,
        ("withdrawn", "done"): 1,
        ("pending", "home_department"): 1,
        ("pending", "supervision"): 1,
    }
    assert rows.filter(length="half_day", decisions__decision="recorded").count() == 2
    annual = rows.get(kind="annual", status="approved")
    assert annual.stand_in.username == "clerk" and annual.days == 2
    assert demo_leave.load(org.center) == {"leave_requests": 0}


def test_missing_accounts_are_skipped(org):
    assert demo_leave.load(org.center) == {"leave_requests": 0}  # no clerk2
    make_user(
        "clerk2", center=org.center, department=org.dept_a, roles=("window_clerk",), window=org.window_a
    )
    made = demo_leave.load(org.center)["leave_requests"]  # no group leader: no short ones
    assert made == 6
