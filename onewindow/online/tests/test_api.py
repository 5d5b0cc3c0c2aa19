"""The online applications API: the applicant's drafts, uploads, submission and resubmission,
the staff pre-review queue and decisions, and the errors (JSON, 401/404/409/422)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from onewindow.identity.tokens import applicant_token_issue
from onewindow.online.tests.conftest import PDF
from onewindow.org.services import api_token_issue
from tests.applicants import make_person, resident_id

BASE = "/api/v1/public/applications"


def _client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def api(ox: Any) -> Any:
    ox.applicant_api = _client(applicant_token_issue(person=ox.person)[1])
    ox.staff_api = _client(api_token_issue(user=ox.user("clerk"))[1])
    return ox


def _upload(client: Client, pk: int, material: int, name: str = "a.pdf", content: bytes = PDF) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{BASE}/{pk}/files",
        {
            "material": str(material),
            "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


@pytest.mark.django_db
def test_the_applicants_whole_round_trip(api: Any) -> None:
    c = api.applicant_api
    r = c.post(
        BASE,
        {"item_code": api.version.item.code, "form": {"address": "人民路1号"}},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    pk, version = body["id"], body["version"]
    assert body["status"] == "draft" and len(body["materials"]) == 3
    r = c.put(
        f"{BASE}/{pk}", {"version": version, "form": {"note": "请尽快"}}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["form"] == {"note": "请尽快"}
    stale = c.put(f"{BASE}/{pk}", {"version": version, "form": {}}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    required = [m["id"] for m in body["materials"] if m["requirement"] == "required"]
    bad = _upload(c, pk, required[0], "a.pdf", b"not a pdf")
    assert bad.status_code == 422 and "file" in bad.json()["details"]
    early = c.post(f"{BASE}/{pk}/submit", {"version": 2}, content_type="application/json")
    assert early.status_code == 422 and early.json()["code"] == "missing_materials"
    for m in required:
        up = _upload(c, pk, m)
        assert up.status_code == 201 and up.json()["material_id"] == m
    current = c.get(f"{BASE}/{pk}").json()
    r = c.post(f"{BASE}/{pk}/submit", {"version": current["version"]}, content_type="application/json")
    assert r.status_code == 200, r.content
    submitted = r.json()
    assert submitted["status"] == "submitted" and submitted["receipt_number"] and submitted["round"] == 1
    # the department returns it
    queue = api.staff_api.get("/api/v1/prereview").json()
    assert [i["id"] for i in queue["items"]] == [pk] and "*" in queue["items"][0]["applicant_id_number"]
    item = queue["items"][0]
    r = api.staff_api.post(
        f"/api/v1/prereview/{pk}",
        {
            "outcome": "return",
            "corrections": [{"material": required[0], "note": "缺少签名"}],
            "version": item["version"],
        },
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "returned"
    again = api.staff_api.post(
        f"/api/v1/prereview/{pk}",
        {"outcome": "pass", "version": item["version"]},
        content_type="application/json",
    )
    assert again.status_code == 409
    returned = c.get(f"{BASE}/{pk}").json()
    assert returned["rounds"][0]["corrections"][0]["note"] == "缺少签名"
    assert _upload(c, pk, required[0], "b.pdf").status_code == 201
    returned = c.get(f"{BASE}/{pk}").json()
    r = c.post(f"{BASE}/{pk}/resubmit", {"version": returned["version"]}, content_type="application/json")
    assert r.status_code == 200 and r.json()["round"] == 2
    r = api.staff_api.post(
        f"/api/v1/prereview/{pk}",
        {"outcome": "pass", "version": r.json()["version"]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["case_number"]
    final = c.get(f"{BASE}/{pk}").json()
    assert final["status"] == "accepted" and final["case_number"] == r.json()["case_number"]


@pytest.mark.django_db
def test_errors_are_json_and_others_see_nothing(api: Any) -> None:
    assert Client().get(f"{BASE}/1").status_code == 401
    draft = api.applicant_api.post(
        BASE, {"item_code": api.version.item.code}, content_type="application/json"
    )
    pk = draft.json()["id"]
    other = make_person(phone="13900139000", id_number=resident_id("11010119850101123"))
    stranger = _client(applicant_token_issue(person=other)[1])
    for r in (stranger.get(f"{BASE}/{pk}"), stranger.delete(f"{BASE}/{pk}")):
        assert r.status_code == 404 and r.json()["code"] == "application_not_found"
    assert (
        api.applicant_api.post(BASE, {"item_code": "NOPE"}, content_type="application/json").status_code
        == 404
    )
    assert api.applicant_api.get(f"{BASE}/{2**63}").status_code == 422
    # a staff token is not an applicant's, and an applicant's not a staff one
    assert api.staff_api.get(f"{BASE}/{pk}").status_code == 401
    assert api.applicant_api.get("/api/v1/prereview").status_code == 401
    reviewer = _client(api_token_issue(user=api.user("scjg-reviewer"))[1])
    assert reviewer.get("/api/v1/prereview").status_code == 403
    assert api.applicant_api.delete(f"{BASE}/{pk}").status_code == 204
    assert api.applicant_api.get(f"{BASE}/{pk}").status_code == 404
