"""Bundle cases for the tests of issue 13: a center with four departments, one item each, and
bundles built directly (the catalog's own tests cover the spec import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from onewindow.approvals import services
from onewindow.approvals.models import BundleCase
from onewindow.cases import services as case_services
from onewindow.cases.models import Case
from onewindow.catalog.models import (
    Bundle,
    BundleField,
    BundleFieldMapping,
    BundleItem,
    BundleMaterial,
    BundleOption,
    BundlePhase,
    BundleQuestion,
    ServiceItemVersion,
)
from onewindow.org.models import Department
from tests.factories import OrgFixture, make_item, make_user

APPLICANT = {
    "kind": "enterprise",
    "name": "示范市星河科技有限公司",
    "id_type": "uscc",
    "id_number": "91350100M000100Y43",
    "phone": "13800138000",
    "address": "示范市人民路1号",
    "legal_rep_name": "张三",
    "legal_rep_id_number": "11010519491231002X",
}
SHORT_STEPS = [("审查", "review", "review", 1), ("决定", "decide", "decide", 1)]


@dataclass
class BundleWorld:
    org: OrgFixture
    depts: dict[str, Department]
    items: dict[str, ServiceItemVersion]
    bundle: Bundle
    users: dict[str, Any] = field(default_factory=dict)

    def intake(self, **overrides: Any) -> BundleCase:
        kwargs: dict[str, Any] = {
            "actor": self.org.user("clerk"),
            "center": self.org.center,
            "bundle_code": self.bundle.code,
            "answers": {},
            "applicant": dict(APPLICANT),
            "form": {"company_name": "星河科技"},
            "materials": ["营业执照", "身份证明"],
            "action": "accept",
        }
        kwargs.update(overrides)
        return services.bundle_case_intake(**kwargs)

    def reviewer(self, code: str) -> Any:
        return self.users[f"{code}-reviewer"]

    def approver(self, code: str) -> Any:
        return self.users[f"{code}-approver"]

    def decide(self, case: Case, *, grant: bool = True, opinion: str = "符合条件") -> Case:
        """Pass the review step and decide, as the item's department."""
        code = case.department.code
        case = case_services.case_act(
            case=case.pk,
            action="pass_step",
            version=case.version,
            actor=self.reviewer(code),
            opinion="审查通过",
        )
        extra = {"opinion": opinion} if grant else {"reasons": opinion}
        return case_services.case_act(
            case=case.pk,
            action="grant" if grant else "deny",
            version=case.version,
            actor=self.approver(code),
            **extra,
        )


def _dept_users(world: BundleWorld, dept: Department) -> None:
    org = world.org
    low = dept.code.lower()
    existing = org.users.get(f"{low}-reviewer")
    world.users[f"{dept.code}-reviewer"] = existing or make_user(
        f"{low}-reviewer",
        center=org.center,
        department=dept,
        roles=("reviewer",),
        posts=[org.posts["review"]],
    )
    world.users[f"{dept.code}-approver"] = org.users.get(f"{low}-approver") or make_user(
        f"{low}-approver",
        center=org.center,
        department=dept,
        roles=("approver",),
        posts=[org.posts["approve"], org.posts["decide"], org.posts["certify"]],
    )


def build_world(
    org: OrgFixture,
    *,
    promised_limit: int = 2,
    phases: list[tuple[str, int | None, bool]] | None = None,
    item_phases: dict[str, int] | None = None,
    item_limits: dict[str, int] | None = None,
    deemed: dict[str, int] | None = None,
    questions: bool = False,
) -> BundleWorld:
    """Four items (SCJG-B1, GA-B1, SW-B1, RS-B1), each of its department, review + decide.
    `phases`: (name, limit, merge_with_previous); `item_phases`: item code → phase index."""
    depts = {"SCJG": org.dept_a, "SW": org.dept_b}
    for code, name in (("GA", "公安局"), ("RS", "人社局")):
        depts[code] = Department.objects.create(center=org.center, code=code, name=name)
    items = {}
    for code in ("SCJG", "GA", "SW", "RS"):
        items[f"{code}-B1"] = make_item(
            org,
            code=f"{code}-B1",
            name=f"{code}事项",
            department=depts[code],
            promised_limit=(item_limits or {}).get(f"{code}-B1", 2),
            steps=SHORT_STEPS,
            materials=[("营业执照", "required"), ("身份证明", "required")],
            deemed_approval_days=(deemed or {}).get(f"{code}-B1"),
        )
    bundle = Bundle.objects.create(
        center=org.center,
        code="QYKB",
        name="企业开办一件事",
        lead_department=org.dept_a,
        promised_limit=promised_limit,
    )
    phase_rows = []
    for i, (name, limit, merge) in enumerate(phases or [], start=1):
        phase = BundlePhase.objects.create(bundle=bundle, position=i, name=name, promised_limit=limit)
        if merge:
            phase.merge_with_previous = True
            phase.save()
        phase_rows.append(phase)
    bundle_items = {}
    for i, code in enumerate(items, start=1):
        index = (item_phases or {}).get(code)
        bundle_items[code] = BundleItem.objects.create(
            bundle=bundle,
            item=items[code].item,
            phase=phase_rows[index] if index is not None else None,
            position=i,
        )
    name_field = BundleField.objects.create(bundle=bundle, key="company_name", label="企业名称", position=1)
    for version in items.values():
        BundleFieldMapping.objects.create(field=name_field, item=version.item, target="name")
    for i, name in enumerate(("营业执照", "身份证明"), start=1):
        m = BundleMaterial.objects.create(bundle=bundle, position=i, name=name)
        m.items.set([v.item for v in items.values()])
    if questions:
        q = BundleQuestion.objects.create(bundle=bundle, key="seal", text="是否需要刻制公章？")
        yes = BundleOption.objects.create(question=q, value="yes", label="是", position=1)
        yes.items.set([bundle_items["GA-B1"]])
        BundleOption.objects.create(question=q, value="no", label="否", position=2)
    world = BundleWorld(org=org, depts=depts, items=items, bundle=bundle)
    for dept in depts.values():
        _dept_users(world, dept)
    return world


@pytest.fixture
def world(org: OrgFixture) -> BundleWorld:
    return build_world(org)
