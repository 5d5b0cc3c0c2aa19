"""GET /api/v1/queue/hall (200 with the version, 204 when unchanged, announcements after an id) and
GET /api/v1/public/queue/wait/{token}."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onewindow.appointments.models import BusinessType
from onewindow.cases.tests.conftest import at, local
from onewindow.hall.board import announce
from onewindow.hall.models import Announcement, Ticket
from onewindow.hall.tickets import ticket_issue
from onewindow.hall.waitlink import wait_token
from tests.factories import OrgFixture, make_user

URL = "/api/v1/queue/hall"


@pytest.fixture
def ticket(org: OrgFixture) -> Ticket:
    business = BusinessType.objects.create(center=org.center, letter="A", name="市场监管业务")
    business.windows.add(org.window_a)
    kiosk = make_user("kiosk", center=org.center, roles=("ticket_dispenser",))
    with at("2026-12-08 09:00"):
        return ticket_issue(business=business, actor=kiosk)


def test_state_then_204_then_a_call(client, org, ticket) -> None:
    with at("2026-12-08 09:01"):
        first = client.get(URL, {"center": "DEMO"})
        assert first.status_code == 200
        body = first.json()
        version = body["version"]
        assert body["center"] == {"code": "DEMO", "name": "测试市政务服务中心"}
        assert body["waiting"][0]["waiting"] == 1 and body["announcements"] == []
        with CaptureQueriesContext(connection) as queries:
            unchanged = client.get(URL, {"center": "DEMO", "since": version})
        assert unchanged.status_code == 204 and len(queries) == 1
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CALLED, window=org.window_a)
    row = announce(
        kind=Announcement.Kind.CALL, window=org.window_a, ticket=ticket, now=local("2026-12-08 09:02")
    )
    with at("2026-12-08 09:02"):
        moved = client.get(URL, {"center": "DEMO", "since": version, "after": body["last_announcement"]})
    assert moved.status_code == 200
    data = moved.json()
    assert data["version"] > version and data["last_announcement"] == row.pk
    assert [a["text"] for a in data["announcements"]] == ["请A001号，到A01号窗口"]
    assert data["calls"][0]["number"] == "A001" and data["windows"][0]["current"] == ""


def test_unknown_center_is_404(client, org) -> None:
    answer = client.get(URL, {"center": "NOPE"})
    assert answer.status_code == 404 and answer.json()["code"] == "no_center"
    assert client.get(URL).status_code == 422


def test_wait_endpoint(client, org, ticket) -> None:
    with at("2026-12-08 09:05"):
        answer = client.get(f"/api/v1/public/queue/wait/{wait_token(ticket)}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["number"] == "A001" and body["status"] == "waiting" and body["position"] == 1
    assert body["estimate_default"] is True and body["windows"] == ["A01"]
    assert client.get("/api/v1/public/queue/wait/forged.token").status_code == 404


def test_pages_render_without_javascript(client, org, ticket) -> None:
    with at("2026-12-08 09:05"):
        screen = client.get("/hall/screen/", {"center": "DEMO"})
        assert screen.status_code == 200
        page = screen.content.decode()
        assert 'data-poll="500"' in page and 'data-voice="clips"' in page and "市场监管业务" in page
        assert "<script>" not in page and "style=" not in page
        assert client.get("/hall/screen/").status_code == 200  # the only center
        assert client.get("/hall/screen/", {"center": "NOPE"}).status_code == 404
        assert client.get("/hall/screen/", {"center": "DEMO", "layout": "portrait"}).status_code == 200
        window = client.get("/hall/window/A01/")
        assert window.status_code == 200 and "市场监管窗口" in window.content.decode()
        assert client.get("/hall/window/X99/").status_code == 404
        wait = client.get(f"/hall/wait/{wait_token(ticket)}/")
        assert wait.status_code == 200 and "A001" in wait.content.decode()
        assert 'http-equiv="refresh"' in wait.content.decode()
        assert client.get("/hall/wait/forged/").status_code == 404
