from __future__ import annotations

import pytest
from django.utils import translation

from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.org import services
from onewindow.org.models import ApiToken, Center, Department, Post, User, Window
from onewindow.org.selectors import role_codes

GOOD_PASSWORD = "Window-2026-pass"


def audit_of(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# --- centers ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_center_create_normalises_the_code_and_is_audited(org):
    sysadmin = org.user("sysadmin")
    child = services.center_save(
        code=" qx01 ", name="区政务服务中心", level="county", parent=org.center, actor=sysadmin
    )
    assert child.code == "QX01"
    assert child.parent == org.center
    [entry] = audit_of("center.create")
    assert entry.actor == sysadmin and entry.after["code"] == "QX01" and entry.before is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "required"),
        ("QX-1", "upper-case letters and digits"),
        ("ABCDEFGHIJKLM", "At most"),
        ("DEMO", "already"),
    ],
)
def test_center_code_rules(org, code, fragment):
    with pytest.raises(ValidationFailed) as info, translation.override("en"):
        services.center_save(
            code=code, name="x", level="county", parent=org.center, actor=org.user("sysadmin")
        )
    assert any(fragment in m for m in info.value.details["code"])
    assert not audit_of("center.create")


@pytest.mark.django_db
def test_center_cannot_sit_under_itself_or_a_descendant(org):
    sysadmin = org.user("sysadmin")
    county = services.center_save(code="QX", name="区", level="county", parent=org.center, actor=sysadmin)
    town = services.center_save(code="ZX", name="镇", level="township", parent=county, actor=sysadmin)
    for parent in (org.center, town):
        with pytest.raises(ValidationFailed) as info:
            services.center_save(
                center=org.center, code="DEMO", name=org.center.name, level="city", parent=parent, actor=None
            )
        assert "parent" in info.value.details
    org.center.refresh_from_db()
    assert org.center.parent is None


@pytest.mark.django_db
def test_center_code_is_fixed_once_created(org):
    with pytest.raises(ValidationFailed) as info, translation.override("en"):
        services.center_save(center=org.center, code="NEW", name="x", level="city", actor=None)
    assert "case number" in info.value.details["code"][0]
    with pytest.raises(ValidationFailed) as info:
        services.center_save(center=org.center, code="NEW", name="x", level="city", actor=None)
    assert "办件编号" in info.value.details["code"][0]  # the default language is Chinese


@pytest.mark.django_db
def test_center_update_records_before_and_after(org):
    services.center_save(
        center=org.center,
        code="DEMO",
        name="新名称",
        level="city",
        opening_hours="9:00-17:00",
        actor=org.user("centeradmin"),
    )
    [entry] = audit_of("center.update")
    assert entry.before["name"] == "测试市政务服务中心" and entry.after["name"] == "新名称"


@pytest.mark.django_db
def test_center_permissions_and_reach(org):
    with pytest.raises(PermissionDenied):
        services.center_save(code="QX", name="区", level="county", parent=org.center, actor=org.user("clerk"))
    other = Center.objects.create(code="OTHER", name="他市", level="city")
    with pytest.raises(PermissionDenied):  # outside the actor's center tree
        services.center_save(center=other, code="OTHER", name="改", level="city", actor=org.user("sysadmin"))
    with pytest.raises(PermissionDenied):  # a top-level center needs a deployment-level account
        services.center_save(code="TOP", name="省", level="province", actor=org.user("sysadmin"))
    deployment_admin = org.user("sysadmin")
    deployment_admin.center = None
    top = services.center_save(code="TOP", name="省", level="province", actor=deployment_admin)
    assert top.parent is None


# --- departments, windows, posts ----------------------------------------------------------------


@pytest.mark.django_db
def test_department_rules(org):
    admin = org.user("centeradmin")
    dept = services.department_save(center=org.center, code="gt", name="自然资源局", actor=admin)
    assert dept.code == "GT"
    with pytest.raises(ValidationFailed) as info:
        services.department_save(center=org.center, code="SCJG", name="重复", actor=admin)
    assert "code" in info.value.details
    other = Center.objects.create(code="OTHER", name="他市", level="city")
    same_code_elsewhere = services.department_save(center=other, code="SCJG", name="他市市场监管", actor=None)
    assert same_code_elsewhere.code == "SCJG"
    with pytest.raises(ValidationFailed) as info:
        services.department_save(department=dept, center=other, code="GT", name="x", actor=None)
    assert "center" in info.value.details
    with pytest.raises(PermissionDenied):
        services.department_save(center=org.center, code="X1", name="x", actor=org.user("scjg-reviewer"))
    with pytest.raises(PermissionDenied):
        services.department_save(center=other, code="X1", name="x", actor=admin)
    services.department_save(
        department=dept, center=org.center, code="GT", name="自然资源和规划局", active=False, actor=admin
    )
    dept.refresh_from_db()
    assert dept.name == "自然资源和规划局" and not dept.active
    assert [e.action for e in AuditEntry.objects.filter(object_type="org.department").order_by("id")] == [
        "department.create",
        "department.create",
        "department.update",
    ]


@pytest.mark.django_db
def test_window_department_must_be_of_the_same_center(org):
    admin = org.user("centeradmin")
    other = Center.objects.create(code="OTHER", name="他市", level="city")
    foreign = Department.objects.create(center=other, code="GT", name="他市国土")
    with pytest.raises(ValidationFailed) as info:
        services.window_save(center=org.center, code="B01", name="窗口", department=foreign, actor=admin)
    assert "department" in info.value.details
    general = services.window_save(center=org.center, code="z02", name="综合窗口2", actor=admin)
    assert general.is_general and general.code == "Z02"
    with pytest.raises(ValidationFailed):
        services.window_save(center=org.center, code="A01", name="重复", actor=admin)
    assert not Window.objects.filter(name="重复").exists()


@pytest.mark.django_db
def test_post_rules(org):
    admin = org.user("centeradmin")
    post = services.post_save(code="inspect", name="勘验岗", position=7, actor=admin)
    assert post.code == "inspect"
    with pytest.raises(ValidationFailed):
        services.post_save(code="accept", name="重复", actor=admin)
    with pytest.raises(ValidationFailed):
        services.post_save(code="9bad code", name="x", actor=admin)
    with pytest.raises(PermissionDenied):
        services.post_save(code="other", name="x", actor=org.user("clerk"))
    assert Post.objects.filter(code="inspect").exists()


# --- accounts -------------------------------------------------------------------------------------


def create(org, **overrides):
    params = {
        "username": "newclerk",
        "password": GOOD_PASSWORD,
        "full_name": "王小明",
        "center": org.center,
        "department": org.dept_a,
        "window": org.window_a,
        "posts": [org.posts["accept"]],
        "roles": ["window_clerk"],
        "phone": "13812345678",
        "actor": org.user("secadmin"),
    }
    params.update(overrides)
    return services.user_create(**params)


@pytest.mark.django_db
def test_user_create(org):
    user = create(org)
    assert user.check_password(GOOD_PASSWORD)
    assert role_codes(user) == {"window_clerk"}
    assert not user.is_staff and not user.is_superuser
    assert list(user.posts.all()) == [org.posts["accept"]]
    [entry] = audit_of("user.create")
    assert entry.actor == org.user("secadmin")
    assert entry.after["phone"] == "138****5678"
    assert "password" not in entry.after
    assert GOOD_PASSWORD not in str(entry.after) and user.password not in str(entry.after)


@pytest.mark.django_db
def test_admin_roles_get_the_staff_flag(org):
    user = create(
        org,
        username="admin2",
        roles=["center_admin"],
        data_scope=User.Scope.CENTER,
        department=None,
        window=None,
    )
    assert user.is_staff
    services.user_set_roles(user=user, roles=["supervisor"], actor=org.user("secadmin"))
    user.refresh_from_db()
    assert not user.is_staff
    services.user_set_roles(user=user, roles=["auditor"], actor=None)  # the operator (三员分立)
    user.refresh_from_db()
    assert user.is_staff


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "123"}, "password"),
        ({"password": "password"}, "password"),
        ({"password": "newclerk1"}, "password"),  # too similar to the username
        ({"username": "clerk"}, "username"),
        ({"username": "CLERK"}, "username"),
        ({"username": "has space"}, "username"),
        ({"full_name": " "}, "full_name"),
        ({"phone": "call me"}, "phone"),
        ({"window": None, "department": None}, "data_scope"),
        ({"data_scope": "departments", "department": None, "window": None}, "scope_departments"),
    ],
)
def test_user_create_validation(org, overrides, field):
    with pytest.raises(ValidationFailed) as info:
        create(org, **overrides)
    assert field in info.value.details, info.value.details
    assert all(isinstance(m, str) and m for m in info.value.details[field])
    assert (
        not User.objects.filter(username=overrides.get("username", "newclerk"))
        .exclude(username="clerk")
        .exists()
    )


@pytest.mark.django_db
def test_user_create_placement_must_be_consistent(org):
    other = Center.objects.create(code="OTHER", name="他市", level="city")
    foreign_dept = Department.objects.create(center=other, code="GT", name="他市国土")
    with pytest.raises(ValidationFailed) as info:
        create(org, department=foreign_dept, window=None)
    assert "department" in info.value.details
    with pytest.raises(ValidationFailed) as info:  # a window of another department
        create(org, department=org.dept_b, window=org.window_a)
    assert "window" in info.value.details
    with pytest.raises(ValidationFailed) as info:
        create(org, data_scope="departments", scope_departments=[foreign_dept])
    assert "scope_departments" in info.value.details


@pytest.mark.django_db
def test_separation_of_duties_on_create_and_set_roles(org):
    with pytest.raises(ValidationFailed) as info:
        create(org, username="boss", roles=["system_admin", "auditor"], data_scope="center")
    assert info.value.code == "separation_of_duties"
    assert "三员分立" in info.value.message
    assert not User.objects.filter(username="boss").exists()
    with pytest.raises(ValidationFailed):
        services.user_set_roles(
            user=org.user("auditor"), roles=["auditor", "security_admin"], actor=org.user("secadmin")
        )
    assert role_codes(org.user("auditor")) == {"auditor"}
    with pytest.raises(ValidationFailed) as info:
        create(org, roles=["no_such_role"])
    assert "roles" in info.value.details


@pytest.mark.django_db
def test_only_a_security_administrator_manages_accounts(org):
    for name in ("clerk", "sysadmin", "auditor", "centeradmin"):
        with pytest.raises(PermissionDenied):
            create(org, actor=org.user(name))
        with pytest.raises(PermissionDenied):
            services.user_set_roles(user=org.user("clerk"), roles=["reviewer"], actor=org.user(name))
        with pytest.raises(PermissionDenied):
            services.user_deactivate(user=org.user("clerk"), actor=org.user(name))
    assert role_codes(org.user("clerk")) == {"window_clerk"}


@pytest.mark.django_db
def test_superusers_are_refused(org):
    root = User.objects.create_superuser("root", password="x-very-long-password")
    with pytest.raises(ValidationFailed):
        services.user_set_roles(user=root, roles=["reviewer"], actor=None)
    with pytest.raises(ValidationFailed):
        services.user_update(user=root, full_name="x", actor=None)


@pytest.mark.django_db
def test_user_update_changes_only_what_is_given(org):
    user = create(org)
    services.user_update(user=user, full_name="王大明", actor=org.user("secadmin"))
    user.refresh_from_db()
    assert user.full_name == "王大明"
    assert user.department == org.dept_a and role_codes(user) == {"window_clerk"}
    assert list(user.posts.all()) == [org.posts["accept"]]
    [entry] = audit_of("user.update")
    assert entry.before["full_name"] == "王小明" and entry.after["full_name"] == "王大明"
    services.user_update(user=user, full_name="王大明", actor=org.user("secadmin"))
    assert len(audit_of("user.update")) == 1  # nothing changed: nothing recorded


@pytest.mark.django_db
def test_user_update_roles_and_scope(org):
    user = create(org)
    services.user_update(
        user=user,
        roles=["reviewer", "center_admin"],
        data_scope="departments",
        scope_departments=[org.dept_b],
        actor=org.user("secadmin"),
    )
    user.refresh_from_db()
    assert role_codes(user) == {"reviewer", "center_admin"}
    assert user.is_staff
    assert list(user.scope_departments.all()) == [org.dept_b]
    with pytest.raises(ValidationFailed):
        services.user_update(
            user=user, window=org.general_window, department=org.dept_b, center=None, actor=None
        )
    user.refresh_from_db()
    assert user.center == org.center


@pytest.mark.django_db
def test_deactivation_revokes_tokens_and_is_audited(org):
    user = create(org)
    token, _raw = services.api_token_issue(user=user)
    services.user_update(user=user, is_active=False, actor=org.user("secadmin"))
    user.refresh_from_db()
    token.refresh_from_db()
    assert not user.is_active and token.revoked
    [entry] = audit_of("user.deactivate")
    assert entry.after["tokens_revoked"] == 1
    services.user_update(user=user, is_active=True, actor=org.user("secadmin"))
    user.refresh_from_db()
    assert user.is_active
    assert ApiToken.objects.get(pk=token.pk).revoked  # old tokens stay revoked


@pytest.mark.django_db
def test_nobody_deactivates_their_own_account(org):
    secadmin = org.user("secadmin")
    with pytest.raises(ValidationFailed):
        services.user_deactivate(user=secadmin, actor=secadmin)
    with pytest.raises(PermissionDenied) as info:
        services.user_update(user=secadmin, is_active=False, actor=secadmin)
    assert info.value.code == "own_account"
    secadmin.refresh_from_db()
    assert secadmin.is_active


@pytest.mark.django_db
def test_set_password(org):
    user = create(org)
    with pytest.raises(ValidationFailed) as info:
        services.user_set_password(user=user, password="short", actor=org.user("secadmin"))
    assert "password" in info.value.details
    services.user_set_password(user=user, password="Another-pass-2026", actor=org.user("secadmin"))
    user.refresh_from_db()
    assert user.check_password("Another-pass-2026")
    [entry] = audit_of("user.set_password")
    assert entry.before is None and entry.after == {"must_change": True}  # never the password or hash
    with pytest.raises(PermissionDenied):
        services.user_set_password(user=user, password="Third-pass-2026", actor=org.user("clerk"))
