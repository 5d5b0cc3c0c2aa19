"""Issue 13 §1–§4, the core: intake opens one sub-case per item at one moment, the joint clock,
phases, mixed outcomes, one delivery. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from onewindow.approvals import services
from onewindow.approvals.models import BundleCase, BundleEvent, BundleNotice
from onewindow.cases.facts import Status
from onewindow.cases.models import Case
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed

from .conftest import build_world


def test_accepting_opens_every_sub_case_at_one_moment(world) -> None:
    bc = world.intake()
    assert bc.status == BundleCase.Status.IN_PROGRESS
    subs = list(bc.sub_cases.select_related("case").order_by("position"))
    assert [s.item_code for s in subs] == ["SCJG-B1", "GA-B1", "SW-B1", "RS-B1"]
    cases = [s.case for s in subs]
    assert all(c is not None and c.status == Status.ACCEPTED for c in cases)
    assert {c.accepted_at for c in cases} == {bc.accepted_at}
    assert all(c.joint and c.due_at <= bc.due_at for c in cases)
    assert {c.department.code for c in cases} == {"SCJG", "GA", "SW", "RS"}
    assert bc.number[-1].isalnum() and bc.number.startswith("DEMO")
    assert [e.action for e in bc.events.order_by("seq")] == ["accept"]
    assert bc.notices.get().kind == BundleNotice.Kind.ACCEPTANCE


def test_four_departments_one_late_day_still_on_time_then_one_pickup(world) -> None:
    bc = world.intake()
    subs = list(bc.sub_cases.select_related("case").order_by("position"))
    for sub in subs[:3]:
        world.decide(sub.case)
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.IN_PROGRESS
    world.decide(subs[3].case)
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.DECIDED
    decide = bc.events.get(action="decide")
    assert decide.data["on_time"] is True
    assert [r["outcome"] for r in decide.data["results"]] == ["granted"] * 4
    bc = services.bundle_case_act(
        bundle_case=bc.number,
        action="deliver",
        version=bc.version,
        actor=world.org.user("clerk"),
        method="pickup",
        recipient_relation="legal_representative",
        recipient_name="张三",
        recipient_id_number="11010519491231002X",
    )
    assert bc.status == BundleCase.Status.DELIVERED
    assert set(Case.objects.filter(bundle_link__bundle_case=bc).values_list("status", flat=True)) == {
        Status.DELIVERED
    }
    receipt = bc.notices.get(kind=BundleNotice.Kind.SERVICE_RECEIPT)
    assert len(receipt.data["results"]) == 4


def test_a_stale_version_is_a_conflict(world) -> None:
    bc = world.intake()
    for sub in bc.sub_cases.select_related("case"):
        world.decide(sub.case)
    bc.refresh_from_db()
    with pytest.raises(Conflict):
        services.bundle_case_act(
            bundle_case=bc.pk,
            action="deliver",
            version=bc.version - 1,
            actor=world.org.user("clerk"),
            method="pickup",
            recipient_relation="legal_representative",
            recipient_name="张三",
            recipient_id_number="11010519491231002X",
        )


def test_mixed_outcomes_denied_item_with_reason(world) -> None:
    bc = world.intake()
    subs = list(bc.sub_cases.select_related("case").order_by("position"))
    world.decide(subs[0].case, grant=False, opinion="经营范围涉及前置审批，未提交许可文件")
    for sub in subs[1:]:
        world.decide(sub.case)
    bc.refresh_from_db()
    results = bc.events.get(action="decide").data["results"]
    assert results[0]["outcome"] == "denied"
    assert "前置审批" in results[0]["reason"]
    assert [r["outcome"] for r in results[1:]] == ["granted"] * 3


def test_phases_open_one_after_the_other_and_merged_phases_together(org) -> None:
    world = build_world(
        org,
        promised_limit=10,
        phases=[("立项用地规划许可", 3, False), ("工程建设许可", 3, False), ("施工许可", 3, False)],
        item_phases={"SCJG-B1": 0, "GA-B1": 1, "SW-B1": 1, "RS-B1": 2},
    )
    bc = world.intake()
    opened = lambda: sorted(s.item_code for s in bc.sub_cases.filter(case__isnull=False))  # noqa: E731
    assert opened() == ["SCJG-B1"]
    world.decide(bc.sub_cases.get(item_code="SCJG-B1").case)
    assert opened() == ["GA-B1", "SCJG-B1", "SW-B1"]
    world.decide(bc.sub_cases.get(item_code="GA-B1").case)
    assert "RS-B1" not in opened()  # 工程建设许可 still has an open sub-case: 施工许可 waits
    world.decide(bc.sub_cases.get(item_code="SW-B1").case)
    assert "RS-B1" in opened()
    assert bc.events.filter(action="open_phase").count() == 2


def test_a_merged_phase_opens_with_the_phase_before(org) -> None:
    world = build_world(
        org,
        promised_limit=10,
        phases=[("立项用地规划许可", 3, False), ("工程建设许可", 3, False), ("施工许可", 3, True)],
        item_phases={"SCJG-B1": 0, "GA-B1": 1, "SW-B1": 1, "RS-B1": 2},
    )
    bc = world.intake()
    world.decide(bc.sub_cases.get(item_code="SCJG-B1").case)
    assert bc.sub_cases.filter(case__isnull=False).count() == 4


def test_situation_answers_select_the_items(org) -> None:
    world = build_world(org, questions=True)
    bc = world.intake(answers={"seal": "no"})
    assert sorted(bc.sub_cases.values_list("item_code", flat=True)) == ["RS-B1", "SCJG-B1", "SW-B1"]
    assert bc.answers == {"seal": "no"}
    with pytest.raises(ValidationFailed) as err:
        world.intake(answers={})
    assert "answers.seal" in err.value.details


def test_bad_input_names_every_problem_and_writes_nothing(world) -> None:
    before = Case.objects.count()
    with pytest.raises(ValidationFailed) as err:
        world.intake(applicant={"kind": "enterprise"}, form={"nope": "x"}, materials=["不存在的材料"])
    details = err.value.details
    assert "form.company_name" in details and "form.nope" in details and "materials.0" in details
    assert any(key.startswith("applicant.") for key in details)
    assert Case.objects.count() == before and not BundleCase.objects.exists()


def test_missing_required_material_needs_a_note(world) -> None:
    with pytest.raises(ValidationFailed) as err:
        world.intake(materials=["营业执照"])
    assert "note" in err.value.details
    bc = world.intake(materials=["营业执照"], note="身份证明当场核验原件")
    assert bc.status == BundleCase.Status.IN_PROGRESS


def test_correct_at_intake_then_accept(world) -> None:
    bc = world.intake(
        action="correct", materials=["营业执照"], correction_items=[{"name": "身份证明", "note": "原件"}]
    )
    assert bc.status == BundleCase.Status.CORRECTION_REQUESTED
    assert not bc.sub_cases.filter(case__isnull=False).exists()
    bc = services.bundle_case_act(
        bundle_case=bc.pk,
        action="accept",
        version=bc.version,
        actor=world.org.user("clerk"),
        materials=["身份证明"],
    )
    assert bc.status == BundleCase.Status.IN_PROGRESS
    assert bc.sub_cases.filter(case__isnull=False).count() == 4


def test_a_department_window_of_another_department_may_not_accept(world) -> None:
    from tests.factories import make_user

    ga_window_clerk = make_user(
        "ga-clerk", center=world.org.center, department=world.depts["GA"], roles=("window_clerk",)
    )
    with pytest.raises(PermissionDenied):
        world.intake(actor=ga_window_clerk)


def test_bundle_events_are_append_only(world) -> None:
    from django.db import DatabaseError, transaction

    bc = world.intake()
    with pytest.raises(DatabaseError), transaction.atomic():
        BundleEvent.objects.filter(bundle_case=bc).update(action="x")


@pytest.mark.parametrize("action", ["request_processing_correction", "request_extension"])
def test_a_department_asks_for_corrections_and_time_through_the_bundle(world, action) -> None:
    from onewindow.cases.guards import case_allowed_actions
    from onewindow.cases.services import case_act

    bc = world.intake()
    case = bc.sub_cases.get(item_code="SW-B1").case
    reviewer = world.reviewer("SW")
    assert action not in case_allowed_actions(case, reviewer)
    params = (
        {"items": ["营业执照"], "reason": "x"}
        if action.startswith("request_processing")
        else {"days": 2, "reason": "x"}
    )
    with pytest.raises(PermissionDenied) as err:
        case_act(case=case.pk, action=action, version=case.version, actor=reviewer, **params)
    assert "一件事" in err.value.message or "bundle" in err.value.message


def test_a_bundle_material_named_otherwise_than_the_items_is_an_extra_of_the_sub_case(org) -> None:
    from onewindow.catalog.models import BundleMaterial

    world = build_world(org)
    extra = BundleMaterial.objects.create(bundle=world.bundle, position=3, name="企业住所证明")
    extra.items.set([v.item for v in world.items.values()])
    bc = world.intake(materials=["营业执照", "身份证明", "企业住所证明"])
    case = bc.sub_cases.get(item_code="GA-B1").case
    names = set(case.materials.values_list("name", flat=True))
    assert {"营业执照", "身份证明", "企业住所证明"} <= names
    assert case.materials.get(name="企业住所证明").material_id is None
