"""GET/POST /api/v1/public/my/…: the same lists and case as the portal, for an applicant token."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.cases.models import Case
from onewindow.identity.models import RealNameLevel
from onewindow.identity.tokens import applicant_token_issue
from onewindow.org.services import api_token_issue
from tests.applicants import make_enterprise, make_person
from tests.online.helpers import OTHER_ID, accept_online, draft, online_item, submit_online
from tests.online.pdftext import content_streams

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
BASE = "/api/v1/public/my/cases"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def bearer(person, enterprise=None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {applicant_token_issue(person=person, enterprise=enterprise)[1]}"}


@pytest.fixture
def mine(org):
    version = online_item(org)
    person = make_person()
    draft(org, version, person)
    app, case = submit_online(org, version, person)
    accept_online(org, app, case)
    _app2, pending = submit_online(org, version, person)
    return person, case, pending


def test_the_lists_paginated_and_masked(client, org, mine):
    person, case, _pending = mine
    response = client.get(BASE, **bearer(person))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["counts"] == {"drafts": 1, "submitted": 1, "in_progress": 1, "done": 0}
    assert person.id_number not in response.content.decode() and person.phone not in response.content.decode()
    page = client.get(BASE, {"tab": "in_progress", "page_size": 1}, **bearer(person)).json()
    assert [i["number"] for i in page["items"]] == [case.number] and page["count"] == 1
    beyond = client.get(BASE, {"page": 9}, **bearer(person)).json()
    assert beyond["items"] == [] and beyond["count"] == 3
    assert client.get(BASE, {"tab": "nope"}, **bearer(person)).status_code == 422


def test_staff_tokens_and_no_token_get_401(client, org, mine):
    assert client.get(BASE).status_code == 401
    staff = api_token_issue(user=org.user("clerk"))[1]
    response = client.get(BASE, HTTP_AUTHORIZATION=f"Bearer {staff}")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_one_case_and_its_notice_as_pdf(client, mine):
    person, case, _pending = mine
    response = client.get(f"{BASE}/{case.number}", **bearer(person))
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == case.number and body["may_withdraw"] and body["tab"] == "in_progress"
    assert body["steps"] and body["events"] and body["messages"]
    [notice] = body["notices"]
    assert notice["kind"] == "acceptance"
    pdf = client.get(notice["pdf_url"], **bearer(person))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f"({notice['number']})".encode() in content_streams(pdf.content)
    missing = client.get(f"{BASE}/{case.number}/notices/{case.number}-Q01.pdf", **bearer(person))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_another_applicant_gets_404(client, mine):
    _person, case, _pending = mine
    other = make_person(
        phone="13900139000", name="李四", id_number=OTHER_ID, real_name_level=RealNameLevel.CERTIFIED
    )
    headers = bearer(other)
    assert client.get(f"{BASE}/{case.number}", **headers).status_code == 404
    notice = case.notices.get()
    assert client.get(f"{BASE}/{case.number}/notices/{notice.number}.pdf", **headers).status_code == 404
    company_headers = bearer(other, make_enterprise(other))
    assert client.get(f"{BASE}/{case.number}", **company_headers).status_code == 404
    withdraw = client.post(
        f"{BASE}/{case.number}/withdraw",
        {"version": case.version, "reason": "x"},
        "application/json",
        **headers,
    )
    assert withdraw.status_code == 404


def test_withdraw(client, mine):
    person, case, _pending = mine
    headers = bearer(person)
    url = f"{BASE}/{case.number}/withdraw"
    stale = client.post(url, {"version": case.version + 5, "reason": "不办了"}, "application/json", **headers)
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    bad = client.post(url, {"version": case.version, "reason": ""}, "application/json", **headers)
    assert bad.status_code == 422 and "reason" in str(bad.json()["details"])
    done = client.post(url, {"version": case.version, "reason": "不办了"}, "application/json", **headers)
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
    case.refresh_from_db()
    assert case.status == Case.Status.WITHDRAWN
    again = client.post(url, {"version": case.version, "reason": "不办了"}, "application/json", **headers)
    assert again.status_code == 422 and again.json()["code"] == "invalid_transition"
