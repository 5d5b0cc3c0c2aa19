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
def test_staff_list_is_for_the_security_administrator_masked(client, org, other_center):
    approver = org.user("scjg-approver")
    approver.phone = "13812345678"
    approver.save()
    response = client.get("/api/v1/staff", **auth(org.user("secadmin")))
    assert response.status_code == 200
    rows = {r["username"]: r for r in response.json()}
    # the centers the security administrator manages: its own and the one below it
    assert {"scjg-reviewer", "scjg-approver", "sw-chief", "clerk", "other-reviewer"} <= set(rows)
    assert rows["scjg-approver"]["phone"] == "138****5678"
    assert "13812345678" not in response.content.decode()
    assert set(rows["scjg-approver"]["posts"]) == {"approve", "decide", "certify"}
    assert rows["scjg-approver"]["roles"] == ["approver"]
    assert rows["scjg-approver"]["department_code"] == "SCJG"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username", ["scjg-reviewer", "clerk", "supervisor", "centeradmin", "sysadmin", "auditor"]
)
def test_staff_list_is_refused_to_those_who_do_not_manage_accounts(client, org, username):
    response = client.get("/api/v1/staff", **auth(org.user(username)))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert "安全管理员" in body["message"]  # zh-hans by default


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?department=SW",
        "?department=sw",
        "?department=SCJG&department=SW",
        "?center=OTHER",
        "?scope=all",
    ],
)
def test_crafted_parameters_never_widen_the_list(client, org, other_center, query):
    lower = make_user("lower-secadmin", center=other_center, roles=("security_admin",))
    response = client.get(f"/api/v1/staff{query}", **auth(lower))
    assert response.status_code == 200
    names = {r["username"] for r in response.json()}
    assert names <= {"other-reviewer", "lower-secadmin"}


@pytest.mark.django_db
def test_the_staff_list_narrows_to_a_department(client, org, other_center):
    rows = client.get("/api/v1/staff?department=SW", **auth(org.user("secadmin"))).json()
    assert {r["username"] for r in rows} == {"sw-reviewer", "sw-approver", "sw-chief"}


@pytest.mark.django_db
def test_a_deployment_level_security_administrator_lists_every_center(client, org, other_center):
    floating = make_user("floating", center=None, roles=("security_admin",), data_scope=User.Scope.CENTER)
    names = {r["username"] for r in client.get("/api/v1/staff", **auth(floating)).json()}
    assert {"clerk", "other-reviewer", "floating"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/staff"])
def test_token_required(client, org, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
