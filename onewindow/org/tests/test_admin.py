from __future__ import annotations

import pytest
from django.urls import reverse

from onewindow.core.models import AuditEntry
from onewindow.org.models import Department, User, Window
from onewindow.org.selectors import role_codes
from tests.factories import PASSWORD

STRONG = "Window-2026-pass"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def as_secadmin(client, org):
    user = org.user("secadmin")
    user.is_staff = True  # what user_create / user_set_roles set for this role
    user.save()
    return login(client, user)


@pytest.fixture
def as_centeradmin(client, org):
    user = org.user("centeradmin")
    user.is_staff = True
    user.save()
    return login(client, user)


def user_form(org, **overrides):
    data = {
        "username": "wang",
        "password1": STRONG,
        "password2": STRONG,
        "full_name": "王小明",
        "phone": "13812345678",
        "center": org.center.pk,
        "department": org.dept_a.pk,
        "window": org.window_a.pk,
        "posts": [org.posts["accept"].pk],
        "roles": ["window_clerk"],
        "data_scope": "department",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_non_admin_staff_get_a_clear_403(client, org):
    login(client, org.user("clerk"))
    for url in ("/admin/", reverse("admin:org_user_changelist"), reverse("admin:login")):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "clerk" in response.content.decode()
    assert "staff" in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_get_the_login_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_add_user_goes_through_the_service(as_secadmin, org):
    response = as_secadmin.post(reverse("admin:org_user_add"), user_form(org))
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="wang")
    assert user.check_password(STRONG)
    assert role_codes(user) == {"window_clerk"}
    assert not user.is_staff and not user.is_superuser
    assert AuditEntry.objects.filter(
        action="user.create", object_id=str(user.pk), actor=org.user("secadmin")
    ).exists()


@pytest.mark.django_db
def test_add_user_with_two_exclusive_roles_says_why(as_secadmin, org):
    response = as_secadmin.post(
        reverse("admin:org_user_add"),
        user_form(
            org, roles=["system_admin", "security_admin"], data_scope="center", department="", window=""
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "三员分立" in html
    assert not User.objects.filter(username="wang").exists()
    assert not AuditEntry.objects.filter(action="user.create").exists()


@pytest.mark.django_db
def test_add_user_with_a_weak_password_says_why(as_secadmin, org):
    response = as_secadmin.post(
        reverse("admin:org_user_add"), user_form(org, password1="12345678", password2="12345678")
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not User.objects.filter(username="wang").exists()


@pytest.mark.django_db
def test_user_form_exposes_no_superuser_or_staff_checkbox(as_secadmin, org):
    clerk = org.user("clerk")
    html = as_secadmin.get(reverse("admin:org_user_change", args=[clerk.pk])).content.decode()
    assert 'name="is_active"' in html
    assert 'name="is_superuser"' not in html
    assert 'name="is_staff"' not in html
    assert 'name="user_permissions"' not in html
    assert 'name="groups"' not in html
    assert 'name="roles"' in html
    add_html = as_secadmin.get(reverse("admin:org_user_add")).content.decode()
    assert 'name="is_superuser"' not in add_html and 'name="is_staff"' not in add_html


@pytest.mark.django_db
def test_change_user_roles_sets_the_staff_flag_and_deactivates(as_secadmin, org):
    clerk = org.user("clerk")
    data = {
        "full_name": "窗口人员",
        "phone": "",
        "center": org.center.pk,
        "department": "",
        "window": org.general_window.pk,
        "posts": [org.posts["accept"].pk],
        "roles": ["window_clerk", "center_admin"],
        "data_scope": "center",
        "is_active": "on",
    }
    response = as_secadmin.post(reverse("admin:org_user_change", args=[clerk.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    clerk.refresh_from_db()
    assert clerk.is_staff and role_codes(clerk) == {"window_clerk", "center_admin"}
    data.pop("is_active")
    as_secadmin.post(reverse("admin:org_user_change", args=[clerk.pk]), data)
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert AuditEntry.objects.filter(action="user.deactivate", object_id=str(clerk.pk)).exists()


@pytest.mark.django_db
def test_password_change_in_admin_is_validated_and_audited(as_secadmin, org):
    clerk = org.user("clerk")
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    response = as_secadmin.post(url, {"password1": "short", "password2": "short"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = as_secadmin.post(url, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(STRONG)
    assert AuditEntry.objects.filter(action="user.set_password", object_id=str(clerk.pk)).exists()


@pytest.mark.django_db
def test_user_list_masks_phones(as_secadmin, org):
    clerk = org.user("clerk")
    clerk.phone = "13812345678"
    clerk.save()
    html = as_secadmin.get(reverse("admin:org_user_changelist")).content.decode()
    assert "138****5678" in html and "13812345678" not in html


@pytest.mark.django_db
def test_department_admin_saves_through_the_service(as_centeradmin, org):
    response = as_centeradmin.post(
        reverse("admin:org_department_add"),
        {
            "center": org.center.pk,
            "code": "gt",
            "name": "自然资源局",
            "short_name": "",
            "phone": "",
            "position": 3,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    dept = Department.objects.get(center=org.center, code="GT")
    assert AuditEntry.objects.filter(action="department.create", object_id=str(dept.pk)).exists()
    response = as_centeradmin.post(
        reverse("admin:org_department_add"),
        {"center": org.center.pk, "code": "bad code", "name": "x", "position": 0, "active": "on"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert Department.objects.filter(center=org.center).count() == 3


@pytest.mark.django_db
def test_window_admin_refuses_a_duplicate_code(as_centeradmin, org):
    response = as_centeradmin.post(
        reverse("admin:org_window_add"),
        {
            "center": org.center.pk,
            "code": "A01",
            "name": "重复",
            "department": "",
            "floor": "",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert not Window.objects.filter(name="重复").exists()


@pytest.mark.django_db
def test_nothing_is_deleted_in_the_admin(as_centeradmin, org):
    response = as_centeradmin.get(reverse("admin:org_department_delete", args=[org.dept_a.pk]))
    assert response.status_code == 403


@pytest.mark.django_db
def test_center_admin_cannot_manage_accounts(as_centeradmin):
    assert as_centeradmin.get(reverse("admin:org_user_add")).status_code == 403
