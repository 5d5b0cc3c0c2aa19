from __future__ import annotations

import pytest

from onewindow.org.models import Center, Department, User, Window
from onewindow.org.services import api_token_issue
from tests.factories import make_user


def auth(user):
    _token, raw = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def other_center(org):
    center = Center.objects.create(code="OTHER", name="他市政务服务中心", level="county", parent=org.center)
    dept = Department.objects.create(center=center, code="SCJG", name="他市市场监管")
    Window.objects.create(center=center, code="A01", name="他市窗口", department=dept)
    make_user("other-reviewer", center=center, department=dept, roles=("reviewer",))
    return center


@pytest.mark.django_db
def test_centers_are_public(client, org, other_center):
    response = client.get("/api/v1/centers")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert rows["DEMO"]["name"] == "测试市政务服务中心" and rows["DEMO"]["parent_code"] is None
    assert rows["OTHER"]["parent_code"] == "DEMO"
    assert set(rows["DEMO"]) == {"code", "name", "level", "parent_code", "address", "phone", "opening_hours"}


@pytest.mark.django_db
def test_departments_of_one_center(client, org, other_center):
    Department.objects.create(center=org.center, code="OLD", name="撤销的部门", active=False)
    rows = client.get("/api/v1/departments", {"center": "DEMO"}).json()
    assert [(r["code"], r["name"]) for r in rows] == [("SCJG", "市场监督管理局"), ("SW", "税务局")]
    assert {r["center_code"] for r in rows} == {"DEMO"}
    lower = client.get("/api/v1/departments", {"center": "demo"}).json()
    assert lower == rows
    everything = client.get("/api/v1/departments").json()
    assert {(r["center_code"], r["code"]) for r in everything} == {
        ("DEMO", "SCJG"),
        ("DEMO", "SW"),
        ("OTHER", "SCJG"),
    }


@pytest.mark.django_db
def test_windows_have_a_null_department_when_general(client, org):
    rows = {r["code"]: r for r in client.get("/api/v1/windows", {"center": "DEMO"}).json()}
    assert rows["Z01"]["department_code"] is None
    assert rows["A01"]["department_code"] == "SCJG"
    assert set(rows["A01"]) == {"center_code", "code", "name", "department_code", "floor"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/departments", "/api/v1/windows"])
def test_unknown_center_is_404_json(client, org, path):
    response = client.get(path, {"center": "NOPE"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "NOPE" in response.json()["message"]


@pytest.mark.django_db
def test_me(client, org):
    reviewer = org.user("scjg-reviewer")
    body = client.get("/api/v1/me", **auth(reviewer)).json()
    assert body["username"] == "scjg-reviewer"
    assert body["center"] == {"code": "DEMO", "name": "测试市政务服务中心"}
    assert body["department"] == {"code": "SCJG", "name": "市场监督管理局"}
    assert body["window"] is None
    assert body["roles"] == ["reviewer"]
    assert "cases.handle_step" in body["permissions"] or "catalog.view_serviceitem" in body["permissions"]
    assert body["permissions"] == sorted(body["permissions"])
    assert body["data_scope"] == {"kind": "department", "department_codes": ["SCJG"]}
    supervisor = client.get("/api/v1/me", **auth(org.user("supervisor"))).json()
    assert supervisor["data_scope"] == {"kind": "center", "department_codes": None}


@pytest.mark.django_db
def test_me_with_selected_departments(client, org):
    user = org.user("sw-approver")
    user.data_scope = User.Scope.DEPARTMENTS
    user.save()
    user.scope_departments.set([org.dept_a])
    body = client.get("/api/v1/me", **auth(user)).json()
    assert body["data_scope"] == {"kind": "departments", "department_codes": ["SCJG", "SW"]}


@pytest.mark.django_db
def test_staff_is_scoped_and_masked(client, org, other_center):
    approver = org.user("scjg-approver")
    approver.phone = "13812345678"
    approver.save()
    response = client.get("/api/v1/staff", **auth(org.user("scjg-reviewer")))
    assert response.status_code == 200
    rows = {r["username"]: r for r in response.json()}
    assert set(rows) == {"scjg-reviewer", "scjg-approver", "scjg-chief"}
    assert rows["scjg-approver"]["phone"] == "138****5678"
    assert "13812345678" not in response.content.decode()
    assert set(rows["scjg-approver"]["posts"]) == {"approve", "decide", "certify"}
    assert rows["scjg-approver"]["roles"] == ["approver"]
    assert rows["scjg-approver"]["department_code"] == "SCJG"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?department=SW",
        "?department=sw",
        "?department=",
        "?department=SCJG&department=SW",
        "?center=OTHER",
        "?scope=center",
    ],
)
def test_crafted_parameters_never_widen_the_scope(client, org, other_center, query):
    response = client.get(f"/api/v1/staff{query}", **auth(org.user("scjg-reviewer")))
    assert response.status_code == 200
    names = {r["username"] for r in response.json()}
    assert names <= {"scjg-reviewer", "scjg-approver", "scjg-chief"}
    assert not names & {"sw-reviewer", "other-reviewer", "supervisor"}


@pytest.mark.django_db
def test_center_scope_can_narrow_to_a_department(client, org, other_center):
    rows = client.get("/api/v1/staff?department=SW", **auth(org.user("supervisor"))).json()
    assert {r["username"] for r in rows} == {"sw-reviewer", "sw-approver", "sw-chief"}
    everyone = {r["username"] for r in client.get("/api/v1/staff", **auth(org.user("supervisor"))).json()}
    assert "other-reviewer" not in everyone and "clerk" in everyone


@pytest.mark.django_db
def test_an_account_without_a_center_sees_no_staff(client, org):
    floating = make_user("floating", center=None, data_scope=User.Scope.CENTER)
    assert client.get("/api/v1/staff", **auth(floating)).json() == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/staff"])
def test_token_required(client, org, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
