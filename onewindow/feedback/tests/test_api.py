"""The evaluation API: the public link (201/409/403/422/404), the staff list, rates and export,
and the occasions on a case's detail."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests.conftest import at
from onewindow.feedback.models import Evaluation
from onewindow.feedback.services import evaluation_submit
from onewindow.feedback.tests.occasion_helpers import delivered_case, occasion_of, token_of
from onewindow.feedback.tokens import occasion_token
from onewindow.identity.tokens import applicant_token_issue
from onewindow.org.services import api_token_issue
from tests.applicants import make_person

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/evaluations"
LATER = "2026-11-03 09:00"


def staff_auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)[1]}"}


def post(client: Any, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(PUBLIC, data, content_type="application/json", **extra)


def test_the_public_link_evaluates_once(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    token = token_of(case)
    with at(LATER):
        page = client.get(f"{PUBLIC}/{token}")
        assert page.status_code == 200, page.content
        body = page.json()
        assert body["kind"] == "completed" and not body["evaluated"] and not body["closed"]
        assert [i["label"] for i in body["indicators"]] == ["整体满意度", "服务效率", "服务水平", "服务态度"]
        assert "张三" not in page.content.decode() and case.applicant_phone not in page.content.decode()
        first = post(client, {"token": token, "level": "satisfied", "tags": ["attitude"], "text": "很好"})
        assert first.status_code == 201, first.content
        assert first.json()["level"] == "satisfied" and first.json()["channel"] == "qr_code"
        again = post(client, {"token": token, "level": "very_satisfied"})
        assert again.status_code == 409 and again.json()["code"] == "already_evaluated"
        assert client.get(f"{PUBLIC}/{token}").json()["evaluated"] is True
    evaluation = Evaluation.objects.get()
    assert evaluation.real_name and evaluation.applicant is None and evaluation.client_ip == "127.0.0.1"


def test_a_bad_rating_needs_a_reason_and_channels_are_honoured(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    with at(LATER):
        bad = post(client, {"token": token_of(case), "level": "dissatisfied", "tags": [], "text": " "})
        assert bad.status_code == 422 and bad.json()["code"] == "bad_rating_needs_reason"
        wrong = post(client, {"token": token_of(case), "level": "five_stars"})
        assert wrong.status_code == 422 and "level" in wrong.json()["details"]
        ok = post(
            client,
            {"token": token_of(case), "level": "very_dissatisfied", "text": "等太久", "channel": "mobile"},
        )
        assert ok.status_code == 201 and ok.json()["channel"] == "mobile"
        # an online channel takes the online template's indicators
        other = post(
            client,
            {
                "token": token_of(case, "accepted"),
                "level": "satisfied",
                "tags": ["attitude"],
                "channel": "pc",
            },
        )
        assert other.status_code == 422
    assert Evaluation.objects.get().bad


def test_staff_cannot_evaluate(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    with at(LATER):
        by_token = post(
            client, {"token": token_of(case), "level": "satisfied"}, **staff_auth(cx.user("clerk"))
        )
        assert by_token.status_code == 403 and by_token.json()["code"] == "staff_cannot_evaluate"
        client.force_login(cx.user("supervisor"))
        by_session = post(client, {"token": token_of(case), "level": "satisfied"})
        assert by_session.status_code == 403 and by_session.json()["code"] == "staff_cannot_evaluate"
    assert not Evaluation.objects.exists()


def test_an_applicant_token_makes_it_real_name(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    person = make_person()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {applicant_token_issue(person=person)[1]}"}
    with at(LATER):
        assert post(client, {"token": token_of(case), "level": "satisfied"}, **auth).status_code == 201
    assert Evaluation.objects.get().applicant == person


@pytest.mark.parametrize("token", ["", "nonsense", "1.abcdefghijklmnopqrstuv", "x" * 199])
def test_any_bad_link_is_the_same_404(client: Any, cx: Any, token: str) -> None:
    delivered_case(cx)
    with at(LATER):
        answer = post(client, {"token": token, "level": "satisfied"})
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"
        if token:
            assert client.get(f"{PUBLIC}/{token}").json()["code"] == "not_found"
    missing = post(client, {"token": occasion_token(999_999), "level": "satisfied"})
    assert missing.status_code == 404 and missing.json()["message"] == answer.json()["message"]


def test_a_closed_occasion_is_a_409(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    with at("2026-12-20 10:00"):
        assert client.get(f"{PUBLIC}/{token_of(case)}").json()["closed"] is True
        closed = post(client, {"token": token_of(case), "level": "satisfied"})
        assert closed.status_code == 409 and closed.json()["code"] == "evaluation_closed"


def _evaluate(case: Any, kind: str, level: str, **kw: Any) -> Evaluation:
    with at(LATER):
        return evaluation_submit(
            occasion=occasion_of(case, kind),
            level=level,
            tags=kw.get("tags", ["overall"]),
            text="",
            channel=kw.get("channel", "sms"),
        )


def test_staff_list_summary_and_scope(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    _evaluate(case, "completed", "very_dissatisfied")
    url = "/api/v1/evaluations"
    supervisor = staff_auth(cx.user("supervisor"))
    rows = client.get(url, **supervisor).json()
    assert rows["count"] == 1 and rows["items"][0]["evaluation"]["level"] == "very_dissatisfied"
    assert rows["items"][0]["case_number"] == case.display_number
    assert client.get(url, {"state": "unevaluated"}, **supervisor).json()["items"][0]["kind"] == "accepted"
    assert client.get(url, {"state": "all"}, **supervisor).json()["count"] == 2
    assert client.get(url, {"bad": "true", "channel": "sms"}, **supervisor).json()["count"] == 1
    assert client.get(url, {"level": "satisfied"}, **supervisor).json()["count"] == 0
    assert client.get(url, {"from": "2026-11-03"}, **supervisor).json()["count"] == 0
    assert client.get(url, {"from": "2026-11-02", "to": "2026-11-02"}, **supervisor).json()["count"] == 1
    assert client.get(url, {"department": "SCJG"}, **supervisor).json()["count"] == 1
    assert client.get(url, {"department": "NOPE"}, **supervisor).status_code == 422
    assert client.get(url, {"level": "bogus"}, **supervisor).status_code == 422
    # the other department's chief sees nothing; the clerk may not look at all
    assert client.get(url, **staff_auth(cx.user("sw-chief"))).json()["count"] == 0
    assert client.get(url, **staff_auth(cx.user("scjg-chief"))).json()["count"] == 1
    assert client.get(url, **staff_auth(cx.user("clerk"))).status_code == 403
    rates = client.get(f"{url}/summary", **supervisor).json()
    assert rates["occasions"] == 2 and rates["unevaluated"] == 1 and rates["unevaluated_rate"] == 0.5
    assert rates["evaluations"] == 1 and rates["bad"] == 1 and rates["satisfaction_rate"] == 0.0
    assert rates["by_level"]["very_dissatisfied"] == 1


def test_export_is_masked_and_coded(client: Any, cx: Any) -> None:
    case = delivered_case(cx)
    with at(LATER):
        evaluation_submit(
            occasion=occasion_of(case),
            level="satisfied",
            tags=["attitude"],
            text="电话13812345678",
            channel="sms",
        )
    supervisor = staff_auth(cx.user("supervisor"))
    answer = client.get(
        "/api/v1/evaluations/export", {"format": "gbt39046", "from": "2026-11-01"}, **supervisor
    )
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    text = answer.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("评价编号,办件编号")
    assert "13812345678" not in text and "服务态度" in row
    assert ",7,2," in row  # channel SMS = 7, level satisfied = 2 (GB/T 39046)
    national = client.get("/api/v1/evaluations/export", {"format": "national"}, **supervisor)
    assert ",7,4,0," in national.content.decode("utf-8-sig")  # satisfied = 4, not a 差评
    assert client.get("/api/v1/evaluations/export", {"format": "x"}, **supervisor).status_code == 422
    assert (
        client.get(
            "/api/v1/evaluations/export", {"format": "national"}, **staff_auth(cx.user("clerk"))
        ).status_code
        == 403
    )


def test_the_case_detail_lists_its_occasions(
    client: Any, cx: Any, django_assert_max_num_queries: Any
) -> None:
    case = delivered_case(cx)
    _evaluate(case, "accepted", "satisfied")
    url = f"/api/v1/cases/{case.display_number}"
    with at(LATER):
        clerk = client.get(url, **staff_auth(cx.user("clerk"))).json()
        chief = client.get(url, **staff_auth(cx.user("scjg-chief"))).json()
    assert [(o["kind"], o["evaluated"], o["level"]) for o in clerk["occasions"]] == [
        ("accepted", True, "satisfied"),
        ("completed", False, None),
    ]
    link = clerk["occasions"][1]["evaluation_link"]
    assert link.endswith(f"/evaluate/{token_of(case)}/")
    assert all(o["evaluation_link"] is None for o in chief["occasions"])
