"""Issue 13 §2, one joint clock: the merged correction during processing (the bundle's clock paused
once, every sub-case paused and resumed together) and the joint extension (45 + 15 working days,
once, approved by the government's head). The 2026 calendar and a frozen clock make the working
days deterministic. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.approvals import services
from onewindow.approvals.models import (
    BundleCase,
    BundleCorrection,
    BundleEvent,
    BundleExtension,
    BundleNotice,
)
from onewindow.cases import services as case_services
from onewindow.cases.facts import Status
from onewindow.cases.models import Case, CasePause, CorrectionRequest
from onewindow.cases.tests.conftest import at, calendar_2026, local  # noqa: F401 - a fixture
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.notifications.models import OutboxMessage
from tests.factories import make_user

from .conftest import build_world

BUNDLE_DUE = "2026-09-15 23:59:59"  # 10 working days after Tuesday 09-01
SUB_DUE = "2026-09-11 23:59:59"  # 8 working days after 09-01


@pytest.fixture
def clocked(org: Any, calendar_2026: None) -> Any:  # noqa: F811 - the imported fixture
    world = build_world(
        org,
        promised_limit=10,
        item_limits={code: 8 for code in ("SCJG-B1", "GA-B1", "SW-B1", "RS-B1")},
    )
    world.users["head"] = make_user("gov-head", center=org.center, roles=("government_head",))
    with at("2026-09-01 10:00"):
        world.bc = world.intake()
    return world


def act(world: Any, actor: Any, action: str, **params: Any) -> BundleCase:
    bc = BundleCase.objects.get(pk=world.bc.pk)
    return services.bundle_case_act(
        bundle_case=bc.number, action=action, version=bc.version, actor=actor, **params
    )


def sub_cases(bc: BundleCase) -> dict[str, Case]:
    return {s.item_code: Case.objects.get(pk=s.case_id) for s in bc.sub_cases.all()}


def sms(bc: BundleCase, template: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(related_id=str(bc.pk), template_code=template))


def test_the_deadlines_before_anything(clocked) -> None:
    bc = clocked.bc
    assert bc.due_at == local(BUNDLE_DUE)
    assert bc.legal_limit == 45
    assert {c.due_at for c in sub_cases(bc).values()} == {local(SUB_DUE)}


def test_one_merged_correction_pauses_the_bundle_once_and_resumes_every_sub_case_together(clocked) -> None:
    w = clocked
    with at("2026-09-02 10:00"):
        bc = act(
            w, w.reviewer("SCJG"), "request_correction", items=[{"name": "营业执照", "note": "复印件不清晰"}]
        )
    assert bc.status == BundleCase.Status.CORRECTION_IN_PROGRESS
    assert bc.correction_count == 1
    cases = sub_cases(bc)
    assert {c.status for c in cases.values()} == {Status.CORRECTION_IN_PROGRESS}
    own = CorrectionRequest.objects.get(case=cases["SCJG-B1"])
    assert [(i["name"], i["note"]) for i in own.items] == [("营业执照", "复印件不清晰")]
    waiting = CorrectionRequest.objects.get(case=cases["GA-B1"])
    assert bc.number in waiting.items[0]["note"] and "营业执照" in waiting.items[0]["note"]
    notice = bc.notices.get(kind=BundleNotice.Kind.CORRECTION)
    assert [(i["name"], i["department"]) for i in notice.data["items"]] == [("营业执照", "市场监督管理局")]
    assert len(sms(bc, "bundle_correction_requested")) == 1

    # a second department adds its entries to the same correction: still one pause
    with at("2026-09-03 10:00"):
        bc = act(w, w.reviewer("GA"), "request_correction", items=[{"name": "身份证明", "note": "已过期"}])
    assert bc.status == BundleCase.Status.CORRECTION_IN_PROGRESS
    assert bc.correction_count == 1
    correction = BundleCorrection.objects.get(bundle_case=bc)
    assert [(i["name"], i["department_code"], i["number"]) for i in correction.items] == [
        ("营业执照", "SCJG", cases["SCJG-B1"].number),
        ("身份证明", "GA", cases["GA-B1"].number),
    ]
    notices = list(bc.notices.filter(kind=BundleNotice.Kind.CORRECTION).order_by("id"))
    assert len(notices) == 2 and len(notices[1].data["items"]) == 2 and notices[1].data["edition"] == 2
    assert CasePause.objects.filter(case__in=cases.values()).count() == 4
    assert len(sms(bc, "bundle_correction_requested")) == 2  # the applicant hears of the addition
    assert [e.action for e in bc.events.order_by("seq")] == [
        "accept",
        "request_correction",
        "request_correction",
    ]

    # the materials come on Monday 09-07: 3 working days paused (09-03, 09-04, 09-07)
    with at("2026-09-07 10:00"):
        bc = act(
            w, w.org.user("clerk"), "receive_correction", materials=["营业执照", "身份证明"], note="已补齐"
        )
    assert bc.status == BundleCase.Status.IN_PROGRESS
    assert bc.paused_working_days == 3
    assert bc.due_at == local("2026-09-18 23:59:59")
    correction.refresh_from_db()
    assert correction.ended_at is not None and correction.paused_working_days == 3
    cases = sub_cases(bc)
    assert {c.status for c in cases.values()} == {Status.IN_PROGRESS}
    resumed = [p.ended_at for p in CasePause.objects.filter(case__in=cases.values())]
    assert len(set(resumed)) == 1 and None not in resumed
    # each sub-case's own due moved once, under the moved cap (09-15 would be the old cap)
    assert {c.due_at for c in cases.values()} == {local("2026-09-16 23:59:59")}
    assert {c.due_cap_at for c in cases.values()} == {bc.due_at}
    assert {c.paused_working_days for c in cases.values()} == {3}
    assert all(m["received"] for m in bc.materials)
    event = bc.events.get(action="receive_correction")
    assert event.data["paused_working_days"] == 3 and len(event.data["resumed"]) == 4


def test_a_sub_case_in_a_special_procedure_is_not_paused_but_its_cap_moves(clocked) -> None:
    w = clocked
    rs = sub_cases(w.bc)["RS-B1"]
    with at("2026-09-02 09:00"):
        rs = case_services.case_act(
            case=rs.pk,
            action="start_special_procedure",
            version=rs.version,
            actor=w.reviewer("RS"),
            kind="expert_review",
            reason="专家评审",
        )
    with at("2026-09-02 10:00"):
        act(w, w.reviewer("SW"), "request_correction", items=[{"name": "身份证明", "note": "缺页"}])
    rs.refresh_from_db()
    assert rs.status == Status.SUSPENDED
    with at("2026-09-04 10:00"):
        bc = act(w, w.org.user("clerk"), "receive_correction")
    assert bc.paused_working_days == 2  # 09-03, 09-04
    rs.refresh_from_db()
    assert rs.status == Status.SUSPENDED and rs.due_cap_at == bc.due_at == local("2026-09-17 23:59:59")
    assert sub_cases(bc)["SW-B1"].due_cap_at == bc.due_at


def test_a_new_correction_after_the_first_is_received_pauses_again(clocked) -> None:
    w = clocked
    with at("2026-09-02 10:00"):
        act(w, w.reviewer("SCJG"), "request_correction", items=[{"name": "营业执照", "note": "不清晰"}])
    with at("2026-09-03 10:00"):
        act(w, w.org.user("clerk"), "receive_correction", materials=["1"])
    with at("2026-09-04 10:00"):
        bc = act(w, w.reviewer("SW"), "request_correction", items=[{"name": "身份证明", "note": "缺页"}])
    assert bc.correction_count == 2 and BundleCorrection.objects.filter(bundle_case=bc).count() == 2
    assert {c.status for c in sub_cases(bc).values()} == {Status.CORRECTION_IN_PROGRESS}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "items"),
        ({"items": "营业执照"}, "items"),
        ({"items": [{"note": "缺"}]}, "items.0.name"),
        ({"items": [{"name": "营业执照", "item_code": "GA-B1"}]}, "items.0.item_code"),
        ({"items": [{"name": "营业执照", "item_code": "NOPE"}]}, "items.0.item_code"),
    ],
)
def test_bad_correction_params_write_nothing(clocked, params, field) -> None:
    w = clocked
    before = BundleEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        act(w, w.reviewer("SCJG"), "request_correction", **params)
    assert field in exc.value.details
    bc = BundleCase.objects.get(pk=w.bc.pk)
    assert bc.status == BundleCase.Status.IN_PROGRESS and bc.version == w.bc.version
    assert BundleEvent.objects.count() == before and not BundleCorrection.objects.exists()
    assert not CasePause.objects.exists()


def test_bad_receipt_params_write_nothing(clocked) -> None:
    w = clocked
    with at("2026-09-02 10:00"):
        bc = act(w, w.reviewer("SCJG"), "request_correction", items=[{"name": "营业执照", "note": "不清晰"}])
    with at("2026-09-03 10:00"), pytest.raises(ValidationFailed) as exc:
        act(w, w.org.user("clerk"), "receive_correction", materials=["营业执照", "户口本"])
    assert list(exc.value.details) == ["materials.1"]
    assert BundleCase.objects.get(pk=bc.pk).status == BundleCase.Status.CORRECTION_IN_PROGRESS
    assert BundleCorrection.objects.get().ended_at is None


@pytest.mark.parametrize(
    ("who", "action", "params"),
    [
        ("clerk", "request_correction", {"items": [{"name": "营业执照", "note": "x"}]}),  # no sub-case
        ("head", "request_correction", {"items": [{"name": "营业执照", "note": "x"}]}),
        ("SCJG-reviewer", "request_extension", {"days": 10, "reason": "x"}),  # not a window
        ("clerk", "approve_extension", {}),
        ("SCJG-approver", "approve_extension", {}),
    ],
)
def test_who_may_not(clocked, who, action, params) -> None:
    w = clocked
    if action == "approve_extension":
        with at("2026-09-02 10:00"):
            act(w, w.org.user("clerk"), "request_extension", days=10, reason="需现场核查")
    actor = w.users.get(who) or w.org.user(who)
    with pytest.raises(PermissionDenied):
        act(w, actor, action, **params)


def test_a_stale_version_is_a_conflict(clocked) -> None:
    w = clocked
    with pytest.raises(Conflict):
        services.bundle_case_act(
            bundle_case=w.bc.pk,
            action="request_correction",
            version=w.bc.version + 1,
            actor=w.reviewer("SCJG"),
            items=[{"name": "营业执照", "note": "不清晰"}],
        )
    assert not BundleCorrection.objects.exists()


def test_the_joint_limit_is_extended_once_by_the_government_head(clocked) -> None:
    w = clocked
    bc = w.bc
    assert bc.legal_due_at == local("2026-11-09 23:59:59")  # 45 working days (国庆 10-01..07)
    with at("2026-09-02 10:00"):
        bc = act(w, w.org.user("clerk"), "request_extension", days=15, reason="需联合踏勘")
    assert bc.extensions.get().status == BundleExtension.Status.REQUESTED
    with at("2026-09-02 11:00"), pytest.raises(ValidationFailed) as exc:
        act(w, w.org.user("clerk"), "request_extension", days=5, reason="再延")
    assert exc.value.code == "extension_pending"
    with at("2026-09-03 10:00"):
        bc = act(w, w.users["head"], "approve_extension", note="同意")
    assert bc.extension_days == 15
    assert bc.legal_due_at == local("2026-11-30 23:59:59")  # 45 + 15
    assert bc.due_at == local("2026-10-12 23:59:59")  # 10 + 15 (09-20 and 10-10 worked)
    assert {c.due_cap_at for c in sub_cases(bc).values()} == {bc.due_at}
    notice = bc.notices.get(kind=BundleNotice.Kind.EXTENSION)
    assert notice.data["days"] == 15 and notice.data["reason"] == "需联合踏勘"
    (message,) = sms(bc, "bundle_extended")
    assert "15" in message.body and "需联合踏勘" in message.body
    with at("2026-09-04 10:00"), pytest.raises(ValidationFailed) as exc:
        act(w, w.org.user("clerk"), "request_extension", days=1, reason="再延一次")
    assert exc.value.code == "extension_exhausted"
    assert bc.extensions.count() == 1


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"days": 16, "reason": "x"}, {"days"}),
        ({"days": 0, "reason": "x"}, {"days"}),
        ({"days": "十", "reason": "x"}, {"days"}),
        ({"days": 5, "reason": " "}, {"reason"}),
        ({}, {"days", "reason"}),
    ],
)
def test_bad_extension_params_write_nothing(clocked, params, fields) -> None:
    w = clocked
    with pytest.raises(ValidationFailed) as exc:
        act(w, w.org.user("clerk"), "request_extension", **params)
    assert set(exc.value.details) == fields
    assert not BundleExtension.objects.exists()
    assert BundleCase.objects.get(pk=w.bc.pk).version == w.bc.version


def test_a_rejected_extension_changes_no_deadline_and_may_be_asked_again(clocked) -> None:
    w = clocked
    with at("2026-09-02 10:00"):
        act(w, w.org.user("clerk"), "request_extension", days=5, reason="材料较多")
    with pytest.raises(ValidationFailed) as exc:
        act(w, w.users["head"], "reject_extension")
    assert "note" in exc.value.details
    with at("2026-09-02 11:00"):
        bc = act(w, w.users["head"], "reject_extension", note="理由不充分")
    assert bc.extension_days == 0 and bc.due_at == local(BUNDLE_DUE)
    assert bc.extensions.get().status == BundleExtension.Status.REJECTED
    assert not sms(bc, "bundle_extended")
    with at("2026-09-03 10:00"):
        bc = act(w, w.org.user("clerk"), "request_extension", days=5, reason="需现场核查")
    assert bc.extensions.filter(status=BundleExtension.Status.REQUESTED).count() == 1


def test_the_system_may_pause_only_a_joint_case(clocked) -> None:
    """cases: actor None may request / receive a processing correction on a bundle's sub-case
    only; any other case still needs a staff member."""
    from onewindow.cases.tests.conftest import intake as single_intake

    w = clocked
    version = w.items["SCJG-B1"]
    with at("2026-09-01 11:00"):
        case = single_intake(w.org, version)
    assert not case.joint
    with pytest.raises(PermissionDenied):
        case_services.case_act(
            case=case.pk,
            action="request_processing_correction",
            version=case.version,
            actor=None,
            items=[{"material": "营业执照", "note": "不清晰"}],
        )
