"""Test data builders. They write rows directly; tests of rules go through the services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from onewindow.catalog.models import Material, ProcessStep, ServiceItem, ServiceItemVersion
from onewindow.core import clock
from onewindow.org.models import Center, Department, Post, User, Window
from onewindow.org.roles import needs_admin_site
from onewindow.org.services import org_sync_roles

PASSWORD = "test-pass-123"
_seq = itertools.count(1)

POSTS = [
    ("accept", "受理岗"),
    ("review", "审查岗"),
    ("approve", "审核岗"),
    ("decide", "决定岗"),
    ("certify", "制证岗"),
]


@dataclass
class OrgFixture:
    center: Center
    dept_a: Department
    dept_b: Department
    general_window: Window
    window_a: Window
    posts: dict[str, Post]
    users: dict[str, User] = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.users[name]


def make_user(
    username: str,
    *,
    center: Center,
    department: Department | None = None,
    roles: tuple[str, ...] = (),
    posts: list[Post] | None = None,
    window: Window | None = None,
    **extra: Any,
) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        center=center,
        department=department,
        window=window,
        full_name=extra.pop("full_name", username),
        is_staff=needs_admin_site(roles),
        **extra,
    )
    if roles:
        groups = org_sync_roles()
        user.groups.set([groups[r] for r in roles])
    if posts:
        user.posts.set(posts)
    return user


def build_org(code: str = "DEMO") -> OrgFixture:
    center = Center.objects.create(code=code, name="测试市政务服务中心", level=Center.Level.CITY)
    dept_a = Department.objects.create(
        center=center, code="SCJG", name="市场监督管理局", short_name="市场监管"
    )
    dept_b = Department.objects.create(center=center, code="SW", name="税务局", short_name="税务")
    posts = {
        c: Post.objects.get_or_create(code=c, defaults={"name": n, "position": i})[0]
        for i, (c, n) in enumerate(POSTS)
    }
    general = Window.objects.create(center=center, code="Z01", name="综合窗口1")
    window_a = Window.objects.create(center=center, code="A01", name="市场监管窗口", department=dept_a)
    fx = OrgFixture(center, dept_a, dept_b, general, window_a, posts)
    fx.users["clerk"] = make_user(
        "clerk",
        center=center,
        roles=("window_clerk",),
        posts=[posts["accept"]],
        window=general,
        data_scope=User.Scope.CENTER,
    )
    for dept in (dept_a, dept_b):
        low = dept.code.lower()
        fx.users[f"{low}-reviewer"] = make_user(
            f"{low}-reviewer", center=center, department=dept, roles=("reviewer",), posts=[posts["review"]]
        )
        fx.users[f"{low}-approver"] = make_user(
            f"{low}-approver",
            center=center,
            department=dept,
            roles=("approver",),
            posts=[posts["approve"], posts["decide"], posts["certify"]],
        )
        fx.users[f"{low}-chief"] = make_user(
            f"{low}-chief",
            center=center,
            department=dept,
            roles=("chief_representative",),
            posts=[posts["decide"]],
        )
    fx.users["supervisor"] = make_user(
        "supervisor", center=center, roles=("supervisor",), data_scope=User.Scope.CENTER
    )
    fx.users["centeradmin"] = make_user(
        "centeradmin", center=center, roles=("center_admin",), data_scope=User.Scope.CENTER
    )
    fx.users["auditor"] = make_user(
        "auditor", center=center, roles=("auditor",), data_scope=User.Scope.CENTER
    )
    fx.users["sysadmin"] = make_user(
        "sysadmin", center=center, roles=("system_admin",), data_scope=User.Scope.CENTER
    )
    fx.users["secadmin"] = make_user(
        "secadmin", center=center, roles=("security_admin",), data_scope=User.Scope.CENTER
    )
    return fx


def make_item(
    org: OrgFixture,
    *,
    code: str | None = None,
    name: str = "食品经营许可",
    department: Department | None = None,
    handling_type: str = ServiceItemVersion.HandlingType.PROMISED,
    legal_limit: int = 20,
    promised_limit: int = 10,
    steps: list[tuple[str, str, str, int]] | None = None,
    materials: list[tuple[str, str]] | None = None,
    deemed_approval_days: int | None = None,
) -> ServiceItemVersion:
    """A published item version.

    steps: (name, kind, post code, limit days); materials: (name, requirement).
    """
    code = code or f"IT{next(_seq):04d}"
    department = department or org.dept_a
    item = ServiceItem.objects.create(center=org.center, code=code)
    version = ServiceItemVersion.objects.create(
        item=item,
        number=1,
        status=ServiceItemVersion.Status.PUBLISHED,
        name=name,
        department=department,
        handling_type=handling_type,
        legal_limit=legal_limit,
        promised_limit=promised_limit,
        deemed_approval_days=deemed_approval_days,
        published_at=clock.now(),
    )
    if steps is None:
        steps = (
            [("受理", "accept", "accept", 0)]
            if handling_type == ServiceItemVersion.HandlingType.INSTANT
            else [
                ("受理", "accept", "accept", 1),
                ("审查", "review", "review", 4),
                ("审核", "approve", "approve", 2),
                ("决定", "decide", "decide", 2),
                ("制证", "certify", "certify", 1),
            ]
        )
    for i, (step_name, kind, post, days) in enumerate(steps, start=1):
        ProcessStep.objects.create(
            version=version, position=i, name=step_name, kind=kind, post=org.posts[post], limit_days=days
        )
    for i, (mat_name, requirement) in enumerate(
        materials or [("申请书", "required"), ("营业执照", "required"), ("场所证明", "conditional")], start=1
    ):
        Material.objects.create(version=version, position=i, name=mat_name, requirement=requirement)
    item.published_version = version
    item.save(update_fields=["published_version"])
    return version
