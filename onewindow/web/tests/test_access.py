"""Sign-in, sign-out, the navigation built from permissions, and 403 pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from onewindow.org.roles import ROLE_BY_CODE
from onewindow.web import navigation
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def nav_keys(response) -> list[str]:
    return [link.key for link in navigation.nav_for(response.wsgi_request.user)]


def test_staff_pages_need_login(client, org):
    for name in ("web:home", "web:catalog", "web:calendar", "web:calendar_due_date"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login") + "?next=")


def test_login_page_renders_in_chinese(client, db):
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "工作人员登录" in body
    assert 'lang="zh-hans"' in body


def test_login_then_home_shows_name_center_department(client, org):
    user = org.user("scjg-reviewer")
    user.full_name = "李审查"
    user.save()
    response = client.post(
        reverse("web:login"), {"username": "scjg-reviewer", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("web:home")
    body = response.content.decode()
    assert "李审查" in body
    assert org.center.name in body
    assert org.dept_a.name in body
    with translation.override("zh-hans"):
        assert str(ROLE_BY_CODE["reviewer"].name) in body  # the role's display name in the welcome


def test_failed_login_shows_a_clear_message(client, org):
    response = client.post(reverse("web:login"), {"username": "clerk", "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="login-error"' in body
    assert "请输入一个正确的" in body  # Django's own translated message: wrong username or password
    assert "_auth_user_id" not in client.session


def test_login_locks_the_account_after_too_many_failures(client, org):
    for _ in range(settings.LOCKOUT_FAILURES - 1):
        response = client.post(reverse("web:login"), {"username": "clerk", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("web:login"), {"username": "clerk", "password": "wrong"})
    assert response.status_code == 423
    # the right password is refused too while the lock holds: it is not even checked
    response = client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 423
    body = response.content.decode()
    assert "已锁定" in body and "安全管理员" in body
    assert "_auth_user_id" not in client.session
    # another account from the same address is not affected
    response = client.post(reverse("web:login"), {"username": "supervisor", "password": PASSWORD})
    assert response.status_code == 302


def test_successful_login_resets_the_count(client, org):
    for _ in range(settings.LOCKOUT_FAILURES - 1):
        client.post(reverse("web:login"), {"username": "clerk", "password": "wrong"})
    assert client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD}).status_code == 302
    client.post(reverse("web:logout"))
    for _ in range(settings.LOCKOUT_FAILURES - 1):
        client.post(reverse("web:login"), {"username": "clerk", "password": "wrong"})
    assert client.post(reverse("web:login"), {"username": "clerk", "password": PASSWORD}).status_code == 302


def test_logout(client, org):
    client.force_login(org.user("clerk"))
    response = client.post(reverse("web:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:login")
    assert "您已退出登录" in response.content.decode()
    assert client.get(reverse("web:home")).status_code == 302


def test_nav_reviewer_sees_no_admin_or_audit(client, org):
    client.force_login(org.user("scjg-reviewer"))
    response = client.get(reverse("web:home"))
    keys = nav_keys(response)
    assert keys[:2] == ["home", "catalog"]
    assert not {"calendar", "admin", "audit"} & set(keys)
    body = response.content.decode()
    assert 'data-nav="catalog"' in body
    assert 'data-nav="admin"' not in body
    assert 'data-nav="audit"' not in body
    assert 'data-nav="calendar"' not in body


def test_nav_centeradmin_sees_admin(client, org):
    user = org.user("centeradmin")
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.get(reverse("web:home"))
    keys = nav_keys(response)
    assert keys[:2] == ["home", "catalog"]
    assert "calendar" in keys and "admin" in keys
    assert 'data-nav="admin"' in response.content.decode()
    assert "audit" not in keys  # the audit trail is the auditor's (三员分立)


def test_nav_entries_follow_permissions_not_roles(client, org):
    """The auditor holds only core.view_auditentry: the audit entry shows when the admin URL
    exists; catalog and calendar do not."""
    user = org.user("auditor")
    client.force_login(user)
    response = client.get(reverse("web:home"))
    keys = nav_keys(response)
    assert "catalog" not in keys and "calendar" not in keys
    assert navigation.allowed(navigation.entry("audit"), user)
    try:
        audit_url = reverse("admin:core_auditentry_changelist")
    except NoReverseMatch:  # the audit trail's admin is not registered: the entry is left out
        audit_url = None
    assert ("audit" in keys) == (audit_url is not None)
    if audit_url:
        assert f'href="{audit_url}" data-nav="audit"' in response.content.decode()
    assert not navigation.allowed(navigation.entry("audit"), org.user("centeradmin"))


def test_nav_active_entry_is_marked(client, org):
    client.force_login(org.user("supervisor"))
    response = client.get(reverse("web:calendar"))
    assert 'data-nav="calendar" class="active"' in response.content.decode()


def test_403_page_for_missing_permission(client, org):
    client.force_login(org.user("auditor"))
    for name in ("web:catalog", "web:calendar", "web:calendar_due_date"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        body = response.content.decode()
        assert 'data-testid="forbidden"' in body
        assert "您没有权限访问此页面" in body
    response = client.get(reverse("web:item", args=["X1"]))
    assert response.status_code == 403


def test_clerk_without_calendar_permission_gets_403(client, org):
    client.force_login(org.user("clerk"))
    assert client.get(reverse("web:calendar")).status_code == 403
    assert client.get(reverse("web:catalog")).status_code == 200


def test_language_switch_to_english(client, org):
    client.force_login(org.user("supervisor"))
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:home")})
    assert response.status_code == 302
    body = client.get(reverse("web:home")).content.decode()
    assert "Workbench" in body
    assert "Sign out" in body


def test_nav_orders_page_reaches_whoever_orders_go_to(client, org):
    """Orders are routed to the step's handler and post: reviewers and clerks find the page too;
    the auditor, who handles no step, does not."""
    for name in ("scjg-reviewer", "clerk", "scjg-chief"):
        assert navigation.allowed(navigation.entry("supervision_mine"), org.user(name)), name
    assert not navigation.allowed(navigation.entry("supervision_mine"), org.user("auditor"))
