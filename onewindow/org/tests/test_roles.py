from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from onewindow.org.roles import ADMIN_SITE_ROLES, EXCLUSIVE_ADMIN_ROLES, ROLES, needs_admin_site
from onewindow.org.services import org_sync_roles


@pytest.mark.django_db
def test_roles_exist_after_migrate_without_any_call():
    """The post_migrate handler created one group per role in the fresh test database."""
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}
    assert set(groups) >= {role.code for role in ROLES}
    auditor = {f"{p.content_type.app_label}.{p.codename}" for p in groups["auditor"].permissions.all()}
    assert auditor == {
        "core.view_auditentry",
        "org.view_adminchangerequest",
        "org.request_admin_change",
        "org.approve_admin_change",
    }
    security = {
        f"{p.content_type.app_label}.{p.codename}" for p in groups["security_admin"].permissions.all()
    }
    assert "org.manage_accounts" in security
    assert "core.view_auditentry" not in security
    assert not {p for p in security if p.startswith("auth.") and not p.startswith("auth.view_")}


@pytest.mark.django_db(transaction=True)
def test_roles_survive_a_flush():
    """flush (used between transactional tests) emits post_migrate too: the roles come back."""
    assert Group.objects.filter(name="window_clerk").exists()


@pytest.mark.django_db
def test_every_declared_permission_of_an_installed_app_exists():
    org_sync_roles()
    for role in ROLES:
        group = Group.objects.get(name=role.code)
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        installed = {"core", "calendar", "notifications", "org", "catalog", "auth"}
        expected = {name for name in role.permissions if name.split(".")[0] in installed}
        assert expected <= granted, (role.code, expected - granted)


@pytest.mark.django_db
def test_sync_is_idempotent_and_resets_edited_groups():
    group = Group.objects.get(name="reviewer")
    group.permissions.clear()
    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    call_command("sync_roles", stdout=out)
    assert Group.objects.filter(name="reviewer").count() == 1
    assert Group.objects.get(name="reviewer").permissions.exists()
    assert f"{len(ROLES)} roles synced." in out.getvalue()


def test_separation_of_duties_roles_work_in_the_admin_site():
    assert EXCLUSIVE_ADMIN_ROLES <= ADMIN_SITE_ROLES
    assert needs_admin_site(["reviewer", "auditor"])
    assert not needs_admin_site(["reviewer", "window_clerk", "supervisor"])


def test_no_role_holds_another_exclusive_roles_rights():
    # The three share only the right to ask for and approve administrator account changes (the
    # two-person rule needs a second administrator, whichever of the three).
    shared = {"org.view_adminchangerequest", "org.request_admin_change", "org.approve_admin_change"}
    by_code = {role.code: set(role.permissions) - shared for role in ROLES}
    assert not by_code["auditor"] & (by_code["system_admin"] | by_code["security_admin"])
    assert not by_code["security_admin"] & by_code["system_admin"]
    assert all("core.view_auditentry" not in perms for code, perms in by_code.items() if code != "auditor")
