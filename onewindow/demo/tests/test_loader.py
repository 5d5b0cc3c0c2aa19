"""The demo loader against the database: what it creates, that a second run changes nothing, that
it brings changed rows back, the accounts and their rights, and the production refusal."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import Client

from onewindow.catalog.models import Bundle, ServiceItem, ServiceItemVersion, Theme
from onewindow.catalog.situations import applicable_items
from onewindow.core.errors import PermissionDenied
from onewindow.core.models import AuditEntry
from onewindow.demo.data.accounts import DEMO_PASSWORD
from onewindow.demo.data.org import DEMO_CENTER_CODE
from onewindow.demo.loader import load_demo
from onewindow.demo.specs import account_specs, item_specs
from onewindow.org.models import Center, Department, Post, User, Window
from onewindow.org.roles import ROLE_BY_CODE

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "centers": Center.objects.count(),
        "departments": Department.objects.count(),
        "windows": Window.objects.count(),
        "posts": Post.objects.count(),
        "users": User.objects.count(),
        "items": ServiceItem.objects.count(),
        "versions": ServiceItemVersion.objects.count(),
        "themes": Theme.objects.count(),
        "bundles": Bundle.objects.count(),
    }


def test_load_creates_the_demo_center_and_a_second_run_changes_nothing():
    first = load_demo(history=False)
    assert first.changed
    center = Center.objects.get(code=DEMO_CENTER_CODE)
    assert center.name == "示范市政务服务中心"
    assert center.parent.level == "province"
    county = center.children.get()
    assert county.level == "county"
    assert county.children.get().level == "township"

    assert Department.objects.filter(center=center).count() >= 15
    assert Window.objects.filter(center=center).count() >= 25
    assert Window.objects.filter(center=center, department__isnull=True).count() >= 3
    published = ServiceItem.objects.filter(
        center=center, published_version__status=ServiceItemVersion.Status.PUBLISHED
    )
    assert published.count() == len(item_specs()) >= 60
    assert not ServiceItemVersion.objects.filter(status=ServiceItemVersion.Status.DRAFT).exists()
    food = ServiceItem.objects.get(center=center, code="SCJG-005").published_version
    assert food.name == "食品经营许可"
    assert food.department.code == "SCJG" and food.window.code == "B02"
    assert food.materials.count() >= 3 and food.steps.filter(kind="decide").count() == 1
    assert food.compression is not None and 0.3 <= food.compression <= 0.7

    bundles = {b.code: b for b in Bundle.objects.filter(center=center)}
    assert set(bundles) == {"QYSL", "QYKB", "GYJS", "GYJS-FA"}
    assert bundles["QYSL"].promised_limit == 2 and bundles["QYSL"].lead_department.code == "SCJG"
    assert bundles["QYSL"].bundle_items.count() == 4
    assert 8 <= bundles["QYSL"].fields.count() <= 12
    assert bundles["QYKB"].promised_limit == 1 and bundles["QYKB"].lead_department.code == "SCJG"
    assert bundles["QYKB"].questions.count() == 3
    phases = list(bundles["GYJS"].phases.order_by("position"))
    assert [p.name for p in phases] == ["立项用地规划许可", "工程建设许可", "施工许可", "竣工验收"]
    assert sum(p.promised_limit or 0 for p in phases) <= bundles["GYJS"].promised_limit == 33
    gyjs_departments = {
        bi.item.published_version.department.code for bi in bundles["GYJS"].bundle_items.all()
    }
    assert len(gyjs_departments) >= 8
    assert AuditEntry.objects.filter(action="demo.load").count() == 1

    before = _counts()
    audit_before = set(AuditEntry.objects.values_list("pk", flat=True))
    second = load_demo(history=False)
    assert not second.changed
    assert sum(second.created.values()) == sum(second.updated.values()) == 0
    assert second.catalog.items_unchanged == len(item_specs())
    assert second.catalog.items_new_versions == second.catalog.items_created == 0
    assert _counts() == before
    new_actions = set(AuditEntry.objects.exclude(pk__in=audit_before).values_list("action", flat=True))
    assert new_actions == set(), new_actions  # a second start writes nothing to the audit trail


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"seal": "no", "invoice": "no", "staff": "no"}, ["SCJG-001"]),
        ({"seal": "yes", "invoice": "no", "staff": "yes"}, ["SCJG-001", "GA-011", "RS-003"]),
        ({"seal": "yes", "invoice": "yes", "staff": "yes"}, ["SCJG-001", "GA-011", "SW-005", "RS-003"]),
    ],
    ids=["licence-only", "seal-and-staff", "all"],
)
def test_the_enterprise_opening_questions_choose_the_items(answers, expected):
    load_demo(history=False)
    bundle = Bundle.objects.get(center__code=DEMO_CENTER_CODE, code="QYKB")
    chosen = applicable_items(bundle, answers)
    assert [bi.item.code for bi in chosen] == expected
    departments = [bi.item.published_version.department.code for bi in chosen]
    assert departments == [
        {"SCJG-001": "SCJG", "GA-011": "GA", "SW-005": "SW", "RS-003": "RS"}[c] for c in expected
    ]


def test_the_scheme_transfer_variant_merges_the_construction_permit_phase():
    load_demo(history=False)
    bundle = Bundle.objects.get(center__code=DEMO_CENTER_CODE, code="GYJS-FA")
    merged = bundle.phases.filter(merge_with_previous=True).values_list("name", flat=True)
    assert list(merged) == ["施工许可"]


def test_a_changed_row_is_brought_back_and_passwords_can_be_reset():
    load_demo(history=False)
    department = Department.objects.get(center__code=DEMO_CENTER_CODE, code="SCJG")
    department.name = "改过的名字"
    department.save()
    clerk = User.objects.get(username="clerk")
    clerk.set_password("something-else-123")
    clerk.full_name = "别人"
    clerk.save()
    clerk.posts.clear()

    summary = load_demo(history=False)
    assert summary.updated == {"departments": 1, "accounts": 1}
    department.refresh_from_db()
    clerk.refresh_from_db()
    assert department.name == "示范市市场监督管理局"
    assert clerk.full_name == "林晓燕"
    assert list(clerk.posts.values_list("code", flat=True)) == ["accept"]
    assert not clerk.check_password(DEMO_PASSWORD), "passwords are left alone unless asked"

    summary = load_demo(reset_passwords=True, history=False)
    assert summary.updated == {"passwords": len(account_specs())}
    clerk.refresh_from_db()
    assert clerk.check_password(DEMO_PASSWORD)


def _existing_permissions() -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }


def test_every_account_has_its_role_and_signs_in_with_the_demo_password():
    """Each account: its roles, posts, scope and every permission of its roles; a real sign-in."""
    load_demo(history=False)
    existing = _existing_permissions()
    specs = account_specs()
    assert len(specs) == 8 + 3 * Department.objects.filter(center__code=DEMO_CENTER_CODE).count()
    client = Client()
    for spec in specs:
        user = User.objects.get(username=spec["username"])
        assert user.is_active and not user.is_superuser
        assert user.center.code == DEMO_CENTER_CODE
        assert sorted(user.groups.values_list("name", flat=True)) == sorted(spec["roles"])
        assert sorted(user.posts.values_list("code", flat=True)) == sorted(spec["posts"])
        assert user.data_scope == spec["data_scope"]
        for role in spec["roles"]:
            granted = set(ROLE_BY_CODE[role].permissions) & existing
            assert granted, f"{role} grants at least one existing permission"
            for permission in granted:
                assert user.has_perm(permission), (user.username, permission)
        assert client.login(username=spec["username"], password=DEMO_PASSWORD), spec["username"]
        client.logout()
        assert not client.login(username=spec["username"], password="wrong-password")

    # Who is who.
    clerk = User.objects.get(username="clerk")
    assert clerk.window.is_general and clerk.department is None
    assert clerk.data_scope == User.Scope.CENTER
    assert clerk.has_perm("catalog.view_serviceitem")
    assert not clerk.has_perm("catalog.publish_serviceitem")
    clerk2 = User.objects.get(username="clerk2")
    assert clerk2.department.code == "SCJG" and clerk2.window.department_id == clerk2.department_id
    assert clerk2.data_scope == User.Scope.DEPARTMENT
    for code in Department.objects.filter(center__code=DEMO_CENTER_CODE).values_list("code", flat=True):
        chief = User.objects.get(username=f"{code.lower()}-chief")
        assert chief.department.code == code
        assert chief.window is not None and chief.window.department_id == chief.department_id
        assert sorted(chief.posts.values_list("code", flat=True)) == ["decide", "report"]
        approver = User.objects.get(username=f"{code.lower()}-approver")
        assert sorted(approver.posts.values_list("code", flat=True)) == ["approve", "certify", "decide"]
    auditor = User.objects.get(username="auditor")
    assert auditor.has_perm("core.view_auditentry")
    assert not auditor.has_perm("org.manage_accounts")
    assert not auditor.has_perm("catalog.change_serviceitem")
    secadmin = User.objects.get(username="secadmin")
    assert secadmin.has_perm("org.manage_accounts") and not secadmin.has_perm("core.view_auditentry")
    centeradmin = User.objects.get(username="centeradmin")
    assert centeradmin.has_perm("catalog.publish_serviceitem")
    assert centeradmin.is_staff and not clerk.is_staff


def test_refused_under_the_production_profile(settings):
    settings.PRODUCTION = True
    with pytest.raises(PermissionDenied) as refused:
        load_demo(history=False)
    assert "ONEWINDOW_PROFILE=production" in refused.value.message
    assert refused.value.code == "demo_refused_in_production"
    with pytest.raises(CommandError, match="ONEWINDOW_PROFILE=production"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Center.objects.exists() and not User.objects.filter(username="clerk").exists()


def test_command_prints_a_summary_and_loads_in_production_only_when_asked(settings):
    settings.PRODUCTION = True
    out = io.StringIO()
    call_command("load_demo", "--allow-production", "--no-history", stdout=out)
    assert User.objects.filter(username="clerk").exists()
    first = out.getvalue()
    assert DEMO_CENTER_CODE in first and DEMO_PASSWORD in first
    settings.PRODUCTION = False
    out = io.StringIO()
    call_command("load_demo", "--no-history", stdout=out)
    again = out.getvalue()
    assert DEMO_PASSWORD not in again
    assert str(len(item_specs())) in again
