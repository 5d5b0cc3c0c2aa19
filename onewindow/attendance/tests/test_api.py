"""The attendance API: terminals clock with their own key; staff read days and violations."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.attendance import devices
from onewindow.attendance.models import ClockRecord
from onewindow.attendance.tests.helpers import MON, local, record
from onewindow.core import clock
from onewindow.org.services import api_token_issue
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/attendance/clock"


@pytest.fixture
def key(org):
    return devices.attendance_device_create(
        center=org.center, name="大厅入口", actor=org.user("centeradmin")
    )[1]


def post(client, key, scheme="Device", **body):
    return client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"{scheme} {key}")


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)[1]}"}


@pytest.mark.parametrize("scheme", ["Device", "Bearer"])
def test_a_terminal_clocks_with_its_key(client, org, key, scheme):
    with clock.frozen_at(local(MON, 9, 20)):
        r = post(client, key, scheme, username="CLERK", kind="in", method="fingerprint")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (
        body["kind"] == "in"
        and body["abnormal"] is True
        and body["at"].startswith("2026-11-16T09:20:00+08:00")
    )
    rec = ClockRecord.objects.get(pk=body["id"])
    assert rec.user == org.user("clerk") and rec.device is not None and rec.reason == ""


def test_by_staff_id_and_the_time_given(client, org, key):
    with clock.frozen_at(local(MON, 8, 30)):
        r = post(
            client,
            key,
            staff_id=org.user("clerk").pk,
            kind="in",
            method="face",
            at="2026-11-16T08:27:00+08:00",
        )
        assert r.status_code == 201 and r.json()["abnormal"] is False
        r = post(
            client,
            key,
            staff_id=org.user("clerk").pk,
            kind="in",
            method="face",
            at="2026-11-16T08:20:00+08:00",
        )
        assert r.status_code == 422 and r.json()["code"] == "clock_skew"


@pytest.mark.parametrize(
    "auth", ["", "Device owt_unknown_key_0000000000000", "Token abc", f"Bearer {'x' * 30}"]
)
def test_unknown_keys_are_401(client, org, auth):
    r = client.post(
        URL,
        {"username": "clerk", "kind": "in", "method": "face"},
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    )
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"


def test_a_revoked_key_is_401_and_a_staff_token_is_no_terminal(client, org, key):
    staff = bearer(org.user("centeradmin"))
    r = client.post(
        URL, {"username": "clerk", "kind": "in", "method": "face"}, content_type="application/json", **staff
    )
    assert r.status_code == 401
    device = devices.device_from_key(key)
    devices.attendance_device_revoke(device_id=device.pk, actor=org.user("centeradmin"))
    assert post(client, key, username="clerk", kind="in", method="face").status_code == 401


def test_unknown_person_method_and_kind(client, org, key):
    from onewindow.org.models import Center

    other = Center.objects.create(code="OTHER", name="另一中心", level=Center.Level.CITY)
    make_user("stranger", center=other, roles=("window_clerk",))
    assert post(client, key, username="stranger", kind="in", method="face").status_code == 404
    assert post(client, key, username="nobody", kind="in", method="face").status_code == 404
    assert post(client, key, username="clerk", kind="in", method="manual").status_code == 422
    assert post(client, key, username="clerk", kind="sideways", method="face").status_code == 422
    assert post(client, key, kind="in", method="face").status_code == 422
    assert post(client, key, username="clerk", kind="in", method="face", reason="x" * 201).status_code == 422


def test_password_on_the_terminal_is_checked_under_the_lockout(client, org, key, settings):
    settings.LOCKOUT_FAILURES = 3
    with clock.frozen_at(local(MON, 8, 30)):
        assert (
            post(client, key, username="clerk", kind="in", method="password", password="wrong").status_code
            == 401
        )
        r = post(client, key, username="clerk", kind="in", method="password", password=PASSWORD)
        assert r.status_code == 201
        for _ in range(3):
            r = post(client, key, username="clerk", kind="in", method="password", password="wrong")
        assert r.status_code == 423
        assert (
            post(client, key, username="clerk", kind="in", method="password", password=PASSWORD).status_code
            == 423
        )


def test_days_own_and_center(client, org):
    clerk = org.user("clerk")
    record(clerk, MON, 9, 30, "in")
    record(clerk, MON, 17, 30, "out")
    record(org.user("supervisor"), MON, 8, 30, "in")
    url = "/api/v1/attendance/days?from=2026-11-16&to=2026-11-17"
    with clock.frozen_at(local(MON + dt.timedelta(days=1), 12)):
        mine = client.get(url, **bearer(clerk))
        assert mine.status_code == 200
        assert [(d["username"], d["date"], d["status"]) for d in mine.json()] == [
            ("clerk", "2026-11-16", "late"),
            ("clerk", "2026-11-17", "absent"),
        ]
        assert mine.json()[0]["window"] == "Z01" and mine.json()[0]["clock_in"].startswith("2026-11-16T09:30")
        assert client.get(url + "&user=supervisor", **bearer(clerk)).status_code == 403
        everyone = client.get(url, **bearer(org.user("supervisor"))).json()
        assert {d["username"] for d in everyone} == {"clerk", "supervisor"}
        one = client.get(url + "&user=supervisor", **bearer(org.user("supervisor"))).json()
        assert [d["status"] for d in one] == ["incomplete", "absent"]
        assert client.get(url + "&user=nobody", **bearer(org.user("supervisor"))).status_code == 404
        too_long = "/api/v1/attendance/days?from=2026-01-01&to=2026-11-17"
        assert client.get(too_long, **bearer(clerk)).status_code == 422
        assert client.get("/api/v1/attendance/days?from=2026-11-16", **bearer(clerk)).status_code == 422


def test_violations_need_view_attendance(client, org):
    clerk = org.user("clerk")
    record(clerk, MON, 9, 30, "in")
    record(clerk, MON, 17, 30, "out")
    url = "/api/v1/attendance/violations?from=2026-11-16&to=2026-11-16"
    with clock.frozen_at(local(MON + dt.timedelta(days=1), 12)):
        assert client.get(url, **bearer(clerk)).status_code == 403
        body = client.get(url, **bearer(org.user("supervisor"))).json()
        assert body == [
            {
                "date": "2026-11-16",
                "username": "clerk",
                "window": "Z01",
                "kind": "late",
                "kind_label": body[0]["kind_label"],
                "points": "0.20",
                "source": "clock",
                "source_id": ClockRecord.objects.get(kind="in").pk,
            }
        ]
        assert client.get(url + "&window=A01", **bearer(org.user("supervisor"))).json() == []
        assert client.get(url + "&window=NOPE", **bearer(org.user("supervisor"))).status_code == 404
