"""The consultation API: the applicant's endpoints (owa_ bearer) and the staff's (scoped)."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.consultations.models import Consultation
from onewindow.identity.tokens import applicant_token_issue
from onewindow.org.services import api_token_issue
from tests.applicants import make_person

PUBLIC = "/api/v1/public/consultations"
STAFF = "/api/v1/consultations"


@pytest.fixture
def applicant_auth(person: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {applicant_token_issue(person=person)[1]}"}


def staff_auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)[1]}"}


def post(client: Any, url: str, data: dict[str, Any], auth: dict[str, str]) -> Any:
    return client.post(url, data, content_type="application/json", **auth)


def test_applicant_asks_lists_reads_and_follows_up(client, org, item, applicant_auth):
    response = post(
        client, PUBLIC, {"item": "SC001", "subject": "要多久？", "body": "请问办理时限。"}, applicant_auth
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["department_code"] == "SCJG" and body["status"] == "waiting" and body["due_at"]
    assert [m["author"] for m in body["messages"]] == ["applicant"]
    cid = body["id"]
    assert [row["id"] for row in client.get(PUBLIC, **applicant_auth).json()] == [cid]
    assert client.get(f"{PUBLIC}/{cid}", **applicant_auth).json()["subject"] == "要多久？"
    follow = post(client, f"{PUBLIC}/{cid}/messages", {"body": "补充"}, applicant_auth)
    assert follow.status_code == 201 and len(follow.json()["messages"]) == 2


def test_applicant_errors_are_json(client, org, item, applicant_auth):
    bad = post(client, PUBLIC, {"subject": "x", "body": "y"}, applicant_auth)
    assert bad.status_code == 422 and "department" in bad.json()["details"]
    assert client.get(PUBLIC).status_code == 401
    nowhere = post(
        client, PUBLIC, {"center": "NOPE", "item": "SC001", "subject": "s", "body": "b"}, applicant_auth
    )
    assert nowhere.status_code == 422 and "center" in nowhere.json()["details"]
    here = post(
        client, PUBLIC, {"center": "demo", "item": "SC001", "subject": "s", "body": "b"}, applicant_auth
    )
    assert here.status_code == 201
    assert client.get(f"{PUBLIC}/999", **applicant_auth).json()["code"] == "not_found"
    other = {
        "HTTP_AUTHORIZATION": f"Bearer {applicant_token_issue(person=make_person(phone='13900000002'))[1]}"
    }
    cid = post(client, PUBLIC, {"item": "SC001", "subject": "s", "body": "b"}, applicant_auth).json()["id"]
    assert client.get(f"{PUBLIC}/{cid}", **other).status_code == 404
    assert client.get(PUBLIC, **staff_auth(org.user("clerk"))).status_code == 401


def test_staff_queue_reply_conflict_and_close(client, org, item, applicant_auth):
    cid = post(
        client, PUBLIC, {"item": "SC001", "subject": "s", "body": "电话13912345678"}, applicant_auth
    ).json()["id"]
    reviewer = staff_auth(org.user("scjg-reviewer"))
    rows = client.get(STAFF, **reviewer).json()
    assert [r["id"] for r in rows] == [cid]
    assert rows[0]["applicant_phone"] == "139****0001" and "13912345678" not in rows[0]["preview"]
    assert client.get(STAFF, **staff_auth(org.user("sw-reviewer"))).json() == []
    assert client.get(f"{STAFF}/{cid}", **staff_auth(org.user("sw-reviewer"))).status_code == 404
    assert client.get(STAFF, **staff_auth(org.user("centeradmin"))).status_code == 403
    reply = post(client, f"{STAFF}/{cid}/replies", {"body": "答复", "version": 1}, reviewer)
    assert reply.status_code == 201 and reply.json()["status"] == "answered"
    stale = post(client, f"{STAFF}/{cid}/replies", {"body": "again", "version": 1}, reviewer)
    assert stale.status_code == 409 and stale.json()["details"] == {"version": 2}
    supervisor = staff_auth(org.user("supervisor"))
    assert client.get(f"{STAFF}?status=answered", **supervisor).json()[0]["id"] == cid
    assert post(client, f"{STAFF}/{cid}/close", {"version": 2}, supervisor).status_code == 403
    closed = post(client, f"{STAFF}/{cid}/close", {"version": 2}, reviewer)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert Consultation.objects.get().status == "closed"
    after = post(client, f"{PUBLIC}/{cid}/messages", {"body": "?"}, applicant_auth)
    assert after.status_code == 422 and after.json()["code"] == "closed"
