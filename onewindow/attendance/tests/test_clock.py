"""Clocking: the rule's bands (table-driven), the three sources, reasons added later, the rule's
versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.attendance import devices, rules
from onewindow.attendance.clock import clock_reason_add, clock_record
from onewindow.attendance.models import AttendanceRule, ClockRecord
from onewindow.attendance.tests.helpers import MON, local
from onewindow.core import clock
from onewindow.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.factories import make_user

pytestmark = pytest.mark.django_db

IN, OUT = ClockRecord.Kind.IN, ClockRecord.Kind.OUT


@pytest.fixture
def terminal(org):
    return devices.attendance_device_create(
        center=org.center, name="大厅入口", actor=org.user("centeradmin")
    )[0]


# (kind, local time, abnormal): the seed-003 bands 08:00–09:00 and 17:00–18:00, both ends in,
# to the minute
BANDS = [
    (IN, (7, 59), True),  # before the band: abnormal, a reason is needed (not late)
    (IN, (8, 0), False),
    (IN, (8, 30), False),
    (IN, (9, 0), False),
    (IN, (9, 1), True),  # late
    (IN, (13, 0), True),
    (OUT, (16, 59), True),  # early leave
    (OUT, (17, 0), False),
    (OUT, (18, 0), False),
    (OUT, (18, 1), True),  # after the band: abnormal, a reason is needed
    (OUT, (21, 30), True),
]


@pytest.mark.parametrize(("kind", "hm", "abnormal"), BANDS)
def test_the_rule_bands_decide_abnormal(org, terminal, kind, hm, abnormal):
    at = local(MON, *hm)
    with clock.frozen_at(at):
        r = clock_record(user=org.user("clerk"), kind=kind, method="fingerprint", device=terminal)
    assert r.abnormal is abnormal
    assert r.date == MON and r.device == terminal and r.window == org.general_window


def test_seconds_do_not_make_late(org, terminal):
    with clock.frozen_at(local(MON, 9) + dt.timedelta(seconds=59)):
        assert not clock_record(user=org.user("clerk"), kind=IN, method="face", device=terminal).abnormal


@pytest.mark.parametrize(
    ("hm", "reason", "ok"), [((8, 30), "", True), ((9, 20), "", False), ((9, 20), "堵车", True)]
)
def test_the_staff_page_needs_a_reason_outside_the_band(org, hm, reason, ok):
    with clock.frozen_at(local(MON, *hm)):
        if ok:
            r = clock_record(user=org.user("clerk"), kind=IN, method="password", reason=reason)
            assert r.reason == reason and r.device is None
        else:
            with pytest.raises(ValidationFailed) as e:
                clock_record(user=org.user("clerk"), kind=IN, method="password")
            assert e.value.code == "reason_required" and "reason" in e.value.details


def test_the_staff_page_clocks_now_with_the_password_method_only(org):
    with clock.frozen_at(local(MON, 8, 10)), pytest.raises(ValidationFailed):
        clock_record(user=org.user("clerk"), kind=IN, method="fingerprint")


def test_a_terminal_may_post_an_abnormal_record_without_a_reason(org, terminal):
    with clock.frozen_at(local(MON, 9, 40)):
        r = clock_record(user=org.user("clerk"), kind=IN, method="fingerprint", device=terminal)
    assert r.abnormal and r.reason == ""


@pytest.mark.parametrize("minutes", [-6, 6])
def test_a_terminal_time_more_than_5_minutes_off_is_refused(org, terminal, minutes):
    now = local(MON, 8, 30)
    with clock.frozen_at(now), pytest.raises(ValidationFailed) as e:
        clock_record(
            user=org.user("clerk"),
            kind=IN,
            method="fingerprint",
            device=terminal,
            at=now + dt.timedelta(minutes=minutes),
        )
    assert e.value.code == "clock_skew"


def test_a_revoked_terminal_or_another_center_clocks_nobody(org, terminal):
    from onewindow.org.models import Center

    center = Center.objects.create(code="OTHER", name="另一中心", level=Center.Level.CITY)
    stranger = make_user("stranger", center=center, roles=("window_clerk",))
    with clock.frozen_at(local(MON, 8, 30)):
        with pytest.raises(NotFound):
            clock_record(user=stranger, kind=IN, method="fingerprint", device=terminal)
        devices.attendance_device_revoke(device_id=terminal.pk, actor=org.user("centeradmin"))
        terminal.refresh_from_db()
        with pytest.raises(NotFound):
            clock_record(user=org.user("clerk"), kind=IN, method="fingerprint", device=terminal)


def test_manual_entry_needs_the_permission_and_a_reason(org):
    leader = make_user("leader", center=org.center, roles=("group_leader",))
    with clock.frozen_at(local(MON, 19)):
        with pytest.raises(PermissionDenied):
            clock_record(
                user=org.user("clerk"),
                kind=OUT,
                method="manual",
                at=local(MON, 17, 30),
                entered_by=org.user("clerk"),
                reason="x",
            )
        with pytest.raises(ValidationFailed):
            clock_record(
                user=org.user("clerk"), kind=OUT, method="manual", at=local(MON, 17, 30), entered_by=leader
            )
        r = clock_record(
            user=org.user("clerk"),
            kind=OUT,
            method="manual",
            at=local(MON, 17, 30),
            entered_by=leader,
            reason="指纹机故障",
        )
    assert not r.abnormal and r.entered_by == leader and r.at == local(MON, 17, 30)


def test_a_reason_added_later_is_an_explanation_record(org, terminal):
    clerk = org.user("clerk")
    with clock.frozen_at(local(MON, 7, 40)):
        r = clock_record(user=clerk, kind=IN, method="fingerprint", device=terminal)
    with clock.frozen_at(local(MON, 10)):
        x = clock_reason_add(record_id=r.pk, reason="提前到岗整理材料", actor=clerk)
        with pytest.raises(NotFound):  # someone else's record, without clock_manually
            clock_reason_add(record_id=r.pk, reason="x", actor=org.user("scjg-reviewer"))
    assert (x.user, x.kind, x.at, x.method, x.abnormal) == (clerk, IN, r.at, "manual", True)
    assert ClockRecord.objects.filter(user=clerk).count() == 2


def test_rule_versions_are_kept_and_chosen_by_day(org):
    admin = org.user("centeradmin")
    assert rules.rule_for(org.center, MON).clock_in_until == dt.time(9)  # the seed-003 defaults
    assert rules.rule_for(org.center, MON).pk is None
    with clock.frozen_at(local(MON, 12)):
        rules.attendance_rule_create(center=org.center, valid_from=MON, actor=admin)
        rules.attendance_rule_create(
            center=org.center,
            valid_from=MON + dt.timedelta(days=2),
            clock_in_until=dt.time(9, 30),
            actor=admin,
        )
        with pytest.raises(Conflict):
            rules.attendance_rule_create(center=org.center, valid_from=MON, actor=admin)
        with pytest.raises(ValidationFailed):
            rules.attendance_rule_create(
                center=org.center,
                valid_from=MON + dt.timedelta(days=5),
                clock_in_from=dt.time(10),
                actor=admin,
            )
        with pytest.raises(PermissionDenied):
            rules.attendance_rule_create(
                center=org.center, valid_from=MON + dt.timedelta(days=6), actor=org.user("clerk")
            )
    assert AttendanceRule.objects.filter(center=org.center).count() == 2
    assert rules.rule_for(org.center, MON + dt.timedelta(days=1)).clock_in_until == dt.time(9)
    assert rules.rule_for(org.center, MON + dt.timedelta(days=3)).clock_in_until == dt.time(9, 30)
    assert rules.rule_for(org.center, MON).violation_points == Decimal("0.20")
    with clock.frozen_at(local(MON + dt.timedelta(days=3), 9, 20)):
        assert not clock_record(user=org.user("clerk"), kind=IN, method="password").abnormal


def test_terminal_keys_are_shown_once_and_stored_as_digests(org):
    device, raw = devices.attendance_device_create(
        center=org.center, name="一楼", actor=org.user("centeradmin")
    )
    assert raw.startswith("owt_") and raw not in device.key_digest and len(device.key_digest) == 64
    assert devices.device_from_key(raw) == device
    assert devices.device_from_key("owt_" + "x" * 40) is None
    with pytest.raises(PermissionDenied):
        devices.attendance_device_create(center=org.center, name="x", actor=org.user("clerk"))
    devices.attendance_device_revoke(device_id=device.pk, actor=org.user("centeradmin"))
    assert devices.device_from_key(raw) is None
