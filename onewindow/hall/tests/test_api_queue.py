"""The queue API: issue (dispenser token), call next (200 / 204), actions with their 409s,
the businesses, my window and its status."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from onewindow.core import clock
from onewindow.hall.models import Ticket
from onewindow.hall.tests.queue_helpers import Queue, at, build_queue
from onewindow.org.services import api_token_issue

BASE = "/api/v1/queue"


@pytest.fixture
def q(org: Any) -> Queue:
    return build_queue(org)


def _auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)[1]}"}


def _post(client: Client, path: str, body: dict[str, Any] | None, headers: dict[str, str]) -> Any:
    return client.post(f"{BASE}{path}", json.dumps(body or {}), content_type="application/json", **headers)


def test_issue_call_and_serve(client: Client, q: Queue) -> None:
    kiosk, clerk = _auth(q.kiosk), _auth(q.clerk)
    with clock.frozen_at(at(9)):
        first = _post(client, "/tickets", {"business": "a"}, kiosk)
        assert first.status_code == 201, first.content
        body = first.json()
        assert (body["number"], body["business"], body["ahead"], body["windows"]) == (
            "A001",
            "A",
            0,
            ["A01", "Z01"],
        )
        assert isinstance(body["wait_url"], str)
        second = _post(client, "/tickets", {"business": "A", "priority": True, "phone": "13800138000"}, kiosk)
        assert second.json()["number"] == "VA002" and second.json()["ahead"] == 0
        assert Ticket.objects.get(number="A001").source == "kiosk"
        bad = _post(client, "/tickets", {"business": "Q"}, kiosk)
        assert bad.status_code == 422 and "business" in bad.json()["details"]
        assert _post(client, "/tickets", {"business": "A", "phone": "123"}, kiosk).status_code == 422
        # the dispenser calls nobody
        assert _post(client, "/call-next", None, kiosk).status_code == 403

    with clock.frozen_at(at(9, 5)):
        called = _post(client, "/call-next", None, clerk)
        assert called.status_code == 200 and called.json()["number"] == "VA002"
        assert called.json()["window"] == "Z01" and called.json()["status"] == "called"
        busy = _post(client, "/call-next", None, clerk)
        assert busy.status_code == 409 and busy.json()["code"] == "window_busy"
        version = called.json()["version"]
        stale = _post(client, "/tickets/VA002/actions", {"action": "start", "version": version - 1}, clerk)
        assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
        started = _post(client, "/tickets/VA002/actions", {"action": "start", "version": version}, clerk)
        assert started.status_code == 200 and started.json()["status"] == "serving"
        finished = _post(client, "/tickets/va002/actions", {"action": "finish"}, clerk)
        assert finished.json()["status"] == "served"
        assert _post(client, "/call-next", None, clerk).json()["number"] == "A001"
        skip = _post(client, "/tickets/A001/actions", {"action": "skip"}, clerk)
        assert skip.status_code == 422
        assert (
            _post(client, "/tickets/A001/actions", {"action": "skip", "reason": "未到"}, clerk).status_code
            == 200
        )
        nobody = _post(client, "/call-next", None, clerk)
        assert nobody.status_code == 204 and nobody.content == b""
        assert _post(client, "/tickets/A999/actions", {"action": "start"}, clerk).status_code == 404
        assert _post(client, "/tickets/A001/actions", {"action": "dance"}, clerk).status_code == 422


def test_fifo_guard_transfer_and_recall_limit(client: Client, q: Queue, settings: Any) -> None:
    settings.QUEUE_MAX_RECALLS = 1
    clerk, clerk_a = _auth(q.clerk), _auth(q.clerk_a)
    for minute in (0, 1):
        q.issue(q.a, at(9, minute))
    with clock.frozen_at(at(9, 5)):
        refused = _post(client, "/tickets/A002/actions", {"action": "call"}, clerk)
        assert refused.status_code == 409 and refused.json()["code"] == "earlier_ticket_waiting"
        assert _post(client, "/tickets/A001/actions", {"action": "call"}, clerk).status_code == 200
        other = _post(client, "/tickets/A001/actions", {"action": "call"}, clerk_a)
        assert other.status_code == 409 and other.json()["code"] == "already_called"
        assert _post(client, "/tickets/A001/actions", {"action": "recall"}, clerk).status_code == 200
        limit = _post(client, "/tickets/A001/actions", {"action": "recall"}, clerk)
        assert limit.status_code == 409 and limit.json()["code"] == "recall_limit"
        moved = _post(
            client, "/tickets/A001/actions", {"action": "transfer", "window": "A01", "reason": "专窗"}, clerk
        )
        assert moved.status_code == 200
        assert (moved.json()["status"], moved.json()["target_window"], moved.json()["transferred"]) == (
            "waiting",
            "A01",
            True,
        )
        nowhere = _post(client, "/tickets/A002/actions", {"action": "transfer", "window": "X99"}, clerk)
        assert nowhere.status_code == 422
        assert _post(client, "/call-next", None, clerk_a).json()["number"] == "A001"


def test_businesses_and_my_window(client: Client, q: Queue) -> None:
    clerk = _auth(q.clerk)
    rows = client.get(f"{BASE}/businesses", **clerk).json()
    assert [(r["code"], [w["code"] for w in r["windows"]]) for r in rows] == [
        ("A", ["A01", "Z01"]),
        ("B", ["A01"]),
    ]
    assert rows[0]["windows"][1]["clerks"] == ["clerk"]
    assert client.get(f"{BASE}/businesses").status_code == 401
    q.issue(q.a, at(9))
    with clock.frozen_at(at(9, 30)):
        mine = client.get(f"{BASE}/window", **clerk).json()
        assert (mine["code"], mine["status"], mine["current"]) == ("Z01", "open", None)
        assert mine["waiting"] == [{"business": "A", "name": "市场监管业务", "waiting": 1}]
        away = _post(
            client,
            "/window/status",
            {"status": "away", "message": "现场踏勘", "expected_return": "2026-12-08T15:00:00+08:00"},
            clerk,
        )
        assert away.status_code == 200 and away.json()["status"] == "away"
        assert _post(client, "/window/status", {"status": "lunch"}, clerk).status_code == 422
        assert _post(client, "/call-next", None, clerk).json()["code"] == "window_not_open"
    nowindow = _auth(q.leader)
    assert client.get(f"{BASE}/window", **nowindow).json()["code"] == "no_window"


def test_a_dispenser_session(client: Client, q: Queue) -> None:
    client.force_login(q.kiosk)
    with clock.frozen_at(at(9)):
        held = _post(client, "/tickets", {"business": "A"}, {})
        assert held.status_code == 401  # the session's second factor is not settled yet
        session = client.session
        session["ow_second_factor_user"] = q.kiosk.pk
        session.save()
        issued = _post(client, "/tickets", {"business": "A"}, {})
        assert issued.status_code == 201 and issued.json()["number"] == "A001"
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert _post(strict, "/tickets", {"business": "A"}, {}).status_code == 403
