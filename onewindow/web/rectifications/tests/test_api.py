"""The rectification API: list (scoped, filters), one, actions → 200/409/422/403/404; and the
supervision API answering an order about a rectification (case null, subject)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from onewindow.cases.tests.conftest import at, local
from onewindow.feedback.rectification_sweep import rectification_sweep
from onewindow.feedback.tests.rectify_helpers import bad_rating
from onewindow.org.services import api_token_issue

pytestmark = pytest.mark.django_db


def auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)[1]}"}


def post(client: Any, url: str, data: dict[str, Any], user: Any) -> Any:
    return client.post(url, data, content_type="application/json", **auth(user))


def test_list_detail_and_actions(client: Any, cx: Any) -> None:
    chief = cx.user("scjg-chief")
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        listed = client.get("/api/v1/rectifications?status=open", **auth(chief))
        assert listed.status_code == 200
        [row] = listed.json()
        assert row["id"] == r.pk and row["status"] == "callback_due" and row["real_name"]
        assert row["deadline"].startswith("2026-11-03T23:59:59+08:00")
        assert client.get("/api/v1/rectifications?department=SW", **auth(chief)).json() == []
        url = f"/api/v1/rectifications/{r.pk}"
        one = client.get(url, **auth(chief)).json()
        assert one["actions"] == ["callback", "classify"] and one["events"][0]["action"] == "opened"
        refused = post(client, f"{url}/classify", {"version": 1, "classification": "reasonable"}, chief)
        assert refused.status_code == 422 and refused.json()["code"] == "callback_required"
        invalid = post(client, f"{url}/callback", {"version": 1, "note": ""}, chief)
        assert invalid.status_code == 422 and set(invalid.json()["details"]) == {"reached", "note"}
        done = post(
            client,
            f"{url}/callback",
            {
                "version": 1,
                "reached": True,
                "note": "已回访",
                "classification": "complex",
                "explanation": "x",
            },
            chief,
        )
        assert done.status_code == 200, done.json()
        body = done.json()
        assert body["status"] == "rectifying" and body["version"] == 3
        assert body["due_at"].startswith("2026-11-23T23:59:59")
        stale = post(client, f"{url}/rectify", {"version": 1, "note": "x"}, chief)
        assert stale.status_code == 409 and stale.json()["details"] == {"version": 3}
        forbidden = post(client, f"{url}/approve", {"version": 3}, chief)
        assert forbidden.status_code == 403
        assert client.get(url, **auth(cx.user("sw-chief"))).status_code == 404
        assert (
            post(client, f"{url}/rectify", {"version": 3, "note": "x"}, cx.user("sw-chief")).status_code
            == 404
        )
        assert client.get("/api/v1/rectifications", **auth(cx.user("clerk"))).status_code == 403


def test_the_supervision_api_answers_an_order_without_a_case(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
    with at("2026-11-04 09:00"):
        rectification_sweep(local("2026-11-04 09:00"), Counter())
        orders = client.get("/api/v1/supervision/orders", **auth(cx.user("supervisor")))
    assert orders.status_code == 200
    [order] = orders.json()
    assert order["case"] is None
    assert order["subject"]["kind"] == "rectification" and order["subject"]["ref"] == str(r.pk)
    assert str(r.pk) in order["subject"]["label"]


def test_the_supervision_api_answers_a_record_without_a_case(client: Any, cx: Any) -> None:
    from onewindow.supervision.subjects import accountability_record_for_subject

    with at("2026-11-02 10:00"):
        accountability_record_for_subject(
            subject_kind="complaint",
            subject_ref="TS1",
            subject_label="投诉 TS1",
            department_id=cx.dept_a.pk,
            person_id=None,
            reason="有效投诉",
            now=local("2026-11-02 10:00"),
            actor=cx.user("supervisor"),
        )
        [record] = client.get("/api/v1/supervision/accountability", **auth(cx.user("scjg-chief"))).json()
    assert record["case"] is None and record["step"] is None and record["post"] is None
    assert record["subject"] == {"kind": "complaint", "ref": "TS1", "label": "投诉 TS1"}
