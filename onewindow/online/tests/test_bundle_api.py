"""The online applications API for a bundle (一件事): the same endpoints with `bundle` instead of
`item_code`, the staff queue and pre-review, the errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onewindow.approvals.models import BundleCase
from onewindow.identity.tokens import applicant_token_issue
from onewindow.online.tests.conftest import PDF
from onewindow.org.services import api_token_issue

BASE = "/api/v1/public/applications"
JSON = "application/json"


def _client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.django_db
def test_a_bundle_through_the_api(bx: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    c = _client(applicant_token_issue(person=bx.person, enterprise=bx.enterprise)[1])
    staff = _client(api_token_issue(user=bx.user("clerk"))[1])
    both = c.post(BASE, {"item_code": "SCJG-B1", "bundle": "QYKB"}, content_type=JSON)
    assert both.status_code == 422 and "bundle" in both.json()["details"]
    unknown = c.post(BASE, {"bundle": "NOPE"}, content_type=JSON)
    assert unknown.status_code == 404 and unknown.json()["code"] == "bundle_not_found"
    r = c.post(
        BASE, {"bundle": "QYKB", "answers": {"seal": "yes"}, "form": {"company_name": ""}}, content_type=JSON
    )
    assert r.status_code == 201, r.content
    body = r.json()
    pk = body["id"]
    assert body["bundle_code"] == "QYKB" and "GA-B1" in body["items"]
    assert [m["id"] for m in body["materials"]] == [1, 2]
    bad = c.put(f"{BASE}/{pk}", {"version": body["version"], "form": {"nope": "x"}}, content_type=JSON)
    assert bad.status_code == 422 and "form.nope" in bad.json()["details"]
    saved = c.put(
        f"{BASE}/{pk}",
        {"version": body["version"], "answers": {"seal": "no"}, "form": {"company_name": "星河科技"}},
        content_type=JSON,
    )
    assert saved.status_code == 200 and "GA-B1" not in saved.json()["items"]
    stale = c.put(f"{BASE}/{pk}", {"version": body["version"], "form": {}}, content_type=JSON)
    assert stale.status_code == 409
    early = c.post(f"{BASE}/{pk}/submit", {"version": saved.json()["version"]}, content_type=JSON)
    assert early.status_code == 422 and "materials.1" in early.json()["details"]
    for position in (1, 2):
        up = c.post(
            f"{BASE}/{pk}/files",
            {
                "material": str(position),
                "file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
            },
        )
        assert up.status_code == 201 and up.json()["material_id"] == position
    version = c.get(f"{BASE}/{pk}").json()["version"]
    done = c.post(f"{BASE}/{pk}/submit", {"version": version}, content_type=JSON)
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    queue = staff.get("/api/v1/prereview").json()
    row = next(i for i in queue["items"] if i["id"] == pk)
    assert row["bundle_code"] == "QYKB" and bx.enterprise.uscc not in str(row)
    decided = staff.post(
        f"/api/v1/prereview/{pk}", {"outcome": "pass", "version": row["version"]}, content_type=JSON
    )
    assert decided.status_code == 200, decided.content
    number = decided.json()["bundle_case_number"]
    assert number == BundleCase.objects.get().number
    again = staff.post(
        f"/api/v1/prereview/{pk}", {"outcome": "pass", "version": row["version"]}, content_type=JSON
    )
    assert again.status_code == 409
    final = c.get(f"{BASE}/{pk}").json()
    assert final["status"] == "accepted" and final["bundle_case_number"] == number
