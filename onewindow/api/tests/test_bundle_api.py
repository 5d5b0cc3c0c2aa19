"""The bundle cases API (issue 13 §5): intake with its sub-cases, every error class, the version
conflict, the detail and list within the caller's scope, masking, and the bundle actions."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from onewindow.approvals.models import BundleCase
from onewindow.cases.facts import Status
from onewindow.org.models import Department
from onewindow.org.services import api_token_issue
from tests.approvals.conftest import APPLICANT, build_world
from tests.factories import make_user

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
FULL_SECRETS = (APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["legal_rep_id_number"])


@pytest.fixture(autouse=True)
def _frozen_time():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def world(org):
    return build_world(org)


class Api:
    def __init__(self, user: Any, language: str = "zh-hans") -> None:
        _token, raw = api_token_issue(user=user)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=language)

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {})

    def post(self, path: str, data: Any) -> Any:
        return self.client.post(BASE + path, data, content_type="application/json")


def body(world: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "bundle_code": world.bundle.code,
        "answers": {},
        "applicant": dict(APPLICANT),
        "form": {"company_name": "星河科技"},
        "materials": ["营业执照", 2],
        "action": "accept",
    }
    data.update(overrides)
    return data


def intake(world: Any, **overrides: Any) -> dict[str, Any]:
    response = Api(world.org.user("clerk")).post("/bundle-cases", body(world, **overrides))
    assert response.status_code == 201, response.content
    return response.json()


def no_secrets(response: Any) -> None:
    text = response.content.decode()
    for secret in FULL_SECRETS:
        assert secret not in text, secret


def decide_all(world: Any, number: str) -> BundleCase:
    bc = BundleCase.objects.get(number=number)
    for sub in bc.sub_cases.select_related("case", "case__department"):
        world.decide(sub.case)
    bc.refresh_from_db()
    return bc


# --- intake ------------------------------------------------------------------------------------


def test_intake_accept_answers_201_with_every_sub_case(world):
    out = intake(world)
    bc = BundleCase.objects.get(number=out["number"])
    assert out["status"] == "in_progress" and out["version"] == bc.version
    assert out["due_at"].startswith("2026-03-04T23:59:59")  # 2 working days, the start day not counted
    assert out["legal_due_at"] is not None
    assert out["url"] == f"{BASE}/bundle-cases/{bc.number}"
    subs = out["sub_cases"]
    assert [s["item_code"] for s in subs] == ["SCJG-B1", "GA-B1", "SW-B1", "RS-B1"]
    assert {s["department_code"] for s in subs} == {"SCJG", "GA", "SW", "RS"}
    assert all(s["number"] and s["status"] == Status.ACCEPTED and s["due_at"] for s in subs)
    assert all(s["due_at"] <= out["due_at"] for s in subs)


def test_intake_correct_and_refuse(world):
    corrected = intake(
        world,
        action="correct",
        correction_items=[{"name": "身份证明", "note": "复印件不清晰", "item_code": "GA-B1"}],
    )
    assert corrected["status"] == "correction_requested" and corrected["sub_cases"][0]["number"] is None
    refused = intake(world, action="refuse", note="不属于本中心受理范围")
    assert refused["status"] == "refused"


def test_validation_errors_name_each_field_as_the_service_does(world):
    response = Api(world.org.user("clerk")).post(
        "/bundle-cases",
        body(
            world,
            applicant={**APPLICANT, "id_number": "91350100M000100Y40"},
            materials=["营业执照", "户口本"],
        ),
    )
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "validation_failed"
    assert "applicant.id_number" in error["details"] and "materials.1" in error["details"]
    assert not BundleCase.objects.exists()
    # schema errors (types, lengths) are 422 too, before the service
    response = Api(world.org.user("clerk")).post(
        "/bundle-cases", body(world, action="approve", note="x" * 3000)
    )
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"
    # a refusal without its reason
    response = Api(world.org.user("clerk")).post("/bundle-cases", body(world, action="refuse"))
    assert response.status_code == 422 and "note" in response.json()["details"]


def test_messages_come_in_the_request_language(world):
    payload = body(world, applicant={**APPLICANT, "phone": "123"})
    zh = Api(world.org.user("clerk")).post("/bundle-cases", payload).json()
    en = Api(world.org.user("clerk"), language="en").post("/bundle-cases", payload).json()
    assert zh["code"] == en["code"] == "validation_failed"
    assert zh["message"] != en["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["message"])


def test_unknown_bundle_is_404_and_unknown_window_422(world):
    response = Api(world.org.user("clerk")).post("/bundle-cases", body(world, bundle_code="NOPE"))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert "bundle_code" in response.json()["details"]
    response = Api(world.org.user("clerk")).post("/bundle-cases", body(world, window="Q99"))
    assert response.status_code == 422 and "window" in response.json()["details"]


def test_intake_without_the_accept_permission_is_403(world):
    response = Api(world.reviewer("GA")).post("/bundle-cases", body(world))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not BundleCase.objects.exists()


def test_unauthenticated_is_401(world):
    response = Client().post(f"{BASE}/bundle-cases", body(world), content_type="application/json")
    assert response.status_code == 401


# --- detail and list -----------------------------------------------------------------------------


def test_detail_masks_the_applicant_and_lists_phases_sub_cases_events(world):
    out = intake(world)
    response = Api(world.org.user("clerk")).get(f"/bundle-cases/{out['number']}")
    assert response.status_code == 200, response.content
    no_secrets(response)
    data = response.json()
    assert data["applicant"]["id_number"].startswith("913") and "*" in data["applicant"]["id_number"]
    assert "*" in data["applicant"]["phone"]
    assert [s["item"]["code"] for s in data["sub_cases"]] == ["SCJG-B1", "GA-B1", "SW-B1", "RS-B1"]
    assert all(s["url"].startswith(f"{BASE}/cases/") for s in data["sub_cases"])
    assert [e["action"] for e in data["events"]] == ["accept"]
    assert data["events"][0]["actor"]  # staff see who did it
    assert [n["kind"] for n in data["notices"]] == ["acceptance"]
    assert data["allowed_actions"] == ["request_extension"]  # the window may ask for more time


def test_a_department_with_a_sub_case_sees_the_bundle_and_an_outsider_does_not(world):
    out = intake(world)
    assert Api(world.reviewer("RS")).get(f"/bundle-cases/{out['number']}").status_code == 200
    listed = Api(world.reviewer("RS")).get("/bundle-cases").json()
    assert [i["number"] for i in listed["items"]] == [out["number"]]
    other = Department.objects.create(center=world.org.center, code="ZJ", name="住建局")
    outsider = make_user(
        "zj-reviewer",
        center=world.org.center,
        department=other,
        roles=("reviewer",),
        posts=[world.org.posts["review"]],
    )
    response = Api(outsider).get(f"/bundle-cases/{out['number']}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Api(outsider).get("/bundle-cases").json()["count"] == 0
    bad = Api(outsider).post(f"/bundle-cases/{out['number']}/actions", {"action": "deliver", "version": 1})
    assert bad.status_code == 404


def test_list_filters_and_masking(world):
    first = intake(world)
    intake(world, action="refuse", note="材料不全")
    api = Api(world.org.user("clerk"))
    response = api.get("/bundle-cases")
    no_secrets(response)
    assert response.json()["count"] == 2
    only = api.get("/bundle-cases", {"status": "in_progress", "bundle": world.bundle.code}).json()
    assert [i["number"] for i in only["items"]] == [first["number"]]
    assert only["items"][0]["sub_case_count"] == 4
    assert api.get("/bundle-cases", {"bundle": "OTHER"}).json()["count"] == 0
    bad = api.get("/bundle-cases", {"status": "nope"})
    assert bad.status_code == 422 and "status" in bad.json()["details"]
    paged = api.get("/bundle-cases", {"page_size": 1, "page": 2}).json()
    assert paged["page"] == 2 and len(paged["items"]) == 1


def test_a_malformed_number_is_422_and_an_unknown_one_404(world):
    api = Api(world.org.user("clerk"))
    assert api.get("/bundle-cases/garbage").status_code == 422
    intake(world)
    from onewindow.cases.numbers import format_number

    response = api.get(f"/bundle-cases/{format_number('DEMO', dt.date(2026, 3, 2), 999_999)}")
    assert response.status_code == 404


# --- actions -------------------------------------------------------------------------------------


def test_deliver_end_to_end_and_a_stale_version_is_409(world):
    out = intake(world)
    bc = decide_all(world, out["number"])
    assert bc.status == BundleCase.Status.DECIDED
    api = Api(world.org.user("clerk"))
    detail = api.get(f"/bundle-cases/{bc.number}").json()
    assert detail["allowed_actions"] == ["deliver"]
    params = {
        "method": "pickup",
        "recipient_relation": "legal_representative",
        "recipient_name": "张三",
        "recipient_id_number": "11010519491231002X",
    }
    stale = api.post(
        f"/bundle-cases/{bc.number}/actions", {"action": "deliver", "version": bc.version - 1, **params}
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict" and stale.json()["details"]["version"] == bc.version
    done = api.post(
        f"/bundle-cases/{bc.number}/actions", {"action": "deliver", "version": bc.version, **params}
    )
    assert done.status_code == 200, done.content
    no_secrets(done)
    assert done.json()["status"] == "delivered" and done.json()["version"] > bc.version
    assert {s["status"] for s in done.json()["sub_cases"]} == {Status.DELIVERED}
    again = api.post(
        f"/bundle-cases/{bc.number}/actions",
        {"action": "deliver", "version": done.json()["version"], **params},
    )
    assert again.status_code == 422 and again.json()["code"] == "invalid_transition"
    assert again.json()["details"]["allowed"] == []
    history = api.get(f"/bundle-cases/{bc.number}")
    no_secrets(history)


def test_accept_and_refuse_after_the_correction_at_intake(world):
    api = Api(world.org.user("clerk"))
    first = intake(
        world, action="correct", materials=["营业执照"], correction_items=[{"name": "身份证明", "note": "缺"}]
    )
    bc = BundleCase.objects.get(number=first["number"])
    assert api.get(f"/bundle-cases/{bc.number}").json()["allowed_actions"] == ["accept", "refuse"]
    bad = api.post(
        f"/bundle-cases/{bc.number}/actions",
        {"action": "accept", "version": bc.version, "materials": ["户口本"]},
    )
    assert bad.status_code == 422 and "materials.0" in bad.json()["details"]
    ok = api.post(
        f"/bundle-cases/{bc.number}/actions",
        {"action": "accept", "version": bc.version, "materials": ["身份证明"]},
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "in_progress" and len(ok.json()["sub_cases"]) == 4
    assert all(s["number"] for s in ok.json()["sub_cases"])

    second = intake(world, action="correct", correction_items=[{"name": "身份证明"}])
    bc2 = BundleCase.objects.get(number=second["number"])
    missing = api.post(f"/bundle-cases/{bc2.number}/actions", {"action": "refuse", "version": bc2.version})
    assert missing.status_code == 422 and missing.json()["code"] == "validation_failed"
    refused = api.post(
        f"/bundle-cases/{bc2.number}/actions",
        {"action": "refuse", "version": bc2.version, "reason": "未按期补正"},
    )
    assert refused.status_code == 200 and refused.json()["status"] == "refused"


def test_a_window_of_another_department_may_not_act(world):
    out = intake(world, action="correct", correction_items=[{"name": "身份证明"}])
    bc = BundleCase.objects.get(number=out["number"])
    response = Api(world.reviewer("SCJG")).post(
        f"/bundle-cases/{bc.number}/actions", {"action": "refuse", "version": bc.version, "reason": "x"}
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"action": "request_correction", "items": []}, "items"),
        ({"action": "request_correction"}, "items"),
        ({"action": "request_correction", "items": [{"note": "x"}]}, "name"),
        ({"action": "request_extension", "reason": "复杂"}, "days"),
        ({"action": "request_extension", "days": 0, "reason": "复杂"}, "days"),
        ({"action": "request_extension", "days": "many", "reason": "复杂"}, "days"),
        ({"action": "request_extension", "days": 15}, "reason"),
        ({"action": "reject_extension"}, "note"),
        ({"action": "approve_extension", "note": "x" * 2001}, "note"),
        ({"action": "receive_correction", "materials": [{"x": 1}]}, "materials"),
        ({"action": "deliver", "method": "drone"}, "method"),
        ({"action": "deliver", "tracking_number": "x" * 51}, "tracking_number"),
        ({"action": "fly"}, "payload"),
        ({"action": "deliver"}, "version"),
    ],
)
def test_the_action_parameters_are_checked_by_the_schema(world, payload, field):
    out = intake(world)
    body = {"version": out["version"], **payload} if field != "version" else payload
    response = Api(world.org.user("clerk")).post(f"/bundle-cases/{out['number']}/actions", body)
    assert response.status_code == 422, response.content
    error = response.json()
    assert error["code"] == "validation_failed"
    assert any(field in d["loc"] for d in error["details"]), error["details"]


def test_well_formed_parameters_of_every_action_reach_the_service(world):
    """The schema accepts the contract's parameters of the actions whose handlers are written
    elsewhere: the bundle's state answers (422 invalid_transition), never a schema error."""
    out = intake(world)
    api = Api(world.org.user("clerk"))
    for payload in (
        {"action": "receive_correction", "materials": [1, "身份证明"], "note": "已补齐"},
        {"action": "accept", "materials": [1], "note": ""},
    ):
        response = api.post(f"/bundle-cases/{out['number']}/actions", {"version": out["version"], **payload})
        assert response.status_code == 422, response.content
        assert response.json()["code"] == "invalid_transition"
        assert "allowed" in response.json()["details"]


def test_the_openapi_documents_one_schema_per_action():
    response = Client().get(f"{BASE}/openapi.json")
    schema = json.loads(response.content)
    assert {
        "/api/v1/bundle-cases",
        "/api/v1/bundle-cases/{number}",
        "/api/v1/bundle-cases/{number}/actions",
    } <= set(schema["paths"])
    names = set(schema["components"]["schemas"])
    assert {"BundleDeliverAction", "BundleRequestExtensionAction", "BundleRequestCorrectionAction"} <= names
