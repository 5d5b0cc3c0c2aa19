"""The supervision API: the board, flags and forecast after a real sweep, orders from issue to
close, accountability appeal and decision, the sweep endpoint, 403 for non-supervisors, 422 for
bad input, and department scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from onewindow.cases import services as case_services
from onewindow.cases.applicants import resident_id_check
from onewindow.cases.models import Case
from onewindow.org.services import api_token_issue
from onewindow.supervision.models import AccountabilityRecord, Flag, SupervisionOrder
from onewindow.supervision.sweep import sweep
from tests.factories import make_item

pytestmark = pytest.mark.django_db

BASE = "/api/v1/supervision"
NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
LATE = dt.datetime(2026, 3, 24, 2, 0, tzinfo=dt.UTC)  # past the 10-working-day limit
ID_NUMBER = "11010119900307123" + resident_id_check("11010119900307123")


@pytest.fixture
def traveller():
    cache.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
    cache.clear()


@pytest.fixture
def food(org, traveller):
    return make_item(org, code="SC001", name="食品经营许可", promised_limit=10, legal_limit=20)


@pytest.fixture
def tax(org, traveller):
    return make_item(
        org, code="SW001", name="税务登记", department=org.dept_b, promised_limit=10, legal_limit=20
    )


def intake(org: Any, version: Any) -> Case:
    return case_services.case_intake(
        actor=org.user("clerk"),
        item_code=version.item.code,
        center=org.center,
        applicant={
            "kind": "person",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": ID_NUMBER,
            "phone": "13812345678",
            "address": "测试市人民路1号",
        },
        channel="window",
        materials=[{"material": m.pk, "received": True} for m in version.materials.all()],
        action="accept",
    )


class Api:
    def __init__(self, user: Any) -> None:
        _token, raw = api_token_issue(user=user)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {})

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(BASE + path, data or {}, content_type="application/json")


def api(org: Any, name: str) -> Api:
    return Api(org.user(name))


@pytest.fixture
def late(org, food, tax, traveller) -> tuple[Case, Case]:
    """One SCJG and one SW case, three weeks later, after a real sweep."""
    mine, theirs = intake(org, food), intake(org, tax)
    traveller.move_to(LATE)
    sweep()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    return mine, theirs


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"]
    return body


def test_supervisor_endpoints_answer_403_json_to_others(org, food, traveller):
    case = intake(org, food)
    chief = api(org, "scjg-chief")
    for path in ("/board", "/flags", "/forecast?at=2026-03-06T17:30:00%2B08:00"):
        error(chief.get(path), 403, "permission_denied")
    error(chief.post("/sweep"), 403, "permission_denied")
    error(
        chief.post("/orders", {"case": case.display_number, "demand": "x", "reply_days": 2}),
        403,
        "permission_denied",
    )
    # without both rights, the scoped lists are refused too
    clerk = api(org, "clerk")
    error(clerk.get("/orders"), 403, "permission_denied")
    error(clerk.get("/accountability"), 403, "permission_denied")
    assert Client().get(BASE + "/board").status_code == 401
    assert not SupervisionOrder.objects.exists()


def test_board_counts_by_department_window_and_item(org, late):
    body = api(org, "supervisor").get("/board").json()
    assert body["center"] == {"green": 0, "yellow": 0, "red": 2, "total": 2}
    assert body["steps"]["red"] == 2
    departments = {row["code"]: row for row in body["by_department"]}
    assert departments["SCJG"]["red"] == 1 and departments["SW"]["red"] == 1
    assert departments["SCJG"]["name"] == org.dept_a.name
    items = {row["code"]: row["red"] for row in body["by_item"]}
    assert items == {"SC001": 1, "SW001": 1}
    assert sum(row["total"] for row in body["by_window"]) == 2
    assert {row["code"] for row in body["steps_by_department"]} == {"SCJG", "SW"}


def test_board_counts_green_before_the_deadline(org, food, traveller):
    intake(org, food)
    sweep()
    body = api(org, "supervisor").get("/board").json()
    assert body["center"] == {"green": 1, "yellow": 0, "red": 0, "total": 1}


def test_flags_filters_and_bad_level(org, late):
    mine, theirs = late
    supervisor = api(org, "supervisor")
    rows = supervisor.get("/flags").json()
    assert {r["case"] for r in rows} == {mine.display_number, theirs.display_number}
    red = supervisor.get("/flags", {"level": "red"}).json()
    assert red and {r["level"] for r in red} == {"red"}
    row = next(r for r in red if r["case"] == mine.display_number and r["step"])
    assert row["department"] == "SCJG" and row["item"] == "SC001" and row["due_at"] and row["raised_at"]
    assert {r["case"] for r in supervisor.get("/flags", {"department": "SW"}).json()} == {
        theirs.display_number
    }
    assert {r["case"] for r in supervisor.get("/flags", {"item": "SC001"}).json()} == {mine.display_number}
    assert supervisor.get("/flags", {"level": "yellow"}).json() == []
    body = error(supervisor.get("/flags", {"level": "purple"}), 422, "validation_failed")
    assert "level" in body["details"]


def test_forecast_shape_and_bad_datetimes(org, food, traveller):
    case = intake(org, food)
    supervisor = api(org, "supervisor")
    body = supervisor.get("/forecast", {"at": "2026-03-30T17:30:00+08:00"}).json()
    assert set(body) == {"at", "yellow", "red"}
    numbers = {r["number"] for r in body["red"]}
    assert case.display_number in numbers
    row = body["red"][0]
    assert set(row) == {"number", "step", "due_at", "warn_at"}
    assert dt.datetime.fromisoformat(row["due_at"]) < dt.datetime.fromisoformat(body["at"])
    # the step row names its step, the case row has none
    # (the acceptance finished 受理: the department's first step is the active one)
    assert {r["step"] for r in body["red"]} == {None, case.item_version.steps.order_by("position")[1].name}
    # a fresh case is green: its active step has its own limit, nothing is yellow or red yet
    soon = supervisor.get("/forecast", {"at": "2026-03-03T09:00:00+08:00"}).json()
    assert soon["red"] == [] and soon["yellow"] == []
    # yellow: the case between its warning time and its deadline ("Z" is accepted)
    warn = supervisor.get("/forecast", {"at": "2026-03-13T12:00:00Z"}).json()
    assert (case.display_number, None) in {(r["number"], r["step"]) for r in warn["yellow"]}
    assert (case.display_number, None) not in {(r["number"], r["step"]) for r in warn["red"]}
    for bad in ("next friday", "2026-03-30T17:30:00", "2026-13-01T00:00:00+08:00"):
        body = error(supervisor.get("/forecast", {"at": bad}), 422, "validation_failed")
        assert "at" in body["details"]
    assert supervisor.get("/forecast").status_code == 422


def test_sweep_endpoint_runs_the_sweep(org, food, traveller):
    case = intake(org, food)
    traveller.move_to(LATE)
    supervisor = api(org, "supervisor")
    body = supervisor.post("/sweep").json()
    assert body["counts"]["step_red"] == 1 and body["counts"]["case_red"] == 1
    assert Flag.objects.filter(case=case, level="red").exists()
    again = supervisor.post("/sweep").json()  # nothing new the second time
    assert again["counts"].get("step_red", 0) == 0
    assert Flag.objects.filter(case=case, level="red", step__isnull=False).count() == 1


def test_order_lifecycle(org, food, traveller):
    case = intake(org, food)
    supervisor, chief = api(org, "supervisor"), api(org, "scjg-chief")
    response = supervisor.post(
        "/orders", {"case": case.display_number, "demand": "请说明进度", "reply_days": 2}
    )
    assert response.status_code == 201
    order = response.json()
    assert order["case"] == case.display_number and order["department"] == "SCJG"
    assert order["status"] == "open" and order["issued_by"] == "supervisor"
    assert order["reply_due_at"].startswith("2026-03-04T23:59:59")
    listed = chief.get("/orders", {"status": "open"}).json()
    assert [o["id"] for o in listed] == [order["id"]]
    error(chief.post(f"/orders/{order['id']}/close", {"note": "x"}), 403, "permission_denied")
    error(supervisor.post(f"/orders/{order['id']}/close", {"note": "x"}), 422, "invalid_transition")
    body = error(chief.post(f"/orders/{order['id']}/reply", {"reply": " "}), 422, "validation_failed")
    assert "reply" in body["details"]
    replied = chief.post(f"/orders/{order['id']}/reply", {"reply": "已加快办理"}).json()
    assert replied["status"] == "replied" and replied["reply"] == "已加快办理" and replied["replied_at"]
    error(supervisor.post(f"/orders/{order['id']}/send-back", {"note": ""}), 422, "validation_failed")
    sent = supervisor.post(f"/orders/{order['id']}/send-back", {"note": "请写明完成时间"}).json()
    assert sent["status"] == "open" and sent["sent_back_count"] == 1
    chief.post(f"/orders/{order['id']}/reply", {"reply": "3月5日办结"})
    closed = supervisor.post(f"/orders/{order['id']}/close", {"note": "同意"}).json()
    assert closed["status"] == "closed" and closed["close_note"] == "同意"
    assert SupervisionOrder.objects.get(pk=order["id"]).status == "closed"


def test_order_issue_errors(org, food, traveller):
    case = intake(org, food)
    supervisor = api(org, "supervisor")
    body = error(
        supervisor.post("/orders", {"case": "DEMO20991231999999X", "demand": "x"}), 422, "bad_case_number"
    )
    assert "number" in body["details"]
    body = error(
        supervisor.post("/orders", {"case": case.display_number, "demand": "x", "reply_days": 0}),
        422,
        "validation_failed",
    )
    assert "reply_days" in body["details"]
    body = error(
        supervisor.post("/orders", {"case": case.display_number, "demand": "  "}), 422, "validation_failed"
    )
    assert "demand" in body["details"]
    assert supervisor.post("/orders", {"case": case.display_number}).status_code == 422
    assert not SupervisionOrder.objects.exists()
    error(supervisor.get("/orders", {"status": "lost"}), 422, "validation_failed")


def test_orders_and_records_are_department_scoped(org, late):
    mine, theirs = late
    scjg, sw = api(org, "scjg-chief"), api(org, "sw-chief")
    scjg_orders = scjg.get("/orders").json()
    sw_orders = sw.get("/orders").json()
    assert {o["case"] for o in scjg_orders} == {mine.display_number}
    assert {o["case"] for o in sw_orders} == {theirs.display_number}
    assert {o["department"] for o in scjg_orders} == {"SCJG"}
    scjg_records = scjg.get("/accountability").json()
    assert scjg_records and {r["case"] for r in scjg_records} == {mine.display_number}
    assert {r["case"] for r in sw.get("/accountability").json()} == {theirs.display_number}
    # acting on another department's rows is 404, nothing changes
    error(sw.post(f"/orders/{scjg_orders[0]['id']}/reply", {"reply": "x"}), 404, "not_found")
    error(sw.post(f"/accountability/{scjg_records[0]['id']}/appeal", {"reason": "x"}), 404, "not_found")
    assert SupervisionOrder.objects.get(pk=scjg_orders[0]["id"]).status == "open"
    assert AccountabilityRecord.objects.get(pk=scjg_records[0]["id"]).status == "active"
    # the supervisor sees both
    supervisor = api(org, "supervisor")
    assert len(supervisor.get("/orders").json()) == 2


def test_accountability_appeal_and_decision(org, late):
    mine, _theirs = late
    chief, supervisor = api(org, "scjg-chief"), api(org, "supervisor")
    record = chief.get("/accountability", {"status": "active"}).json()[0]
    assert record["case"] == mine.display_number and record["step"] and record["post"] and record["reason"]
    error(
        chief.post(f"/accountability/{record['id']}/decide", {"uphold": True, "note": "x"}),
        403,
        "permission_denied",
    )
    error(
        supervisor.post(f"/accountability/{record['id']}/decide", {"uphold": True, "note": "x"}),
        422,
        "invalid_transition",
    )
    error(chief.post(f"/accountability/{record['id']}/appeal", {"reason": ""}), 422, "validation_failed")
    appealed = chief.post(f"/accountability/{record['id']}/appeal", {"reason": "申请人未按时补正"}).json()
    assert appealed["status"] == "appealed" and appealed["appeal_reason"] == "申请人未按时补正"
    error(
        chief.post(f"/accountability/{record['id']}/appeal", {"reason": "again"}), 422, "invalid_transition"
    )
    assert [r["id"] for r in supervisor.get("/accountability", {"status": "appealed"}).json()] == [
        record["id"]
    ]
    error(
        supervisor.post(f"/accountability/{record['id']}/decide", {"uphold": False, "note": " "}),
        422,
        "validation_failed",
    )
    decided = supervisor.post(
        f"/accountability/{record['id']}/decide", {"uphold": False, "note": "理由成立"}
    ).json()
    assert decided["status"] == "revoked" and decided["decision_note"] == "理由成立" and decided["decided_at"]
    error(supervisor.get("/accountability", {"status": "lost"}), 422, "validation_failed")


def test_rules_with_reminders_by_sms(org, food, traveller):
    supervisor = api(org, "supervisor")
    assert supervisor.get("/rules").json() == []
    saved = supervisor.post("/rules", {"yellow_days": 2, "yellow_percent": 25, "remind_by_sms": True}).json()
    assert (saved["item"], saved["yellow_days"], saved["remind_by_sms"]) == (None, 2, True)
    override = supervisor.post("/rules", {"item": "SC001", "yellow_days": 1, "yellow_percent": 20}).json()
    assert (override["item"], override["remind_by_sms"]) == ("SC001", False)
    listed = supervisor.get("/rules").json()
    assert [(r["item"], r["remind_by_sms"]) for r in listed] == [(None, True), ("SC001", False)]
    error(
        supervisor.post("/rules", {"item": "NOPE", "yellow_days": 1, "yellow_percent": 20}), 404, "not_found"
    )
    error(supervisor.post("/rules", {"yellow_days": 99, "yellow_percent": 20}), 422, "validation_failed")
    chief = api(org, "scjg-chief")
    error(chief.get("/rules"), 403, "permission_denied")
    error(chief.post("/rules", {"yellow_days": 1, "yellow_percent": 20}), 403, "permission_denied")
