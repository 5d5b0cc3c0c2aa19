"""The staff attendance pages: who may open them, 签到 / 签退, the center table, manual entry,
the patrol log, terminals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from onewindow.attendance.models import AttendanceDevice, ClockRecord, PatrolEntry
from onewindow.attendance.tests.helpers import MON, leave, local, record
from onewindow.core import clock
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(org):
    return make_user("groupleader", center=org.center, roles=("group_leader",))


@pytest.mark.parametrize(
    ("name", "allowed", "refused"),
    [
        ("attendance", ("supervisor",), ("clerk", "centeradmin")),
        ("attendance_mine", ("clerk", "supervisor", "centeradmin"), ()),
        ("attendance_manual", ("supervisor", "groupleader"), ("clerk",)),
        ("patrol", ("supervisor", "groupleader"), ("clerk",)),
        ("attendance_devices", ("centeradmin",), ("clerk", "supervisor")),
    ],
)
def test_who_may_open_the_pages(client, org, leader, name, allowed, refused):
    org.users["groupleader"] = leader
    for username in allowed:
        client.force_login(org.user(username))
        assert client.get(reverse(f"web:{name}")).status_code == 200, username
    for username in refused:
        client.force_login(org.user(username))
        assert client.get(reverse(f"web:{name}")).status_code == 403, username


def test_clock_in_and_out_on_my_page(client, org):
    clerk = org.user("clerk")
    client.force_login(clerk)
    url = reverse("web:attendance_mine")
    with clock.frozen_at(local(MON, 8, 40)):
        assert client.post(url, {"op": "in"}).status_code == 302
    with clock.frozen_at(local(MON, 16, 30)):
        r = client.post(url, {"op": "out"})
        assert r.status_code == 422 and "clock-error" in r.content.decode()  # a reason is needed
        assert client.post(url, {"op": "out", "reason": "去税务局送材料"}).status_code == 302
    with clock.frozen_at(local(MON, 20)):
        page = client.get(url + "?month=2026-11").content.decode()
    assert ClockRecord.objects.filter(user=clerk).count() == 2
    assert "去税务局送材料" in page


def test_a_reason_missing_is_given_on_my_page(client, org):
    clerk = org.user("clerk")
    r = record(clerk, MON, 7, 30, "in", abnormal=True)
    client.force_login(clerk)
    url = reverse("web:attendance_mine") + "?month=2026-11"
    with clock.frozen_at(local(MON, 12)):
        assert 'data-testid="reasons-missing"' in client.get(url).content.decode()
        assert client.post(url, {"op": "reason", "record": r.pk, "reason": "提前到岗"}).status_code == 302
        assert 'data-testid="reasons-missing"' not in client.get(url).content.decode()


def test_the_center_table_shows_status_violations_and_flags(client, org):
    clerk = org.user("clerk")
    record(clerk, MON, 9, 30, "in")
    record(clerk, MON, 17, 30, "out")
    for i in range(6):
        day = dt.date(2026, 11, 2 + i)
        leave(clerk, local(day, 8), local(day, 9))
    client.force_login(org.user("supervisor"))
    with clock.frozen_at(local(MON + dt.timedelta(days=1), 12)):
        page = client.get(reverse("web:attendance") + "?month=2026-11").content.decode()
    assert 'data-person="clerk"' in page and "att-late" in page
    assert 'data-testid="threshold-flag"' in page


def test_manual_entry_and_patrol(client, org, leader):
    client.force_login(leader)
    with clock.frozen_at(local(MON, 19)):
        r = client.post(
            reverse("web:attendance_manual"),
            {
                "person": org.user("clerk").pk,
                "kind": "out",
                "date": "2026-11-16",
                "time": "17:35",
                "reason": "",
            },
        )
        assert r.status_code == 422
        r = client.post(
            reverse("web:attendance_manual"),
            {
                "person": org.user("clerk").pk,
                "kind": "out",
                "date": "2026-11-16",
                "time": "17:35",
                "reason": "忘记签退",
            },
        )
        assert r.status_code == 302
        r = client.post(
            reverse("web:patrol"),
            {
                "date": "2026-11-16",
                "time": "15:00",
                "window": org.general_window.pk,
                "finding": "discipline",
                "violation": "1",
                "note": "",
            },
        )
        assert r.status_code == 422 and "errorlist" in r.content.decode()
        r = client.post(
            reverse("web:patrol"),
            {
                "date": "2026-11-16",
                "time": "15:00",
                "window": org.general_window.pk,
                "finding": "discipline",
                "violation": "1",
                "note": "玩手机",
            },
        )
        assert r.status_code == 302
    rec = ClockRecord.objects.get()
    assert (rec.method, rec.entered_by, rec.reason) == ("manual", leader, "忘记签退")
    assert PatrolEntry.objects.get().violation


def test_terminals_key_shown_once_and_revoked(client, org):
    client.force_login(org.user("centeradmin"))
    url = reverse("web:attendance_devices")
    page = client.post(url, {"op": "create", "name": "大厅入口", "window": ""}).content.decode()
    device = AttendanceDevice.objects.get()
    assert 'data-testid="terminal-key"' in page and "owt_" in page
    assert 'data-testid="terminal-key"' not in client.get(url).content.decode()
    assert client.post(url, {"op": "revoke", "device": device.pk}).status_code == 302
    device.refresh_from_db()
    assert device.revoked_at is not None
    assert client.post(url, {"op": "create", "name": ""}).status_code == 422


def test_rule_versions_page(client, org):
    from onewindow.attendance.models import AttendanceRule
    from onewindow.attendance.rules import rule_for

    client.force_login(org.user("supervisor"))
    assert client.get(reverse("web:attendance_rules")).status_code == 403
    client.force_login(org.user("centeradmin"))
    url = reverse("web:attendance_rules")
    page = client.get(url).content.decode()
    assert 'value="08:00"' in page and 'value="09:00"' in page
    body = {
        "valid_from": "2026-12-01",
        "clock_in_from": "08:30",
        "clock_in_until": "09:00",
        "clock_out_from": "17:30",
        "clock_out_until": "18:00",
        "month_threshold": "5",
        "quarter_threshold": "10",
        "year_threshold": "20",
        "violation_points": "0.2",
    }
    assert client.post(url, {**body, "clock_out_from": "8"}).status_code == 422
    assert client.post(url, {**body, "clock_in_until": "08:00"}).status_code == 422
    assert client.post(url, body).status_code == 302
    assert AttendanceRule.objects.get().clock_in_from == dt.time(8, 30)
    assert rule_for(org.center, dt.date(2026, 12, 2)).clock_out_from == dt.time(17, 30)
    assert rule_for(org.center, dt.date(2026, 11, 30)).clock_out_from == dt.time(17)
