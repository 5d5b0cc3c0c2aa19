"""The leave API: create, the worklist, decide through the chain, the stand-in rule, conflicts,
withdraw, and the errors."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from onewindow.org.services import api_token_issue
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 0, 0, tzinfo=dt.UTC)  # Monday 08:00 in Shanghai
DAY = {"starts_at": "2026-12-08T08:30:00+08:00", "ends_at": "2026-12-09T17:30:00+08:00"}


@pytest.fixture
def api(org):
    with time_machine.travel(NOW, tick=False):
        org.users["solo"] = make_user(
            "solo", center=org.center, department=org.dept_a, roles=("window_clerk",), window=org.window_a
        )
        org.users["clerk2"] = make_user(
            "clerk2",
            center=org.center,
            department=org.dept_a,
            roles=("window_clerk",),
            window=org.general_window,
        )

        def call(who: str, method: str, path: str, body: dict | None = None):
            _token, raw = api_token_issue(user=org.user(who))
            client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
            url = f"/api/v1/leave{path}"
            if method == "get":
                return client.get(url)
            return client.post(url, body or {}, content_type="application/json")

        yield call


def test_a_day_of_leave_through_the_chain_with_the_stand_in_rule(api):
    r = api("solo", "post", "", {"kind": "annual", "reason": "回老家", **DAY})
    assert r.status_code == 201, r.content
    body = r.json()
    pk = body["id"]
    assert (body["length"], body["days"], body["stage"]) == ("days", "2.0", "home_department")
    assert body["needs_stand_in"] is True
    assert [s["stage"] for s in body["chain"]] == ["home_department", "supervision"]
    assert api("scjg-chief", "get", "?worklist=1").json()[0]["id"] == pk
    assert api("sw-chief", "get", "?worklist=1").json() == []

    r = api("scjg-chief", "post", f"/{pk}/decisions", {"decision": "approve", "note": "", "version": 1})
    assert r.status_code == 409 and r.json()["code"] == "stand_in_required"

    r = api("scjg-chief", "post", f"/{pk}/stand-in", {"username": "clerk2", "version": 1})
    assert r.status_code == 200 and r.json()["stand_in"] == "clerk2"
    r = api("scjg-chief", "post", f"/{pk}/decisions", {"decision": "approve", "note": "", "version": 1})
    assert r.status_code == 409 and r.json()["code"] == "version_conflict"
    r = api("scjg-chief", "post", f"/{pk}/decisions", {"decision": "approve", "note": "同意", "version": 2})
    assert r.status_code == 200 and r.json()["stage"] == "supervision"
    r = api("supervisor", "post", f"/{pk}/decisions", {"decision": "approve", "note": "", "version": 3})
    body = r.json()
    assert (body["status"], body["stage"]) == ("approved", "done")
    assert [d["decision"] for d in body["decisions"]] == ["stand_in", "approved", "approved"]
    mine = api("solo", "get", "?mine=1").json()
    assert [m["status"] for m in mine] == ["approved"]


def test_errors(api):
    r = api("clerk", "post", "", {"kind": "sick", "reason": "发烧", **DAY})
    assert r.status_code == 422 and r.json()["code"] == "certificate_required"
    r = api("clerk", "post", "", {"kind": "annual", "reason": "", **DAY})
    assert r.status_code == 422 and "reason" in r.json()["details"]
    r = api("clerk", "post", "", {"kind": "annual", "reason": "x", "stand_in": "nobody", **DAY})
    assert r.status_code == 422 and "stand_in" in r.json()["details"]
    r = api(
        "clerk",
        "post",
        "",
        {"kind": "annual", "reason": "x", "starts_at": "2026-12-08T08:30", "ends_at": "2026-12-08T09:00"},
    )
    assert r.status_code == 422
    r = api("clerk", "get", "/999999")
    assert r.status_code == 404
    r = api("clerk", "post", "", {"kind": "personal", "reason": "办事", **DAY})
    pk = r.json()["id"]
    assert api("clerk2", "get", f"/{pk}").status_code == 404  # a colleague does not see it
    r = api("clerk2", "post", f"/{pk}/withdraw", {"version": 1})
    assert r.status_code == 404
    r = api("supervisor", "post", f"/{pk}/decisions", {"decision": "approve", "note": "", "version": 1})
    assert r.status_code == 200
    r = api("clerk", "post", f"/{pk}/withdraw", {"version": 2})
    assert r.status_code == 409 and r.json()["code"] == "not_pending"
    r = api("clerk", "post", f"/{pk}/decisions", {"decision": "maybe", "note": "", "version": 2})
    assert r.status_code in (403, 409, 422)


def test_withdraw_and_unauthenticated(api):
    r = api(
        "clerk",
        "post",
        "",
        {
            "kind": "late",
            "reason": "堵车",
            "starts_at": "2026-12-08T09:00:00+08:00",
            "ends_at": "2026-12-08T09:30:00+08:00",
        },
    )
    assert r.status_code == 201 and r.json()["stage"] == "group_leader"
    pk = r.json()["id"]
    r = api("clerk", "post", f"/{pk}/withdraw", {"version": 1})
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert Client().get("/api/v1/leave").status_code == 401
