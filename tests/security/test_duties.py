"""Issue 12 §2: separation of duties (三员分立) that cannot be bypassed.

Every bypass the security review found is tried here through the services, the admin (Django
test client on /admin/... forms), the staff pages and the API; each is refused with a clear
message, nothing is half-written, and refused privileged attempts are in the audit trail.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from onewindow.core import clock
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.org import services
from onewindow.org.checks import rights_only_from_roles
from onewindow.org.models import AdminChangeRequest, User
from onewindow.org.roles import ADMIN_ROLES, BUSINESS_ROLES
from onewindow.org.selectors import role_codes
from tests.factories import PASSWORD, make_user

STRONG = "Window-2026-pass"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def token_header(user):
    _token, raw = services.api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def snapshot(user: User) -> tuple:
    user.refresh_from_db()
    return (
        sorted(role_codes(user)),
        user.is_active,
        user.is_staff,
        user.data_scope,
        user.password,
        user.department_id,
    )


def plain_account(org, username="newcomer"):
    """An account without any role, placed center-wide (a future administrator)."""
    return make_user(username, center=org.center, data_scope=User.Scope.CENTER)


# --- the rules, in the services -----------------------------------------------------------


def test_center_admin_is_a_business_role():
    assert "center_admin" in BUSINESS_ROLES
    assert {"system_admin", "security_admin", "auditor"} == ADMIN_ROLES
    assert not BUSINESS_ROLES & ADMIN_ROLES


@pytest.mark.django_db
@pytest.mark.parametrize("admin_role", sorted(ADMIN_ROLES))
@pytest.mark.parametrize("business_role", ["center_admin", "supervisor", "window_clerk", "approver"])
def test_an_administrator_role_never_goes_with_a_business_role(org, admin_role, business_role):
    with pytest.raises(ValidationFailed) as info:
        services.validate_role_set([admin_role, business_role])
    assert info.value.code == "separation_of_duties"
    assert "三员分立" in info.value.message
    # not even for the operator (actor None)
    admin = org.user(
        {"system_admin": "sysadmin", "security_admin": "secadmin", "auditor": "auditor"}[admin_role]
    )
    with pytest.raises(ValidationFailed):
        services.user_set_roles(user=admin, roles=[admin_role, business_role], actor=None)
    assert role_codes(admin) == {admin_role}


@pytest.mark.django_db
def test_the_security_administrator_cannot_give_themselves_business_roles(org):
    secadmin = org.user("secadmin")
    before = snapshot(secadmin)
    for roles in (["security_admin", "supervisor"], ["security_admin", "center_admin"], ["supervisor"]):
        with pytest.raises((ValidationFailed, PermissionDenied)):
            services.user_set_roles(user=secadmin, roles=roles, actor=secadmin)
        with pytest.raises((ValidationFailed, PermissionDenied)):
            services.user_update(user=secadmin, roles=roles, actor=secadmin)
    assert snapshot(secadmin) == before
    assert not secadmin.has_perm("cases.view_case")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"data_scope": User.Scope.DEPARTMENT},
        {"is_active": False},
        {"roles": ["security_admin"]},  # even re-saving a role set that differs in nothing else
    ],
)
def test_nobody_changes_their_own_rights(org, change):
    for name in ("secadmin",):
        user = org.user(name)
        before = snapshot(user)
        if change.get("roles") == ["security_admin"]:
            # unchanged roles: nothing to refuse, nothing written
            services.user_update(user=user, actor=user, **change)
            assert snapshot(user) == before
            continue
        with pytest.raises(PermissionDenied) as info:
            services.user_update(user=user, actor=user, **change)
        assert info.value.code == "own_account"
        assert snapshot(user) == before


@pytest.mark.django_db
def test_the_security_administrator_grants_business_roles_to_others(org):
    clerk = org.user("clerk")
    services.user_set_roles(user=clerk, roles=["window_clerk", "reviewer"], actor=org.user("secadmin"))
    assert role_codes(clerk) == {"window_clerk", "reviewer"}


@pytest.mark.django_db
def test_administrator_accounts_are_not_changed_directly(org):
    secadmin, auditor, sysadmin = org.user("secadmin"), org.user("auditor"), org.user("sysadmin")
    before = {u.username: snapshot(u) for u in (auditor, sysadmin)}
    entries = AuditEntry.objects.count()
    attempts = [
        lambda: services.user_set_password(user=auditor, password=STRONG, actor=secadmin),
        lambda: services.user_update(user=auditor, is_active=False, actor=secadmin),
        lambda: services.user_update(user=auditor, data_scope=User.Scope.DEPARTMENT, actor=secadmin),
        lambda: services.user_deactivate(user=sysadmin, actor=secadmin),
        lambda: services.user_set_roles(user=sysadmin, roles=[], actor=secadmin),
        lambda: services.user_set_roles(user=org.user("clerk"), roles=["auditor"], actor=secadmin),
        lambda: services.user_create(
            username="auditor2",
            password=STRONG,
            full_name="新审计员",
            center=org.center,
            roles=["auditor"],
            data_scope=User.Scope.CENTER,
            actor=secadmin,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as info:
            attempt()
        assert info.value.code == "two_person_rule"
    assert {u.username: snapshot(u) for u in (auditor, sysadmin)} == before
    assert role_codes(org.user("clerk")) == {"window_clerk"}
    assert not User.objects.filter(username="auditor2").exists()
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_an_administrator_still_changes_their_own_password(org):
    secadmin = org.user("secadmin")
    services.user_set_password(user=secadmin, password=STRONG, actor=secadmin)
    secadmin.refresh_from_db()
    assert secadmin.check_password(STRONG)


# --- the two-person rule ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_role_is_granted_only_after_a_second_administrator_approves(org):
    secadmin, sysadmin = org.user("secadmin"), org.user("sysadmin")
    newcomer = plain_account(org)
    request = services.admin_change_request(
        target=newcomer, actor=secadmin, reason="新任审计管理员", changes={"roles": ["auditor"]}
    )
    assert request.status == AdminChangeRequest.Status.PENDING
    assert role_codes(newcomer) == set()  # nothing yet
    for who, code in ((secadmin, "two_person_rule"), (newcomer, "permission_denied")):
        with pytest.raises(PermissionDenied) as info:
            services.admin_change_approve(change_request=request, actor=who)
        assert info.value.code == code
    assert role_codes(newcomer) == set()
    approved, password = services.admin_change_approve(change_request=request, actor=sysadmin)
    assert password is None and approved.status == AdminChangeRequest.Status.APPROVED
    newcomer.refresh_from_db()
    assert role_codes(newcomer) == {"auditor"} and newcomer.is_staff
    actions = list(
        AuditEntry.objects.filter(object_type="org.adminchangerequest")
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert actions == [("admin_change.request", "secadmin"), ("admin_change.approve", "sysadmin")]
    assert AuditEntry.objects.filter(
        action="user.update", object_id=str(newcomer.pk), actor=sysadmin
    ).exists()


@pytest.mark.django_db
def test_the_target_cannot_approve_a_change_to_their_own_account(org):
    request = services.admin_change_request(
        target=org.user("sysadmin"), actor=org.user("secadmin"), reason="离岗", changes={"is_active": False}
    )
    with pytest.raises(PermissionDenied) as info:
        services.admin_change_approve(change_request=request, actor=org.user("sysadmin"))
    assert info.value.code == "two_person_rule"
    services.admin_change_approve(change_request=request, actor=org.user("auditor"))
    sysadmin = org.user("sysadmin")
    sysadmin.refresh_from_db()
    assert not sysadmin.is_active


@pytest.mark.django_db
def test_the_auditors_password_is_reset_only_through_the_two_person_rule(org):
    secadmin, sysadmin, auditor = org.user("secadmin"), org.user("sysadmin"), org.user("auditor")
    request = services.admin_change_request(
        target=auditor, actor=secadmin, reason="审计员忘记密码", kind=AdminChangeRequest.Kind.PASSWORD_RESET
    )
    assert auditor.check_password(PASSWORD)  # unchanged until approved
    _approved, password = services.admin_change_approve(change_request=request, actor=sysadmin)
    auditor.refresh_from_db()
    assert password and auditor.check_password(password)
    # the requester never saw it: it is stored and logged nowhere
    request.refresh_from_db()
    assert password not in str(request.changes)
    assert not any(password in str(e.before) + str(e.after) for e in AuditEntry.objects.all())


@pytest.mark.django_db
def test_a_request_can_be_rejected_and_nothing_changes(org):
    auditor = org.user("auditor")
    before = snapshot(auditor)
    request = services.admin_change_request(
        target=auditor, actor=org.user("secadmin"), reason="调岗", changes={"is_active": False}
    )
    rejected = services.admin_change_reject(change_request=request, actor=org.user("sysadmin"), note="不同意")
    assert rejected.status == AdminChangeRequest.Status.REJECTED
    assert snapshot(auditor) == before
    with pytest.raises(Exception) as info:
        services.admin_change_approve(change_request=request, actor=org.user("sysadmin"))
    assert getattr(info.value, "code", "") == "request_decided"
    assert AuditEntry.objects.filter(action="admin_change.reject", actor=org.user("sysadmin")).exists()


@pytest.mark.django_db
def test_requests_expire(org, settings):
    settings.ADMIN_CHANGE_REQUEST_DAYS = 2
    auditor = org.user("auditor")
    request = services.admin_change_request(
        target=auditor, actor=org.user("secadmin"), reason="调岗", changes={"is_active": False}
    )
    assert request.expires_at - request.requested_at == dt.timedelta(days=2)
    with clock.frozen_at(request.expires_at + dt.timedelta(minutes=1)):
        with pytest.raises(ValidationFailed) as info:
            services.admin_change_approve(change_request=request, actor=org.user("sysadmin"))
        assert info.value.code == "request_expired"
        assert services.admin_change_requests_expire() == 1
    request.refresh_from_db()
    assert request.status == AdminChangeRequest.Status.EXPIRED
    auditor.refresh_from_db()
    assert auditor.is_active
    assert AuditEntry.objects.filter(action="admin_change.expire", object_id=str(request.pk)).exists()


@pytest.mark.django_db
def test_a_request_that_could_never_apply_is_refused_at_once(org):
    secadmin = org.user("secadmin")
    with pytest.raises(ValidationFailed) as info:
        services.admin_change_request(
            target=org.user("auditor"),
            actor=secadmin,
            reason="兼任",
            changes={"roles": ["auditor", "supervisor"]},
        )
    assert info.value.code == "separation_of_duties"
    with pytest.raises(ValidationFailed) as info:
        services.admin_change_request(
            target=org.user("clerk"), actor=secadmin, reason="无关", changes={"roles": ["reviewer"]}
        )
    assert info.value.code == "not_admin_account"
    with pytest.raises(PermissionDenied):
        services.admin_change_request(
            target=org.user("auditor"),
            actor=org.user("supervisor"),
            reason="越权",
            changes={"is_active": False},
        )
    with pytest.raises(PermissionDenied) as info:
        services.admin_change_request(
            target=secadmin, actor=secadmin, reason="自己", changes={"data_scope": User.Scope.DEPARTMENT}
        )
    assert info.value.code == "own_account"
    assert not AdminChangeRequest.objects.exists()


# --- the admin -----------------------------------------------------------------------------


def change_form(user: User, **overrides):
    data = {
        "full_name": user.full_name,
        "phone": user.phone,
        "center": user.center_id or "",
        "department": user.department_id or "",
        "window": user.window_id or "",
        "posts": list(user.posts.values_list("id", flat=True)),
        "roles": sorted(role_codes(user)),
        "data_scope": user.data_scope,
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_admin_refuses_changes_to_ones_own_rights(client, org):
    secadmin = org.user("secadmin")
    login(client, secadmin)
    before = snapshot(secadmin)
    url = reverse("admin:org_user_change", args=[secadmin.pk])
    for overrides in (
        {"roles": ["security_admin", "supervisor", "center_admin"]},
        {"roles": ["supervisor"]},
        {"data_scope": "department", "department": org.dept_a.pk},
        {"is_active": None},
    ):
        response = client.post(url, change_form(secadmin, **overrides))
        assert response.status_code == 200, overrides
        html = response.content.decode()
        assert "errorlist" in html and "三员分立" in html, overrides
    assert snapshot(secadmin) == before
    assert AuditEntry.objects.filter(
        action="duties.refused", actor=secadmin, object_id=str(secadmin.pk)
    ).exists()


@pytest.mark.django_db
def test_admin_refuses_to_create_an_auditor(client, org):
    login(client, org.user("secadmin"))
    response = client.post(
        reverse("admin:org_user_add"),
        {
            "username": "auditor2",
            "password1": STRONG,
            "password2": STRONG,
            "full_name": "新审计员",
            "phone": "",
            "center": org.center.pk,
            "department": "",
            "window": "",
            "roles": ["auditor"],
            "data_scope": "center",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "create_admins" in html
    assert not User.objects.filter(username="auditor2").exists()
    assert AuditEntry.objects.filter(action="duties.refused", actor=org.user("secadmin")).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["auditor", "sysadmin"])
def test_admin_refuses_to_reset_another_administrators_password(client, org, target):
    user = org.user(target)
    before = snapshot(user)
    login(client, org.user("secadmin"))
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = client.post(url, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert snapshot(user) == before
    assert not client.login(username=target, password=STRONG)  # cannot sign in as them
    assert AuditEntry.objects.filter(
        action="duties.refused", actor=org.user("secadmin"), object_id=str(user.pk)
    ).exists()


@pytest.mark.django_db
def test_admin_still_resets_a_business_accounts_password(client, org):
    login(client, org.user("secadmin"))
    clerk = org.user("clerk")
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    assert client.post(url, {"password1": STRONG, "password2": STRONG}).status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(STRONG)
    assert AuditEntry.objects.filter(
        action="user.set_password", object_id=str(clerk.pk), actor=org.user("secadmin")
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["secadmin", "sysadmin", "centeradmin", "auditor"])
def test_nobody_edits_the_role_groups_in_the_admin(client, org, username):
    login(client, org.user(username))
    security = Group.objects.get(name="security_admin")
    audit_perm = Permission.objects.get(content_type__app_label="core", codename="view_auditentry")
    response = client.post(
        reverse("admin:auth_group_change", args=[security.pk]),
        {"name": "security_admin", "permissions": [audit_perm.pk]},
    )
    assert response.status_code == 403
    assert (
        client.post(
            reverse("admin:auth_group_add"), {"name": "x", "permissions": [audit_perm.pk]}
        ).status_code
        == 403
    )
    assert not security.permissions.filter(pk=audit_perm.pk).exists()
    assert not Group.objects.filter(name="x").exists()
    assert not org.user("secadmin").has_perm("core.view_auditentry")


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["secadmin", "sysadmin", "centeradmin"])
def test_only_the_auditor_reads_the_audit_trail_in_the_admin(client, org, username):
    login(client, org.user(username))
    entry = AuditEntry.objects.create(at=clock.now(), action="probe", actor=org.user("secadmin"))
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 403
    assert client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).status_code == 403
    assert (
        client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert "core/auditentry" not in client.get(reverse("admin:index")).content.decode()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_the_auditor_reads_every_administrators_entries_but_changes_none(client, org):
    services.user_set_roles(user=org.user("clerk"), roles=["reviewer"], actor=org.user("secadmin"))
    services.center_save(
        center=org.center,
        code=org.center.code,
        name="改名的中心",
        level=org.center.level,
        parent=None,
        address="",
        phone="",
        opening_hours="",
        actor=org.user("sysadmin"),
    )
    login(client, org.user("auditor"))
    html = client.get(reverse("admin:core_auditentry_changelist")).content.decode()
    assert "secadmin" in html and "sysadmin" in html
    entry = AuditEntry.objects.filter(actor=org.user("secadmin"), action="user.set_roles").first()
    assert client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).status_code == 200
    response = client.post(reverse("admin:core_auditentry_change", args=[entry.pk]), {"action": "edited"})
    assert response.status_code == 403
    assert (
        client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.action == "user.set_roles"


@pytest.mark.django_db
def test_the_two_person_rule_in_the_admin(client, org):
    auditor = org.user("auditor")
    login(client, org.user("secadmin"))
    response = client.post(
        reverse("admin:org_adminchangerequest_add"),
        {
            "target": auditor.pk,
            "kind": "password_reset",
            "reason": "审计员忘记密码",
            "data_scope": "",
            "is_active": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request = AdminChangeRequest.objects.get()
    changelist = reverse("admin:org_adminchangerequest_changelist")
    assert "审计员忘记密码" in client.get(changelist).content.decode()
    # the requester's own approval is refused
    response = client.post(changelist, {"action": "approve", "_selected_action": [request.pk]}, follow=True)
    assert "two-person" in response.content.decode() or "另一" in response.content.decode()
    request.refresh_from_db()
    assert request.status == AdminChangeRequest.Status.PENDING
    assert auditor.check_password(PASSWORD)
    # another administrator approves: the one-time password is shown to them only
    client.logout()
    login(client, org.user("sysadmin"))
    response = client.post(changelist, {"action": "approve", "_selected_action": [request.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    request.refresh_from_db()
    assert request.status == AdminChangeRequest.Status.APPROVED
    auditor.refresh_from_db()
    password = next(
        word for word in html.replace("<", " <").replace(">", "> ").split() if auditor.check_password(word)
    )
    assert password


@pytest.mark.django_db
def test_the_admin_request_form_says_what_to_fix(client, org):
    login(client, org.user("secadmin"))
    response = client.post(
        reverse("admin:org_adminchangerequest_add"),
        {"target": org.user("auditor").pk, "kind": "update", "reason": "", "data_scope": "", "is_active": ""},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not AdminChangeRequest.objects.exists()


@pytest.mark.django_db
def test_business_staff_cannot_open_the_requests(client, org):
    login(client, org.user("centeradmin"))
    assert client.get(reverse("admin:org_adminchangerequest_changelist")).status_code == 403
    assert client.get(reverse("admin:org_adminchangerequest_add")).status_code == 403


# --- staff pages and API ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["secadmin", "sysadmin", "auditor"])
def test_administrators_do_not_reach_case_pages(client, org, username):
    login(client, org.user(username))
    assert client.get(reverse("web:cases")).status_code == 403
    home = client.get(reverse("web:home")).content.decode()
    if username != "auditor":
        assert reverse("admin:core_auditentry_changelist") not in home


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["secadmin", "sysadmin", "auditor"])
def test_administrators_get_no_case_data_from_the_api(client, org, username):
    headers = token_header(org.user(username))
    response = client.get("/api/v1/cases", **headers)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    me = client.get("/api/v1/me", **headers).json()
    assert ("core.view_auditentry" in me["permissions"]) == (username == "auditor")
    assert not {"cases.view_case", "supervision.supervise"} & set(me["permissions"])


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["clerk", "supervisor", "centeradmin", "sysadmin", "auditor"])
def test_the_staff_list_api_is_for_account_managers_only(client, org, username):
    response = client.get("/api/v1/staff", **token_header(org.user(username)))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied" and body["message"]
    assert client.get("/api/v1/staff", **token_header(org.user("secadmin"))).status_code == 200


# --- rights only from roles -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_right_given_outside_the_roles_is_reported(org):
    assert rights_only_from_roles() == []
    audit_perm = Permission.objects.get(content_type__app_label="core", codename="view_auditentry")
    Group.objects.get(name="security_admin").permissions.add(audit_perm)
    org.user("sysadmin").user_permissions.add(audit_perm)
    errors = rights_only_from_roles()
    assert [e.id for e in errors] == ["org.E002"]
    assert "core.view_auditentry" in errors[0].msg and "sysadmin" in errors[0].msg
    assert "sync_roles" in errors[0].hint
    services.org_sync_roles()
    org.user("sysadmin").user_permissions.clear()
    assert rights_only_from_roles() == []


@pytest.mark.django_db
def test_the_hourly_job_expires_old_requests(org):
    from onewindow.org.tasks import expire_admin_change_requests

    request = services.admin_change_request(
        target=org.user("auditor"), actor=org.user("secadmin"), reason="调岗", changes={"is_active": False}
    )
    assert expire_admin_change_requests.call_local() == 0
    with clock.frozen_at(request.expires_at):
        assert expire_admin_change_requests.call_local() == 1
    request.refresh_from_db()
    assert request.status == AdminChangeRequest.Status.EXPIRED
