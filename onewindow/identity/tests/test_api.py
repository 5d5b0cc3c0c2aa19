"""The applicant accounts' API: /api/v1/public/auth/* and /api/v1/applicants/verify."""

from __future__ import annotations

import pytest

from onewindow.identity.models import RealNameLevel
from onewindow.identity.tests.helpers import last_code
from onewindow.org.services import api_token_issue
from tests.applicants import make_enterprise, make_person, resident_id, uscc

pytestmark = pytest.mark.django_db

BASE = "/api/v1/public/auth"
PHONE = "13900000071"


def _post(client, path, body, **headers):
    return client.post(path, body, content_type="application/json", **headers)


def _token(client, phone=PHONE):
    assert _post(client, f"{BASE}/code", {"phone": phone}).status_code == 202
    response = _post(client, f"{BASE}/token", {"phone": phone, "code": last_code(phone)})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_code_token_me_and_sign_out(org, client):
    sent = _post(client, f"{BASE}/code", {"phone": PHONE})
    assert sent.status_code == 202 and sent.json()["expires_in_seconds"] == 300
    again = _post(client, f"{BASE}/code", {"phone": PHONE})
    assert again.status_code == 429 and again.json()["code"] == "rate_limited"
    wrong = _post(client, f"{BASE}/token", {"phone": PHONE, "code": "000000"})
    if last_code(PHONE) != "000000":
        assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_code"
    body = _post(client, f"{BASE}/token", {"phone": PHONE, "code": last_code(PHONE)}).json()
    assert body["token"].startswith("owa_") and body["expires_at"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {body['token']}"}
    me = client.get(f"{BASE}/me", **auth)
    assert me.status_code == 200
    assert me.json() == {
        "phone": "139****0071",
        "name": "",
        "id_type": "resident_id",
        "id_number": "",
        "real_name_level": 2,
        "acting_for": None,
        "enterprises": [],
    }
    assert client.delete(f"{BASE}/token", **auth).status_code == 204
    gone = client.get(f"{BASE}/me", **auth)
    assert gone.status_code == 401 and gone.json()["code"]


def test_me_lists_the_enterprises_masked(org, client):
    person = make_person(phone=PHONE)
    enterprise = make_enterprise(person, name="示例科技有限公司")
    token = _token(client)
    me = client.get(f"{BASE}/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["name"] == "张*" and me["id_number"] != person.id_number
    assert me["enterprises"] == [
        {
            "id": enterprise.pk,
            "name": "示例科技有限公司",
            "uscc": me["enterprises"][0]["uscc"],
            "as_legal_rep": True,
        }
    ]
    assert me["enterprises"][0]["uscc"] != enterprise.uscc


def test_bad_input_and_lockout_are_json(org, client):
    bad = _post(client, f"{BASE}/code", {"phone": "123"})
    assert bad.status_code == 422 and bad.json()["details"]["phone"]
    assert _post(client, f"{BASE}/code", {}).status_code == 422
    for _ in range(4):
        assert _post(client, f"{BASE}/token", {"phone": PHONE, "code": "12345x"}).status_code == 401
    locked = _post(client, f"{BASE}/token", {"phone": PHONE, "code": "12345x"})
    assert locked.status_code == 423 and locked.json()["code"] == "account_locked"


def test_a_staff_token_is_not_an_applicant(org, client):
    _user_token = api_token_issue(user=org.user("clerk"))[1]
    assert client.get(f"{BASE}/me", HTTP_AUTHORIZATION=f"Bearer {_user_token}").status_code == 401


def test_verify_by_the_staff_api(org, client):
    person = make_person(phone=PHONE, id_number="")
    number = resident_id("11010119700101123")
    body = {"phone": PHONE, "name": "张三", "id_type": "resident_id", "id_number": number}
    auditor = api_token_issue(user=org.user("auditor"))[1]
    assert (
        _post(client, "/api/v1/applicants/verify", body, HTTP_AUTHORIZATION=f"Bearer {auditor}").status_code
        == 403
    )
    clerk = api_token_issue(user=org.user("clerk"))[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {clerk}"}
    missing = _post(client, "/api/v1/applicants/verify", {**body, "phone": "13900009999"}, **headers)
    assert missing.status_code == 404
    bad = _post(client, "/api/v1/applicants/verify", {**body, "id_number": "1"}, **headers)
    assert bad.status_code == 422 and "id_number" in bad.json()["details"]
    done = _post(client, "/api/v1/applicants/verify", body, **headers)
    assert done.status_code == 200, done.content
    assert done.json()["real_name_level"] == 4 and done.json()["id_number"] != number
    person.refresh_from_db()
    assert person.real_name_level == RealNameLevel.CONSISTENT
    assert client.post("/api/v1/applicants/verify", body, content_type="application/json").status_code == 401


def test_a_token_acting_for_an_enterprise(org, client):
    rep = make_person(phone="13900000072", id_number=resident_id("11010119700101123"))
    enterprise = make_enterprise(rep, name="示例科技有限公司", agents=(make_person(phone=PHONE),))
    other = make_enterprise(rep, name="别的公司", code=uscc("91110108MA01QQQQ1"))
    token = _token(client)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert _post(client, f"{BASE}/act-for", {"enterprise": 10**12}, **auth).status_code == 404
    denied = _post(client, f"{BASE}/act-for", {"enterprise": other.pk}, **auth)
    assert denied.status_code == 403 and denied.json()["code"] == "not_authorised_agent"
    acting = _post(client, f"{BASE}/act-for", {"enterprise": enterprise.pk}, **auth)
    assert acting.status_code == 200
    new = {"HTTP_AUTHORIZATION": f"Bearer {acting.json()['token']}"}
    me = client.get(f"{BASE}/me", **new).json()
    assert me["acting_for"]["id"] == enterprise.pk and me["acting_for"]["as_legal_rep"] is False
    assert client.get(f"{BASE}/me", **auth).status_code == 401  # the old token is revoked
    back = _post(client, f"{BASE}/act-for", {"enterprise": None}, **new)
    assert (
        client.get(f"{BASE}/me", HTTP_AUTHORIZATION=f"Bearer {back.json()['token']}").json()["acting_for"]
        is None
    )
