"""The cases API: intake, lists and detail within the data scope, every action, conflicts,
files, the worklist and the public progress lookup."""

from __future__ import annotations

import datetime as dt
import io
import threading
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from onewindow.cases import services
from onewindow.cases.applicants import resident_id_check, uscc_check
from onewindow.cases.models import Case, CaseEvent, CaseFile
from onewindow.cases.services import ACTION_PARAMS
from onewindow.org.services import api_token_issue
from tests.factories import make_item, make_user

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
ID_NUMBER = "11010119900307123" + resident_id_check("11010119900307123")
PHONE = "13812345678"
FULL = [
    ("受理", "accept", "accept", 1),
    ("审查", "review", "review", 4),
    ("审核", "approve", "approve", 2),
    ("决定", "decide", "decide", 2),
    ("制证", "certify", "certify", 1),
]


@pytest.fixture(autouse=True)
def _frozen_time_and_fresh_limits():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def cx(org):
    org.users["scjg-certifier"] = make_user(
        "scjg-certifier",
        center=org.center,
        department=org.dept_a,
        roles=("reviewer",),
        posts=[org.posts["certify"]],
    )
    return org


@pytest.fixture
def food(cx):
    version = make_item(cx, code="SC001", name="食品经营许可", steps=FULL)
    version.green_channel_eligible = True
    version.save(update_fields=["green_channel_eligible"])
    return version


@pytest.fixture
def tax(cx):
    return make_item(cx, code="SW001", name="税务登记", department=cx.dept_b, steps=FULL)


class Api:
    def __init__(self, user: Any) -> None:
        _token, raw = api_token_issue(user=user)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        self.user = user

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {})

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(BASE + path, data, content_type="application/json")


def applicant(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "address": "测试市人民路1号",
    }
    data.update(overrides)
    return data


def intake_body(version: Any, action: str = "accept", **overrides: Any) -> dict[str, Any]:
    body = {
        "item_code": version.item.code,
        "applicant": applicant(),
        "channel": "window",
        "materials": [{"material": m.pk, "received": True} for m in version.materials.all()],
        "action": action,
    }
    body.update(overrides)
    return body


def accepted(org: Any, version: Any) -> dict[str, Any]:
    response = Api(org.user("clerk")).post("/cases", intake_body(version))
    assert response.status_code == 201, response.content
    return response.json()


def act(org: Any, who: str, number: str, action: str, **params: Any) -> Any:
    version = Case.objects.get(number=number).version
    return Api(org.user(who)).post(
        f"/cases/{number}/actions", {"action": action, "version": version, **params}
    )


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    return response.json()


# --- intake ----------------------------------------------------------------------------------


def test_intake_accept_answers_201_with_number_due_date_and_notice(food, cx):
    response = Api(cx.user("clerk")).post("/cases", intake_body(food))
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(receipt_number=body["receipt_number"])
    assert body["number"] == case.number and body["number"].startswith("DEMO20260302")
    assert body["status"] == "accepted"
    assert body["version"] == case.version
    # promised limit 10 working days after Monday 2026-03-02 (Mon–Fri: no schedule loaded)
    assert body["due_at"] == "2026-03-16T23:59:59+08:00"
    assert body["notice_url"].endswith(f"/staff/cases/{case.number}/notices/{case.number}-A01/")
    assert body["url"] == f"/api/v1/cases/{case.number}"


def test_intake_correction_has_no_number_and_no_deadline(food, cx):
    first, second = food.materials.all()[:2]
    response = Api(cx.user("clerk")).post(
        "/cases",
        intake_body(
            food,
            "correct",
            correction_items=[
                {"material": first.pk, "note": "缺少签字"},
                {"material": second.pk, "note": "已过期"},
            ],
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] is None and body["due_at"] is None
    assert body["status"] == "correction_requested"
    assert "/notices/R" in body["notice_url"] and body["notice_url"].endswith("-B01/")


def test_intake_refusal_needs_the_reason(food, cx):
    api = Api(cx.user("clerk"))
    response = api.post("/cases", intake_body(food, "refuse"))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert "note" in response.json()["details"]
    assert Case.objects.count() == 0
    response = api.post("/cases", intake_body(food, "refuse", note="不属于本中心受理范围"))
    assert response.status_code == 201
    assert response.json()["status"] == "refused" and response.json()["number"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")}, "applicant.id_number"),
        ({"phone": "12345"}, "applicant.phone"),
        (
            {"kind": "enterprise", "id_type": "uscc", "id_number": "91110000600037341" + "0"},
            "applicant.id_number",
        ),
    ],
)
def test_intake_checks_id_uscc_and_phone(food, cx, overrides, field):
    if field == "applicant.id_number" and overrides.get("id_type") == "uscc":
        good = "91110000600037341" + uscc_check("91110000600037341")
        bad_check = "0" if good[-1] != "0" else "1"
        overrides = {**overrides, "id_number": good[:-1] + bad_check}
    response = Api(cx.user("clerk")).post("/cases", intake_body(food, applicant=applicant(**overrides)))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_failed"
    assert field in body["details"]
    assert Case.objects.count() == 0


def test_an_enterprise_gives_its_legal_representative(food, cx):
    code = "91110000600037341" + uscc_check("91110000600037341")
    rep_id = "11010119900307123" + resident_id_check("11010119900307123")
    enterprise = applicant(kind="enterprise", id_type="uscc", id_number=code)
    response = Api(cx.user("clerk")).post("/cases", intake_body(food, applicant=enterprise))
    assert response.status_code == 422 and "applicant.legal_rep_name" in response.json()["details"]
    enterprise.update(legal_rep_name="张三", legal_rep_id_number=rep_id)
    number = accepted_with(cx, food, applicant=enterprise)
    detail = Api(cx.user("clerk")).get(f"/cases/{number}").json()
    assert detail["applicant"]["legal_rep_name"] == "张三"
    assert detail["applicant"]["legal_rep_id_number"] == rep_id[:3] + "*" * 11 + rep_id[-4:]


def accepted_with(org: Any, version: Any, **overrides: Any) -> str:
    response = Api(org.user("clerk")).post("/cases", intake_body(version, **overrides))
    assert response.status_code == 201, response.content
    return str(response.json()["number"])


def test_intake_needs_the_accept_permission_and_a_token(food, cx):
    response = Api(cx.user("scjg-reviewer")).post("/cases", intake_body(food))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    response = Client().post(f"{BASE}/cases", intake_body(food), content_type="application/json")
    assert response.status_code == 401
    assert Case.objects.count() == 0


def test_intake_of_an_instant_item_completes_it(cx):
    version = make_item(cx, code="SC009", handling_type="instant", legal_limit=0, promised_limit=0)
    body = accepted(cx, version)
    assert body["status"] == "completed"


# --- lists and detail ------------------------------------------------------------------------


def test_list_is_scoped_whatever_the_parameters(food, tax, cx):
    scjg = accepted(cx, food)
    sw = accepted(cx, tax)
    api = Api(cx.user("sw-reviewer"))
    listing = ok(api.get("/cases"))
    assert [c["number"] for c in listing["items"]] == [sw["number"]]
    for params in (
        {"department": "SCJG"},
        {"q": scjg["number"]},
        {"q": scjg["receipt_number"]},
        {"item": "SC001"},
        {"status": "accepted"},
        {"page_size": 100, "page": 1},
    ):
        numbers = [c["number"] for c in ok(api.get("/cases", params))["items"]]
        assert scjg["number"] not in numbers, params
    # the center-wide clerk sees both, and the filters narrow
    clerk = Api(cx.user("clerk"))
    assert ok(clerk.get("/cases"))["count"] == 2
    assert [c["number"] for c in ok(clerk.get("/cases", {"department": "SCJG"}))["items"]] == [scjg["number"]]
    assert [c["number"] for c in ok(clerk.get("/cases", {"q": scjg["number"][:-1].lower()}))["items"]] == [
        scjg["number"]
    ]
    assert clerk.get("/cases", {"status": "nope"}).status_code == 422
    assert clerk.get("/cases", {"department": "NOPE"}).status_code == 422
    # an account without cases.view_case
    assert Api(cx.user("centeradmin")).get("/cases").status_code == 403


def test_list_masks_the_applicant(food, cx):
    accepted(cx, food)
    item = ok(Api(cx.user("clerk")).get("/cases"))["items"][0]
    assert item["applicant"]["id_number"] == ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:]
    assert item["applicant"]["phone"] == "138****5678"
    assert ID_NUMBER not in str(item) and PHONE not in str(item)


def test_list_paginates_and_filters_overdue(food, cx):
    for _ in range(3):
        accepted(cx, food)
    api = Api(cx.user("clerk"))
    page = ok(api.get("/cases", {"page_size": 2}))
    assert page["count"] == 3 and len(page["items"]) == 2
    assert len(ok(api.get("/cases", {"page_size": 2, "page": 2}))["items"]) == 1
    assert ok(api.get("/cases", {"overdue": "true"}))["count"] == 0
    with time_machine.travel(dt.datetime(2026, 3, 25, 2, 0, tzinfo=dt.UTC), tick=False):
        assert ok(api.get("/cases", {"overdue": "true"}))["count"] == 3


def test_detail_by_case_or_receipt_number(food, cx):
    body = accepted(cx, food)
    api = Api(cx.user("clerk"))
    detail = ok(api.get(f"/cases/{body['number']}"))
    assert ok(api.get(f"/cases/{body['receipt_number']}"))["number"] == body["number"]
    assert detail["status"] == "accepted" and detail["version"] == body["version"]
    assert detail["item"] == {"code": "SC001", "name": "食品经营许可", "version": 1}
    assert [s["name"] for s in detail["steps"]] == ["受理", "审查", "审核", "决定", "制证"]
    # the acceptance finished 受理: the department's 审查 is active at once
    assert [s["status"] for s in detail["steps"][:3]] == ["done", "active", "pending"]
    assert [e["action"] for e in detail["events"]] == ["receive", "accept"]
    assert detail["notices"][0]["kind"] == "acceptance"
    assert detail["clock"]["limit"] == 10 and detail["clock"]["days_left"] == 10
    assert detail["clock"]["due_at"] == "2026-03-16T23:59:59+08:00"
    assert detail["applicant"]["id_number"].count("*") == 11
    assert "pass_step" not in detail["allowed_actions"]  # nothing left for the clerk to pass
    reviewer = ok(Api(cx.user("scjg-reviewer")).get(f"/cases/{body['number']}"))
    assert "pass_step" in reviewer["allowed_actions"]
    assert len(detail["materials"]) == 3
    # another department's reviewer: as if it did not exist
    response = Api(cx.user("sw-reviewer")).get(f"/cases/{body['number']}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    # a typing error in the number
    broken = body["number"][:-1] + ("A" if body["number"][-1] != "A" else "B")
    response = api.get(f"/cases/{broken}")
    assert response.status_code == 422 and response.json()["code"] == "bad_case_number"


# --- actions ---------------------------------------------------------------------------------


def test_the_action_schema_lists_every_action_and_parameter(client):
    schema = client.get(f"{BASE}/openapi.json").json()
    body = schema["paths"]["/api/v1/cases/{number}/actions"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    mapping = body["schema"]["discriminator"]["mapping"]
    assert set(mapping) == set(ACTION_PARAMS)
    components = schema["components"]["schemas"]
    for action, params in ACTION_PARAMS.items():
        model = components[mapping[action].rsplit("/", 1)[-1]]
        assert set(model["properties"]) == {"action", "version", *(p.name for p in params)}, action
        required = set(model.get("required", []))
        assert {p.name for p in params if p.required} | {"action", "version"} == required


def test_full_walk_through_every_step_action(food, cx):
    number = accepted(cx, food)["number"]
    state = ok(act(cx, "scjg-reviewer", number, "request_extension", days=2, reason="需要核查"))
    assert state["status"] == "accepted" and state["active_step"]["name"] == "审查"
    state = ok(act(cx, "scjg-chief", number, "approve_extension", note="同意"))
    assert state["due_at"] == "2026-03-18T23:59:59+08:00"
    ok(act(cx, "scjg-reviewer", number, "start_special_procedure", kind="expert_review", reason="专家评审"))
    assert Case.objects.get(number=number).status == "suspended"
    ok(act(cx, "scjg-reviewer", number, "end_special_procedure", note="评审结束"))
    first = food.materials.first()
    ok(
        act(
            cx,
            "scjg-reviewer",
            number,
            "request_processing_correction",
            items=[{"material": first.pk, "note": "签字不全"}],
        )
    )
    ok(act(cx, "clerk", number, "receive_processing_correction", materials=[first.pk]))
    ok(act(cx, "scjg-reviewer", number, "pass_step", opinion="同意"))
    ok(act(cx, "scjg-approver", number, "pass_step", opinion="同意"))
    state = ok(act(cx, "scjg-approver", number, "grant", opinion="准予许可"))
    assert state["status"] == "decided_granted" and state["decision"] == "granted"
    ok(act(cx, "scjg-certifier", number, "issue_certificate", certificate_number="JY0001"))
    ok(act(cx, "clerk", number, "complete"))
    state = ok(act(cx, "clerk", number, "deliver", method="mail", carrier="顺丰", tracking_number="SF123"))
    assert state["status"] == "delivered" and state["active_step"] is None
    detail = Api(cx.user("clerk")).get(f"/cases/{number}").json()
    assert detail["delivery"]["method"] == "mail" and detail["delivery"]["tracking_number"] == "SF123"
    assert detail["delivery"]["carrier"] == "顺丰"
    actions = list(CaseEvent.objects.filter(case__number=number).values_list("action", flat=True))
    assert actions.count("pass_step") == 2 and actions[-1] == "deliver"


def test_return_to_an_earlier_step(food, cx):
    number = accepted(cx, food)["number"]
    ok(act(cx, "scjg-reviewer", number, "pass_step", opinion="同意"))
    state = ok(act(cx, "scjg-approver", number, "return_step", to_position=2, reason="请补充审查意见"))
    assert state["status"] == "in_progress"
    assert state["active_step"]["position"] == 2
    detail = ok(Api(cx.user("scjg-reviewer")).get(f"/cases/{number}"))
    assert detail["steps"][2]["result"] == "return" and detail["steps"][2]["opinion"] == "请补充审查意见"
    assert detail["events"][-1]["action"] == "return_step"
    response = act(cx, "scjg-approver", number, "return_step", to_position=1, reason="x")
    assert response.status_code == 403  # the active step is the reviewer's now


def test_deny_withdraw_terminate_and_reject_extension(food, cx):
    number = accepted(cx, food)["number"]
    ok(act(cx, "scjg-reviewer", number, "pass_step"))
    ok(act(cx, "scjg-approver", number, "pass_step"))
    ok(act(cx, "scjg-approver", number, "request_extension", days=1, reason="需要时间"))
    ok(act(cx, "supervisor", number, "reject_extension", note="无需延期"))
    state = ok(act(cx, "scjg-approver", number, "deny", reasons="经营场所不符合要求"))
    assert state["status"] == "decided_denied"
    detail = ok(Api(cx.user("clerk")).get(f"/cases/{number}"))
    decision = [n for n in detail["notices"] if n["kind"] == "decision"]
    assert len(decision) == 1
    second = accepted(cx, food)["number"]
    assert ok(act(cx, "clerk", second, "withdraw", reason="申请人撤回"))["status"] == "withdrawn"
    third = accepted(cx, food)["number"]
    assert ok(act(cx, "scjg-chief", third, "terminate", reason="企业注销"))["status"] == "terminated"


def test_online_application_actions(food, cx):
    food.online_allowed = True
    food.save(update_fields=["online_allowed"])
    case = services.case_submit_online(
        center=cx.center,
        item_code=food.item.code,
        applicant=applicant(),
        materials=[{"material": m.pk, "received": True} for m in food.materials.all()],
    )
    receipt = case.receipt_number
    api = Api(cx.user("clerk"))

    def do(action: str, **params: Any) -> dict[str, Any]:
        version = Case.objects.get(receipt_number=receipt).version
        return ok(api.post(f"/cases/{receipt}/actions", {"action": action, "version": version, **params}))

    assert do("pre_review_pass", opinion="预审通过")["status"] == "received"
    first = food.materials.first()
    assert (
        do("request_correction", items=[{"material": first.pk, "note": "模糊"}])["status"]
        == "correction_requested"
    )
    assert do("receive_correction", materials=[first.pk])["status"] == "received"
    state = do("accept")
    assert state["status"] == "accepted" and state["number"]
    other = services.case_submit_online(
        center=cx.center,
        item_code=food.item.code,
        applicant=applicant(),
        materials=[{"material": m.pk, "received": True} for m in food.materials.all()],
    )
    response = api.post(
        f"/cases/{other.receipt_number}/actions",
        {"action": "refuse", "version": other.version, "reason": "不符合"},
    )
    assert ok(response)["status"] == "refused"


def test_a_system_action_is_refused(food, cx):
    number = accepted(cx, food)["number"]
    response = act(cx, "clerk", number, "deem_accept")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_transition"


def test_stale_version_is_a_conflict_and_changes_nothing(food, cx):
    body = accepted(cx, food)
    api = Api(cx.user("scjg-reviewer"))
    path = f"/cases/{body['number']}/actions"
    assert ok(api.post(path, {"action": "pass_step", "version": body["version"], "opinion": "一"}))
    response = api.post(path, {"action": "pass_step", "version": body["version"], "opinion": "二"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["details"]["version"] == body["version"] + 1
    assert CaseEvent.objects.filter(case__number=body["number"], action="pass_step").count() == 1


def test_an_action_not_allowed_now_lists_the_allowed_ones(food, cx):
    number = accepted(cx, food)["number"]
    response = act(cx, "scjg-reviewer", number, "complete")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert "pass_step" in body["details"]["allowed"]
    assert "complete" not in body["details"]["allowed"]


def test_missing_parameters_and_unknown_actions_are_422(food, cx):
    number = accepted(cx, food)["number"]
    response = act(cx, "clerk", number, "withdraw")  # reason is required
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"
    response = act(cx, "clerk", number, "withdraw", reason="  ")
    assert response.status_code == 422 and "reason" in response.json()["details"]
    response = act(cx, "clerk", number, "fly_away")
    assert response.status_code == 422


def test_an_action_without_the_permission_is_403(food, cx):
    number = accepted(cx, food)["number"]
    response = act(cx, "clerk", number, "pass_step")  # the review step is not the clerk's post
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    response = act(cx, "sw-approver", number, "terminate", reason="x")  # outside the data scope
    assert response.status_code == 404


# --- files -------------------------------------------------------------------------------------


def test_upload_and_download_a_file(food, cx, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    number = accepted(cx, food)["number"]
    api = Api(cx.user("clerk"))
    material = ok(api.get(f"/cases/{number}"))["materials"][0]
    upload = io.BytesIO(b"%PDF-1.4 test")
    upload.name = "申请书.pdf"
    response = api.client.post(f"{BASE}/cases/{number}/files", {"file": upload, "material": material["id"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "申请书.pdf" and body["material"] == material["id"]
    download = api.client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert Api(cx.user("sw-reviewer")).client.get(body["download_url"]).status_code == 404
    bad = io.BytesIO(b"MZ")
    bad.name = "virus.exe"
    response = api.client.post(f"{BASE}/cases/{number}/files", {"file": bad})
    assert response.status_code == 422 and "file" in response.json()["details"]
    assert CaseFile.objects.count() == 1


# --- worklist --------------------------------------------------------------------------------------


def test_worklist_most_urgent_first_with_green_channel(food, cx):
    plain = accepted(cx, food)["number"]
    green = Api(cx.user("clerk")).post(
        "/cases", intake_body(food, green_channel=True, green_channel_handler="scjg-reviewer")
    )
    assert green.status_code == 201, green.content
    green_number = green.json()["number"]
    rows = ok(Api(cx.user("scjg-reviewer")).get("/worklist"))
    assert [r["number"] for r in rows] == [green_number, plain]
    assert rows[0]["green_channel"] is True and rows[0]["step"]["name"] == "审查"
    assert rows[0]["days_left"] == 4 and rows[0]["overdue"] is False
    assert ok(Api(cx.user("clerk")).get("/worklist")) == []  # the acceptance finished 受理
    assert rows[1]["number"] == plain and rows[1]["step"]["name"] == "审查"
    assert ok(Api(cx.user("sw-reviewer")).get("/worklist")) == []


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_actions_one_success_one_conflict(food, cx):
    body = accepted(cx, food)
    number, version = body["number"], body["version"]
    clients = [Api(cx.user("scjg-reviewer")), Api(cx.user("scjg-reviewer"))]
    barrier = threading.Barrier(2)
    results: list[int] = []

    def run(api: Api, opinion: str) -> None:
        try:
            barrier.wait()
            response = api.post(
                f"/cases/{number}/actions", {"action": "pass_step", "version": version, "opinion": opinion}
            )
            results.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c, str(i))) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]
    assert CaseEvent.objects.filter(case__number=number, action="pass_step").count() == 1
    assert Case.objects.get(number=number).version == version + 1


# --- public progress ----------------------------------------------------------------------------


def test_public_progress_shows_no_personal_data_or_staff(food, cx):
    number = accepted(cx, food)["number"]
    ok(act(cx, "scjg-reviewer", number, "pass_step", opinion="内部意见：材料齐全"))
    ok(act(cx, "scjg-approver", number, "start_special_procedure", kind="hearing", reason="听证"))
    response = Client().get(f"{BASE}/public/progress", {"number": number, "code": PHONE[-4:]})
    body = ok(response)
    assert body["number"] == number and body["status"] == "suspended"
    assert [s["name"] for s in body["steps"]][:2] == ["受理", "审查"]
    assert body["pauses"][0]["kind"] == "hearing"
    assert body["due_date"] == "2026-03-16"
    text = response.content.decode()
    secrets = (PHONE, ID_NUMBER, "张三", "clerk", "scjg-reviewer", "scjg-approver", "内部意见", "138****5678")
    for secret in secrets:
        assert secret not in text, secret
    # the ID number's last four work too, in lower case
    assert (
        Client()
        .get(f"{BASE}/public/progress", {"number": number.lower(), "code": ID_NUMBER[-4:].lower()})
        .status_code
        == 200
    )


def test_public_progress_gives_one_answer_to_every_wrong_input(food, cx):
    number = accepted(cx, food)["number"]
    wrong_check = number[:-1] + ("A" if number[-1] != "A" else "B")
    unknown = number[:-8] + "000999"
    answers = []
    for params in (
        {"number": number, "code": "0000"},
        {"number": wrong_check, "code": PHONE[-4:]},
        {"number": unknown + "X", "code": PHONE[-4:]},
        {"number": "garbage", "code": PHONE[-4:]},
        {"number": number, "code": ""},
    ):
        response = Client().get(f"{BASE}/public/progress", params)
        assert response.status_code == 404, params
        answers.append(response.json())
    assert all(a == answers[0] for a in answers)
    assert answers[0]["code"] == "not_found"


@override_settings(PROGRESS_LOOKUPS_PER_MINUTE=3)
def test_public_progress_is_rate_limited(food, cx):
    number = accepted(cx, food)["number"]
    client = Client()
    for _ in range(3):
        assert client.get(f"{BASE}/public/progress", {"number": number, "code": "0000"}).status_code == 404
    response = client.get(f"{BASE}/public/progress", {"number": number, "code": PHONE[-4:]})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    # another address has its own budget
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.get(f"{BASE}/public/progress", {"number": number, "code": PHONE[-4:]}).status_code == 200
