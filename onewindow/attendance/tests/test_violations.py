"""Violations for the window assessment (points from the rule) and the patrol log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.attendance import rules
from onewindow.attendance.patrol import patrol_entry_create
from onewindow.attendance.tests.helpers import MON, leave, local, record
from onewindow.attendance.violations import points, violations
from onewindow.core import clock
from onewindow.core.errors import PermissionDenied, ValidationFailed
from tests.factories import make_user

pytestmark = pytest.mark.django_db
FRI = MON + dt.timedelta(days=4)
NEXT_MON = MON + dt.timedelta(days=7)


@pytest.fixture
def leader(org):
    return make_user("groupleader", center=org.center, roles=("group_leader",))


def test_each_violation_is_a_row_with_the_rule_points(org, leader):
    clerk = org.user("clerk")
    other = make_user("clerk2", center=org.center, roles=("window_clerk",), window=org.window_a)
    week = [MON + dt.timedelta(days=i) for i in range(5)]
    for d in week:
        record(other, d, 8, 30, "in")
        record(other, d, 17, 30, "out")
    record(clerk, MON, 9, 20, "in")  # late
    record(clerk, MON, 16, 30, "out")  # early
    # TUE: absent
    record(clerk, week[2], 7, 30, "in", abnormal=True)  # outside without a reason: unapproved
    record(clerk, week[2], 17, 30, "out")
    record(clerk, week[3], 8, 30, "in")  # no clock out: unapproved (incomplete)
    record(clerk, FRI, 7, 30, "in", abnormal=True, reason="提前到岗")  # with a reason: fine
    record(clerk, FRI, 18, 30, "out", abnormal=True, reason="加班")
    leave(other, local(FRI, 8), local(FRI, 18))
    with clock.frozen_at(local(FRI, 11)):
        rules.attendance_rule_create(
            center=org.center, valid_from=FRI, violation_points=Decimal("0.5"), actor=org.user("centeradmin")
        )
        entry = patrol_entry_create(
            leader=leader,
            at=local(FRI, 10),
            window=None,
            person=other,
            finding="discipline",
            violation=True,
            note="窗口内吃早餐",
        )
        patrol_entry_create(
            leader=leader,
            at=local(FRI, 10, 30),
            window=org.general_window,
            person=None,
            finding="in_order",
            violation=False,
        )
    with clock.frozen_at(local(NEXT_MON, 9)):
        rows = violations(center=org.center, start=MON, end=FRI + dt.timedelta(days=2))
        got = [(r.date, r.user_id, r.kind, r.points, r.source) for r in rows]
        assert got == [
            (MON, clerk.pk, "early", Decimal("0.20"), "clock"),
            (MON, clerk.pk, "late", Decimal("0.20"), "clock"),
            (week[1], clerk.pk, "absent", Decimal("0.20"), "day"),
            (week[2], clerk.pk, "unapproved", Decimal("0.20"), "clock"),
            (week[3], clerk.pk, "unapproved", Decimal("0.20"), "day"),
            (FRI, other.pk, "patrol", Decimal("0.50"), "patrol"),
        ]
        assert rows[-1].source_id == entry.pk and rows[-1].window_id == org.window_a.pk
        assert points(rows) == Decimal("1.50")
        assert [r.kind for r in violations(center=org.center, start=MON, end=FRI, window=org.window_a)] == [
            "patrol"
        ]
        assert len(violations(center=org.center, start=MON, end=FRI, user=clerk)) == 5
        assert {r.window_id for r in violations(center=org.center, start=MON, end=FRI, user=clerk)} == {
            org.general_window.pk
        }
    with clock.frozen_at(local(MON, 20)):  # today is not judged yet
        assert violations(center=org.center, start=MON, end=MON) == []


def test_patrol_entries_are_checked(org, leader):
    with clock.frozen_at(local(MON, 10)):
        with pytest.raises(PermissionDenied):
            patrol_entry_create(
                leader=org.user("clerk"),
                at=None,
                window=org.general_window,
                person=None,
                finding="late",
                violation=False,
            )
        with pytest.raises(ValidationFailed) as e:
            patrol_entry_create(
                leader=leader,
                at=None,
                window=org.general_window,
                person=None,
                finding="in_order",
                violation=True,
            )
        assert "violation" in e.value.details
        with pytest.raises(ValidationFailed) as e:
            patrol_entry_create(
                leader=leader, at=local(MON, 11), window=None, person=None, finding="late", violation=False
            )
        assert set(e.value.details) == {"at", "window"}
        entry = patrol_entry_create(
            leader=leader,
            at=None,
            window=None,
            person=org.user("clerk"),
            finding="absent",
            violation=True,
            note="离岗20分钟",
        )
    assert entry.window == org.general_window and entry.center == org.center
