"""The complaints API: public submission and lookup, the staff worklist, registration and
actions with their codes (201, 404, 409, 422, 429)."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.complaints.models import Complaint
from onewindow.org.services import api_token_issue

from .conftest import at, register

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/complaints"
STAFF = "/api/v1/complaints"


def auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)[1]}"}


def post(client: Any, url: str, data: dict[str, Any], **kw: Any) -> Any:
    return client.post(url, data, content_type="application/json", **kw)


def test_public_submit_and_follow(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        created = post(client, PUBLIC, {"title": "等了两小时", "content": "A01窗口无人", "respondent": "A01"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert set(body) == {"number", "query_code"}
    c = Complaint.objects.get(number=body["number"])
    assert c.source == "online" and c.respondent_window == cx.window_a and c.anonymous
    found = client.get(f"{PUBLIC}/{body['number']}", {"code": body["query_code"]})
    assert found.status_code == 200 and found.json()["status"] == "registered"
    wrong_code = client.get(f"{PUBLIC}/{body['number']}", {"code": "ZZZZZZ"})
    wrong_number = client.get(f"{PUBLIC}/TS200001010001", {"code": body["query_code"]})
    no_code = client.get(f"{PUBLIC}/{body['number']}")
    assert wrong_code.status_code == wrong_number.status_code == no_code.status_code == 404
    assert wrong_code.json() == wrong_number.json() == no_code.json()


def test_public_submit_errors(client: Any, cx: Any) -> None:
    bad = post(client, PUBLIC, {"title": "", "content": "x", "respondent": "NOPE", "phone": "abc"})
    assert bad.status_code == 422
    assert {"title", "respondent", "phone"} <= set(bad.json()["details"])
    too_long = post(client, PUBLIC, {"title": "t", "content": "x" * 1001})
    assert too_long.status_code == 422


def test_public_submit_is_rate_limited(client: Any, cx: Any, settings: Any) -> None:
    settings.COMPLAINT_SUBMISSIONS_PER_HOUR = 2
    codes = [post(client, PUBLIC, {"title": "t", "content": "c"}).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_staff_register_list_detail_and_act(client: Any, cx: Any) -> None:
    clerk = auth(cx.user("clerk"))
    with at("2026-11-02 10:00"):
        created = post(
            client,
            STAFF,
            {
                "title": "态度差",
                "content": "内容",
                "name": "王五",
                "phone": "13900000005",
                "department": "SCJG",
                "respondent_window": "A01",
            },
            **clerk,
        )
    assert created.status_code == 201, created.content
    body = created.json()
    number = body["number"]
    assert body["query_code"] and body["status"] == "assigned"
    assert body["complainant_name"] == "王*" and not body["complainant_visible"]
    chief = auth(cx.user("scjg-chief"))
    listed = client.get(STAFF, {"status": "open"}, **chief).json()
    assert [r["number"] for r in listed] == [number] and listed[0]["complainant_name"] == "王五"
    detail = client.get(f"{STAFF}/{number}", **chief).json()
    assert detail["allowed_actions"] == ["return", "investigate", "answer"]
    stale = post(client, f"{STAFF}/{number}/answer", {"version": 1, "answer": "好"}, **chief)
    assert stale.status_code == 409 and stale.json()["details"]["version"] == detail["version"]
    empty = post(client, f"{STAFF}/{number}/answer", {"version": detail["version"], "answer": ""}, **chief)
    assert empty.status_code == 422 and "answer" in empty.json()["details"]
    with at("2026-11-03 10:00"):
        done = post(
            client, f"{STAFF}/{number}/answer", {"version": detail["version"], "answer": "已核实"}, **chief
        )
    assert done.status_code == 200 and done.json()["status"] == "answered"
    again = post(
        client, f"{STAFF}/{number}/answer", {"version": done.json()["version"], "answer": "x"}, **chief
    )
    assert again.status_code == 422 and again.json()["code"] == "invalid_transition"
    supervisor = auth(cx.user("supervisor"))
    judged = post(
        client,
        f"{STAFF}/{number}/judge",
        {"version": done.json()["version"], "valid": True, "reason": "属实", "accountability": True},
        **supervisor,
    )
    assert judged.status_code == 200 and judged.json()["valid"] is True
    assert client.get(f"{STAFF}/{number}", **auth(cx.user("sw-chief"))).status_code == 404
    unknown = post(client, f"{STAFF}/{number}/fly", {"version": 9}, **supervisor)
    assert unknown.status_code == 422


def test_staff_permissions(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        register(cx)
    assert client.get(STAFF).status_code == 401
    assert client.get(STAFF, **auth(cx.user("scjg-reviewer"))).status_code == 403
    refused = post(client, STAFF, {"title": "t", "content": "c"}, **auth(cx.user("scjg-chief")))
    assert refused.status_code == 403


def test_public_lookup_is_rate_limited(client: Any, cx: Any, settings: Any) -> None:
    settings.PROGRESS_LOOKUPS_PER_MINUTE = 2
    codes = [client.get(f"{PUBLIC}/TS1", {"code": "AAAAAA"}).status_code for _ in range(3)]
    assert codes == [404, 404, 429]
    assert client.get(f"{PUBLIC}/TS1", {"code": "AAAAAA"}).json()["code"] == "rate_limited"
